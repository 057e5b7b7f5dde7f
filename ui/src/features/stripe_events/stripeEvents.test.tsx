import { act, screen, waitFor, within } from '@testing-library/react';
import { emit } from '@tauri-apps/api/event';
import { describe, expect, it } from 'vitest';
import type { ReconcileReport, StripeEventRow, StripeSyncProgressed } from '../../bindings';
import { renderApp } from '../../test/app';
import type { CommandHandler } from '../../test/tauri';
import { appError, me } from '../../test/fixtures';
import { resolutionProblem, sourceInWords, syncProgress, syncSummary } from './stripeEvents';

const eventId = (n: number) => `0198e000-0000-7000-8000-00000000000${n}`;

const stripeEvent = (n: number, overrides: Partial<StripeEventRow> = {}): StripeEventRow => ({
  id: eventId(n),
  stripe_event_id: `evt_1Qx${n}`,
  kind: 'transfer.reversed',
  object_id: `tr_1Qx${n}`,
  occurred_at: `2026-05-0${n}T10:00:00.000000Z`,
  source: 'poll',
  outcome: 'applied',
  detail: null,
  resolved_by: null,
  resolved_at: null,
  ...overrides,
});

// Newest first, as the core lists them.
const DISPUTE = stripeEvent(5, {
  kind: 'charge.dispute.closed',
  object_id: 'du_1Qx5',
  outcome: 'attention',
  detail: 'No dispute of ours matches du_1Qx5',
});
const EVENTS: StripeEventRow[] = [
  DISPUTE,
  stripeEvent(4, {
    kind: 'refund.failed',
    object_id: 're_1Qx4',
    source: 'webhook',
    outcome: 'resolved',
    detail: 'Refund of MD-0000012 unknown — resolved: refunded by hand in Stripe',
    resolved_by: '00000000-0000-4000-8000-000000000003',
    resolved_at: '2026-05-05T09:00:00.000000Z',
  }),
  stripeEvent(3, {
    kind: 'charge.succeeded',
    object_id: 'ch_1Qx3',
    outcome: 'ignored',
    detail: 'Not a charge of ours',
  }),
  stripeEvent(2, {
    kind: 'account.application.authorized',
    object_id: null,
    source: 'webhook',
    outcome: 'applied',
    detail: 'Nothing to change',
  }),
  stripeEvent(1, { detail: 'Payout to Basalt Goods reversed: $120.00 owed again' }),
];

const report = (overrides: Partial<ReconcileReport> = {}): ReconcileReport => ({
  seen: 0,
  applied: 0,
  ignored: 0,
  attention: 0,
  duplicates: 0,
  cursor: null,
  ...overrides,
});

const progressed = (overrides: Partial<ReconcileReport>): StripeSyncProgressed => ({
  report: report(overrides),
});

/** The core's answer: every event, or those awaiting finance. */
const listOf =
  (events: () => StripeEventRow[]): CommandHandler =>
  (args) => {
    const { attentionOnly } = args as { attentionOnly: boolean };
    return attentionOnly ? events().filter((e) => e.outcome === 'attention') : events();
  };

function renderStripe(
  role: 'admin' | 'finance',
  handlers: Record<string, CommandHandler> = {},
  events: StripeEventRow[] = EVENTS,
) {
  return renderApp({
    me: me(role),
    path: '/payouts',
    // Events mocked: the sync listens for its progress.
    events: true,
    handlers: { stripe_events: listOf(() => events), ...handlers },
  });
}

/** Opens the Stripe events tab and waits for its rows (or its empty state). */
async function openStripe(user: { click: (element: Element) => Promise<void> }) {
  await user.click(await screen.findByTestId('payouts-tab-stripe'));
  await waitFor(() => expect(screen.queryByLabelText('Loading Stripe events')).toBeNull());
}

const rows = () => screen.queryAllByTestId('stripe-event-row');
const row = (stripeEventId: string) => rows().find((r) => r.dataset.eventId === stripeEventId) as HTMLElement;

