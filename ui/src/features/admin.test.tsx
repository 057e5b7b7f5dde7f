import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditFilter, OutboxMail } from '../bindings';
import { renderApp } from '../test/app';
import { appError, me, page } from '../test/fixtures';
import { auditChanges, formatAuditValue } from './audit/details';

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  id: '0195a000-0000-7000-8000-000000000001',
  actor_id: '0190b000-0000-7000-8000-000000000001',
  actor_role: 'admin',
  action: 'payouts.update',
  entity_table: 'payouts',
  entity_id: '0192a000-0000-7000-8000-000000000001',
  details: { status: ['pending', 'paid'], failure_reason: [null, 'none'] },
  occurred_at: '2026-05-03T08:00:00.000000Z',
  ...overrides,
});

const mail = (overrides: Partial<OutboxMail> = {}): OutboxMail => ({
  id: '0196a000-0000-7000-8000-000000000001',
  to_address: 'vera@northwind.example',
  template: 'invite',
  subject: 'You are invited to Marketdesk',
  body_text: 'Hello Vera,\n\nSet your password here: https://example.test/invite',
  status: 'queued',
  attempts: 0,
  provider_message_id: null,
  last_error: null,
  created_at: '2026-05-03T08:00:00.000000Z',
  ...overrides,
});

describe('audit trail', () => {
  it('lists entries and sends the action prefix to the core', async () => {
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/audit',
      handlers: { list_audit: () => page([entry()]) },
    });
    const grid = await screen.findByTestId('grid-audit');
    expect(await within(grid).findByText('payouts.update')).toBeInTheDocument();
    expect(grid.querySelector('[data-col="actor_id"]')).toHaveTextContent('Admin 0190b000');
    expect(grid.querySelector('[data-col="entity_id"]')).toHaveTextContent('0192a000');
    // Newest first.
    expect(argsOf<{ page: { sort: string; dir: string } }>('list_audit')[0]?.page).toMatchObject({
      sort: 'occurred_at',
      dir: 'desc',
    });

    await user.type(screen.getByRole('searchbox', { name: 'Action prefix' }), 'payouts.');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Table' }), 'payouts');
    await waitFor(() =>
      expect(argsOf<{ filter: AuditFilter }>('list_audit').at(-1)?.filter).toEqual({
        actor_id: null,
        action_prefix: 'payouts.',
        entity_table: 'payouts',
        entity_id: null,
        from: null,
        to: null,
      }),
    );
  });

  it('shows the details of an entry as field: old → new, read-only', async () => {
    const { user } = renderApp({
      me: me('admin'),
      path: '/audit',
      handlers: { list_audit: () => page([entry()]) },
    });
    const grid = await screen.findByTestId('grid-audit');
    await user.click(await within(grid).findByText('payouts.update'));
    const panel = await screen.findByTestId('audit-detail');
    const changes = within(panel)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(changes).toEqual(['status: pending → paid', 'failure_reason: — → none']);
    expect(panel).toHaveTextContent('no one, admins included, can edit or delete an entry');
    expect(within(panel).queryByRole('button', { name: /edit|delete/i })).toBeNull();
  });

  it('falls back to JSON for other details', async () => {
    const { user } = renderApp({
      me: me('admin'),
      path: '/audit',
      handlers: {
        list_audit: () =>
          page([entry({ action: 'sign_in_failed', entity_table: 'auth', details: { login: 'x@y.z' } })]),
      },
    });
    await user.click(await within(await screen.findByTestId('grid-audit')).findByText('sign_in_failed'));
    expect(await screen.findByTestId('audit-details-json')).toHaveTextContent('"login": "x@y.z"');
  });

  it('shows the core’s error with Retry', async () => {
    renderApp({
      me: me('admin'),
      path: '/audit',
      handlers: { list_audit: () => appError('forbidden', 'Only admins may read the audit trail.') },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('Only admins may read the audit trail.');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('reads details as changes only when every entry is a pair', () => {
    expect(auditChanges({ a: [1, 2] })).toEqual([{ field: 'a', from: 1, to: 2 }]);
    expect(auditChanges({ a: [1, 2], b: 'x' })).toBeNull();
    expect(auditChanges(['a', 'b'])).toBeNull();
    expect(auditChanges(null)).toBeNull();
    expect(formatAuditValue({ x: true })).toBe('{"x":true}');
  });
});

describe('mail outbox', () => {
  it('lists the newest mails and shows a body', async () => {
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/outbox',
      handlers: {
        list_outbox: () => [
          mail(),
          mail({
            id: '0196a000-0000-7000-8000-000000000002',
            subject: 'Your payout failed',
            status: 'failed',
            attempts: 3,
            last_error: 'Resend answered 422',
          }),
        ],
      },
    });
    const outbox = await screen.findByTestId('outbox');
    expect(outbox).toHaveTextContent('Without a Resend API key');
    expect(await within(outbox).findByText('Your payout failed')).toBeInTheDocument();
    expect(within(outbox).getByText('Resend answered 422')).toBeInTheDocument();
    expect(within(outbox).getByText('Failed')).toBeInTheDocument();
    expect(argsOf('list_outbox')).toEqual([{ limit: 200 }]);

    await user.click(within(outbox).getByText('You are invited to Marketdesk'));
    const panel = await screen.findByTestId('outbox-detail');
    expect(within(panel).getByTestId('outbox-body')).toHaveTextContent(
      'Set your password here: https://example.test/invite',
    );
  });

  it('says when there is no mail', async () => {
    renderApp({ me: me('admin'), path: '/outbox' });
    expect(await screen.findByText('No mail yet')).toBeInTheDocument();
  });

  it('is for admins only', async () => {
    renderApp({ me: me('finance'), path: '/outbox' });
    await waitFor(() => expect(window.location.hash).toBe('#/revenue'));
    expect(screen.queryByTestId('nav-outbox')).toBeNull();
    expect(screen.queryByTestId('nav-audit')).toBeNull();
  });
});