describe('Stripe events', () => {
  it('lists the events with what each did', async () => {
    const { user, argsOf } = renderStripe('finance');
    await openStripe(user);
    expect(screen.getByTestId('payouts-tab-stripe')).toHaveAttribute('aria-selected', 'true');
    await user.click(screen.getByTestId('stripe-filter-all'));
    await waitFor(() => expect(rows()).toHaveLength(5));
    expect(argsOf('stripe_events')).toEqual([
      { attentionOnly: true, limit: 200 },
      { attentionOnly: false, limit: 200 },
    ]);

    expect(rows().map((r) => r.dataset.outcome)).toEqual([
      'attention',
      'resolved',
      'ignored',
      'applied',
      'applied',
    ]);
    expect(within(row('evt_1Qx5')).getByText('Needs attention')).toBeInTheDocument();
    expect(within(row('evt_1Qx4')).getByText('Resolved')).toBeInTheDocument();
    expect(within(row('evt_1Qx3')).getByText('Ignored')).toBeInTheDocument();
    expect(within(row('evt_1Qx1')).getByText('Applied')).toBeInTheDocument();

    const first = row('evt_1Qx1');
    expect(first).toHaveTextContent('May 1, 2026');
    expect(within(first).getByText('transfer.reversed')).toHaveClass('font-mono');
    expect(within(first).getByText('tr_1Qx1')).toHaveClass('font-mono');
    expect(first).toHaveTextContent('Poll');
    expect(first).toHaveTextContent('Payout to Basalt Goods reversed: $120.00 owed again');
    expect(row('evt_1Qx4')).toHaveTextContent('Webhook');
    expect(row('evt_1Qx4')).toHaveTextContent('resolved: refunded by hand in Stripe');
    // No object: a dash, and nothing to copy.
    expect(row('evt_1Qx2')).toHaveTextContent('—');
    expect(within(row('evt_1Qx2')).queryByRole('button', { name: 'Copy' })).toBeNull();

    // Only the event needing attention can be resolved.
    expect(within(row('evt_1Qx5')).getByTestId('stripe-resolve')).toBeInTheDocument();
    expect(screen.getAllByTestId('stripe-resolve')).toHaveLength(1);

    await user.click(within(first).getByRole('button', { name: 'Copy' }));
    expect(await navigator.clipboard.readText()).toBe('tr_1Qx1');
    expect(within(first).getByRole('button', { name: 'Copied' })).toBeInTheDocument();
  });

  it('opens on the events needing attention, and filters with the keyboard too', async () => {
    const { user } = renderStripe('finance');
    await openStripe(user);
    const attention = screen.getByTestId('stripe-filter-attention');
    expect(attention).toHaveAttribute('aria-checked', 'true');
    expect(attention).toHaveTextContent('Needs attention (1)');
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toHaveAttribute('data-outcome', 'attention');
    expect(rows()[0]).toHaveTextContent('No dispute of ours matches du_1Qx5');

    attention.focus();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByTestId('stripe-filter-all')).toHaveAttribute('aria-checked', 'true');
    expect(screen.getByTestId('stripe-filter-all')).toHaveFocus();
    await waitFor(() => expect(rows()).toHaveLength(5));
    // The count stays while All is shown.
    expect(attention).toHaveTextContent('Needs attention (1)');

    await user.keyboard('{ArrowLeft}');
    expect(attention).toHaveAttribute('aria-checked', 'true');
    expect(rows()).toHaveLength(1);
  });

  it('opens on All when nothing needs attention, and says so on the attention filter', async () => {
    const quiet = EVENTS.filter((e) => e.outcome !== 'attention');
    const { user } = renderStripe('finance', {}, quiet);
    await openStripe(user);
    expect(screen.getByTestId('stripe-filter-all')).toHaveAttribute('aria-checked', 'true');
    expect(screen.getByTestId('stripe-filter-attention')).toHaveTextContent('Needs attention (0)');
    await waitFor(() => expect(rows()).toHaveLength(4));

    await user.click(screen.getByTestId('stripe-filter-attention'));
    expect(screen.getByText('Nothing needs attention.')).toBeInTheDocument();
    expect(rows()).toHaveLength(0);
  });

  it('says how to get the first events', async () => {
    const { user } = renderStripe('finance', {}, []);
    await openStripe(user);
    expect(await screen.findByText('No Stripe events yet')).toBeInTheDocument();
    expect(
      screen.getByText('Sync with Stripe to pull what happened since the last run.'),
    ).toBeInTheDocument();
  });

  it('follows a sync as it applies events, on other tabs too', async () => {
    let finish: (value: ReconcileReport) => void = () => {};
    const { user, argsOf } = renderStripe('finance', {
      reconcile_stripe_events: () => new Promise<ReconcileReport>((resolve) => (finish = resolve)),
    });
    await openStripe(user);
    const sync = screen.getByTestId('stripe-sync');
    await user.click(sync);

    await waitFor(() => expect(argsOf('reconcile_stripe_events')).toHaveLength(1));
    expect(sync).toHaveAttribute('aria-busy', 'true');
    expect(sync).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByTestId('stripe-sync-progress')).toHaveTextContent('Asking Stripe for its events…');

    await act(() => emit('stripe-sync-progressed', progressed({ seen: 1, applied: 1 })));
    expect(screen.getByTestId('stripe-sync-progress')).toHaveTextContent(
      'Applying event 1… 1 applied, 0 need attention',
    );
    await act(() => emit('stripe-sync-progressed', progressed({ seen: 3, applied: 2, attention: 1 })));
    expect(screen.getByTestId('stripe-sync-progress')).toHaveTextContent(
      'Applying event 3… 2 applied, 1 needs attention',
    );
    // An event overtaken by a later one changes nothing.
    await act(() => emit('stripe-sync-progressed', progressed({ seen: 2, applied: 2 })));
    expect(screen.getByTestId('stripe-sync-progress')).toHaveTextContent('Applying event 3…');

    // Another tab and back: the run is still followed.
    await user.click(screen.getByRole('tab', { name: 'All payouts' }));
    await act(() => emit('stripe-sync-progressed', progressed({ seen: 4, applied: 3, attention: 1 })));
    await user.click(screen.getByTestId('payouts-tab-stripe'));
    expect(screen.getByTestId('stripe-sync-progress')).toHaveTextContent(
      'Applying event 4… 3 applied, 1 needs attention',
    );
    // A second click while it runs starts nothing.
    await user.click(sync);

    await act(async () => {
      finish(report({ seen: 4, applied: 3, attention: 1, cursor: 'evt_1Qx9' }));
      await Promise.resolve();
    });
    const summary = await screen.findByTestId('stripe-sync-summary');
    expect(summary).toHaveTextContent('4 events: 3 applied, 1 needs attention');
    expect(screen.queryByTestId('stripe-sync-progress')).toBeNull();
    expect(sync).not.toHaveAttribute('aria-busy');
    expect(argsOf('reconcile_stripe_events')).toHaveLength(1);

    // Once the run is over, late events change nothing.
    await act(() => emit('stripe-sync-progressed', progressed({ seen: 9, applied: 9 })));
    expect(screen.getByTestId('stripe-sync-summary')).toHaveTextContent('4 events: 3 applied');
  });

  it('shows what a sync did and reloads the list', async () => {
    let list = EVENTS.filter((e) => e.outcome !== 'attention');
    const { user, argsOf } = renderStripe('finance', {
      stripe_events: listOf(() => list),
      reconcile_stripe_events: () => {
        list = EVENTS;
        return report({ seen: 12, applied: 8, ignored: 1, attention: 1, duplicates: 2, cursor: 'evt_1Qx5' });
      },
    });
    await openStripe(user);
    await waitFor(() => expect(rows()).toHaveLength(4));
    const before = argsOf('stripe_events').length;

    await user.click(screen.getByTestId('stripe-sync'));
    expect(await screen.findByTestId('stripe-sync-summary')).toHaveTextContent(
      '12 events: 8 applied, 1 ignored, 1 needs attention, 2 seen before',
    );
    await waitFor(() => expect(argsOf('stripe_events').length).toBeGreaterThan(before));
    // Until someone picks a filter, the list opens on what now needs attention.
    await waitFor(() =>
      expect(screen.getByTestId('stripe-filter-attention')).toHaveTextContent('Needs attention (1)'),
    );
    expect(screen.getByTestId('stripe-filter-attention')).toHaveAttribute('aria-checked', 'true');
    expect(rows().map((r) => r.dataset.eventId)).toEqual(['evt_1Qx5']);
  });

  it('says when Stripe had nothing new', async () => {
    const { user } = renderStripe('finance', { reconcile_stripe_events: () => report() });
    await openStripe(user);
    await user.click(screen.getByTestId('stripe-sync'));
    expect(await screen.findByTestId('stripe-sync-summary')).toHaveTextContent('Already up to date');
  });

  it('shows why a sync failed, and what it kept before it stopped', async () => {
    let answer: () => unknown = () =>
      appError(
        'invalid',
        'Stripe is not set up: add its secret key in Settings (or `marketdesk secret set stripe`)',
      );
    const { user } = renderStripe('finance', { reconcile_stripe_events: () => answer() });
    await openStripe(user);
    const sync = screen.getByTestId('stripe-sync');
    await user.click(sync);

    const error = await screen.findByTestId('stripe-sync-error');
    const alert = within(error).getByRole('alert');
    expect(alert).toHaveTextContent('Could not sync with Stripe');
    expect(alert).toHaveTextContent('Stripe is not set up: add its secret key in Settings');
    expect(screen.queryByTestId('stripe-sync-summary')).toBeNull();
    expect(sync).not.toHaveAttribute('aria-busy');

    // Offline: the core's message and what to do.
    answer = () => appError('offline', 'Stripe is reconciled online only: connect to the marketplace server');
    await user.click(sync);
    await waitFor(() =>
      expect(screen.getByTestId('stripe-sync-error')).toHaveTextContent(
        'Stripe is reconciled online only: connect to the marketplace server',
      ),
    );
    expect(screen.getByTestId('stripe-sync-error')).toHaveTextContent('Stripe is reached online only');

    // Stripe stops answering half-way: what was applied is kept, and said.
    let fail: (error: unknown) => void = () => {};
    answer = () => new Promise((_, reject) => (fail = reject));
    await user.click(sync);
    await waitFor(() => expect(screen.queryByTestId('stripe-sync-error')).toBeNull());
    await act(() => emit('stripe-sync-progressed', progressed({ seen: 3, applied: 2, ignored: 1 })));
    await act(async () => {
      fail({ kind: 'conflict', message: 'Stripe did not answer (timed out); try again' });
      await Promise.resolve();
    });
    const stopped = await screen.findByTestId('stripe-sync-error');
    expect(stopped).toHaveTextContent('Stripe did not answer (timed out); try again');
    expect(stopped).toHaveTextContent('Kept from before it stopped — 3 events: 2 applied, 1 ignored.');
    expect(stopped).toHaveTextContent('sync again to go on from there');
  });

  it('lets admins look without syncing or resolving', async () => {
    const { user } = renderStripe('admin');
    await openStripe(user);
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toHaveTextContent('Needs attention');
    expect(screen.queryByTestId('stripe-sync')).toBeNull();
    expect(screen.queryByTestId('stripe-resolve')).toBeNull();
    expect(screen.queryByRole('button', { name: /Sync with Stripe|Resolve/ })).toBeNull();
    expect(screen.getByText('Only finance syncs with Stripe and resolves events.')).toBeInTheDocument();
  });

  it('shows no Stripe events tab to other roles', async () => {
    renderApp({ me: me('vendor'), path: '/payouts' });
    expect(await screen.findByTestId('grid-payouts')).toBeInTheDocument();
    expect(screen.queryByTestId('payouts-tab-stripe')).toBeNull();
  });

  it('resolves an event: says how (required), sends it trimmed, and reloads', async () => {
    let list = EVENTS;
    const { user, argsOf } = renderStripe('finance', {
      stripe_events: listOf(() => list),
      resolve_stripe_event: (args) => {
        const { how } = args as { how: string };
        const resolved: StripeEventRow = {
          ...DISPUTE,
          outcome: 'resolved',
          detail: `${DISPUTE.detail ?? ''} — resolved: ${how}`,
          resolved_by: '00000000-0000-4000-8000-000000000003',
          resolved_at: '2026-05-06T09:00:00.000000Z',
        };
        list = EVENTS.map((e) => (e.id === DISPUTE.id ? resolved : e));
        return resolved;
      },
    });
    await openStripe(user);
    await user.click(screen.getByTestId('stripe-resolve'));
    const dialog = await screen.findByRole('dialog', { name: 'Resolve charge.dispute.closed' });
    expect(dialog).toHaveTextContent('No dispute of ours matches du_1Qx5');
    const text = within(dialog).getByTestId('stripe-resolve-text');
    expect(text).toHaveFocus();
    expect(within(dialog).getByLabelText('How was it resolved?')).toBe(text);
    expect(within(dialog).getByTestId('stripe-resolve-count')).toHaveTextContent('0 / 500');

    // Empty (or only spaces): refused here, nothing sent.
    await user.click(within(dialog).getByTestId('stripe-resolve-submit'));
    expect(within(dialog).getByText('Say how it was resolved.')).toBeInTheDocument();
    expect(text).toHaveAttribute('aria-invalid', 'true');
    await user.type(text, '   ');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(within(dialog).getByText('Say how it was resolved.')).toBeInTheDocument();
    expect(argsOf('resolve_stripe_event')).toEqual([]);

    // Too long: said at once, with the count.
    await user.paste('x'.repeat(501));
    expect(within(dialog).getByTestId('stripe-resolve-count')).toHaveTextContent('501 / 500');
    expect(within(dialog).getByText('Keep it to 500 characters: 1 too many.')).toBeInTheDocument();
    await user.click(within(dialog).getByTestId('stripe-resolve-submit'));
    expect(argsOf('resolve_stripe_event')).toEqual([]);

    await user.clear(text);
    await user.type(text, '  Won at Stripe; no dispute of ours.  ');
    expect(within(dialog).getByTestId('stripe-resolve-count')).toHaveTextContent('34 / 500');
    expect(within(dialog).queryByText('Say how it was resolved.')).toBeNull();
    expect(text).not.toHaveAttribute('aria-invalid');
    // Ctrl+Enter saves.
    await user.keyboard('{Control>}{Enter}{/Control}');

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(argsOf('resolve_stripe_event')).toEqual([
      { id: DISPUTE.id, how: 'Won at Stripe; no dispute of ours.' },
    ]);
    expect(await screen.findByTestId('toast')).toHaveTextContent('Stripe event resolved');
    // Nothing needs attention any more: the list shows every event, this one resolved.
    await waitFor(() =>
      expect(screen.getByTestId('stripe-filter-attention')).toHaveTextContent('Needs attention (0)'),
    );
    await waitFor(() => expect(rows()).toHaveLength(5));
    expect(row('evt_1Qx5')).toHaveAttribute('data-outcome', 'resolved');
    expect(within(row('evt_1Qx5')).getByText('Resolved')).toBeInTheDocument();
    expect(row('evt_1Qx5')).toHaveTextContent('resolved: Won at Stripe; no dispute of ours.');
    expect(screen.queryByTestId('stripe-resolve')).toBeNull();
  });

  it('keeps the dialog open with the core’s refusal, and Esc cancels', async () => {
    const { user, argsOf } = renderStripe('finance', {
      resolve_stripe_event: () => appError('invalid', 'this event is resolved, not awaiting attention'),
    });
    await openStripe(user);
    await user.click(screen.getByTestId('stripe-resolve'));
    let dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByTestId('stripe-resolve-text'), 'Done by Fiona');
    await user.click(within(dialog).getByTestId('stripe-resolve-submit'));

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Could not resolve the event');
    expect(alert).toHaveTextContent('this event is resolved, not awaiting attention');
    expect(screen.getByRole('dialog')).toBe(dialog);

    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(argsOf('resolve_stripe_event')).toHaveLength(1);

    // Opened again: a blank form, and Esc sends nothing.
    await user.click(screen.getByTestId('stripe-resolve'));
    dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('stripe-resolve-text')).toHaveValue('');
    expect(within(dialog).queryByRole('alert')).toBeNull();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(argsOf('resolve_stripe_event')).toHaveLength(1);
  });

  it('shows a failed list with Retry', async () => {
    const { user } = renderStripe('finance', {
      stripe_events: () =>
        appError('offline', 'Stripe is reconciled online only: connect to the marketplace server'),
    });
    await user.click(await screen.findByTestId('payouts-tab-stripe'));
    expect(await screen.findByText('Could not load Stripe’s events')).toBeInTheDocument();
    expect(screen.getByText(/connect to the marketplace server/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('puts a run and its events in words', () => {
    expect(syncSummary(report())).toBe('Already up to date');
    expect(syncSummary(report({ seen: 1, duplicates: 1 }))).toBe('1 event: 1 seen before');
    expect(syncSummary(report({ seen: 1200, applied: 1197, attention: 3 }))).toBe(
      '1,200 events: 1,197 applied, 3 need attention',
    );
    expect(syncProgress(null)).toBe('Asking Stripe for its events…');
    expect(syncProgress(report({ seen: 2, applied: 1, attention: 1 }))).toBe(
      'Applying event 2… 1 applied, 1 needs attention',
    );
    expect(sourceInWords('poll')).toBe('Poll');
    expect(sourceInWords('webhook')).toBe('Webhook');
    expect(sourceInWords('manual_import')).toBe('Manual import');
    expect(sourceInWords('toString')).toBe('ToString');
    expect(resolutionProblem('  ')).toBe('Say how it was resolved.');
    expect(resolutionProblem(` ${'é'.repeat(500)} `)).toBeNull();
    // Characters as the core counts them: an emoji is one, not two.
    expect(resolutionProblem('😀'.repeat(500))).toBeNull();
    expect(resolutionProblem('a'.repeat(502))).toBe('Keep it to 500 characters: 2 too many.');
  });
});
