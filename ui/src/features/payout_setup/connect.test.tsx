import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ConnectCheck, ConnectStatus, ConnectStatusList, OnboardingSent } from '../../bindings';
import { renderApp } from '../../test/app';
import type { CommandHandler } from '../../test/tauri';
import { appError, me } from '../../test/fixtures';
import { disabledReasonInWords, requirementsInWords } from './connect';

const vendorId = (n: number) => `0190c000-0000-7000-8000-00000000000${n}`;

const vendor = (n: number, name: string, overrides: Partial<ConnectStatus> = {}): ConnectStatus => ({
  vendor_id: vendorId(n),
  vendor_name: name,
  email: `${name.split(' ')[0]?.toLowerCase()}@vendors.example`,
  stripe_account_id: `acct_1Pq${n}`,
  payouts_enabled: false,
  verification_status: 'pending',
  verified_at: null,
  ...overrides,
});

// Not ready first, as the core sorts them.
const VENDORS: ConnectStatus[] = [
  vendor(1, 'Atlas Prints', { stripe_account_id: null, verification_status: 'unverified' }),
  vendor(2, 'Basalt Goods'),
  vendor(3, 'Cobalt Works', { verification_status: 'rejected' }),
  vendor(4, 'Fjord Textiles', {
    payouts_enabled: true,
    verification_status: 'verified',
    verified_at: '2026-05-02T12:00:00.000000Z',
  }),
  vendor(5, 'Northwind Ceramics', {
    payouts_enabled: true,
    verification_status: 'verified',
    verified_at: '2026-04-20T12:00:00.000000Z',
  }),
];

const inFiveMinutes = () => new Date(Date.now() + 5 * 60_000 + 5_000).toISOString();

const sent = (status: ConnectStatus, mailed: boolean): OnboardingSent => ({
  status,
  url: `https://connect.stripe.com/setup/e/${status.stripe_account_id ?? 'acct_new'}/Xy12`,
  expires_at: inFiveMinutes(),
  mail_id: mailed ? '0198b000-0000-7000-8000-000000000001' : null,
});

/**
 * What the core answers `connect_statuses` with over `vendors`, imitated for the mock (the
 * real filtering is the core's, tested in Rust): those not ready when asked, and the counts of
 * every vendor.
 */
function coreAnswer(vendors: readonly ConnectStatus[], args: unknown): ConnectStatusList {
  const { onlyNotReady } = args as { onlyNotReady: boolean };
  return {
    vendors: onlyNotReady ? vendors.filter((v) => !v.payouts_enabled) : [...vendors],
    total: vendors.length,
    ready: vendors.filter((v) => v.payouts_enabled).length,
  };
}

function renderSetup(role: 'admin' | 'finance', handlers: Record<string, CommandHandler> = {}) {
  const app = renderApp({
    me: me(role),
    path: '/payouts',
    handlers: { connect_statuses: (args) => coreAnswer(VENDORS, args), ...handlers },
  });
  return app;
}

/** Opens the Vendor set-up tab and waits for the table. */
async function openSetup(user: { click: (element: Element) => Promise<void> }) {
  await user.click(await screen.findByTestId('payouts-tab-setup'));
  return screen.findByTestId('connect-table');
}

const row = (n: number) => screen.getByTestId(`connect-row-${vendorId(n)}`);

describe('vendor set-up', () => {
  it('lists every vendor with their status and how many are ready', async () => {
    const { user } = renderSetup('admin');
    const table = await openSetup(user);
    expect(screen.getByTestId('payouts-tab-setup')).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId('connect-summary')).toHaveTextContent('2 of 5 vendors ready for payouts');

    expect(within(table).getAllByRole('row')).toHaveLength(6);
    expect(row(1)).toHaveTextContent('Atlas Prints');
    expect(row(1)).toHaveTextContent('atlas@vendors.example');
    expect(within(row(1)).getByText('Not started')).toBeInTheDocument();
    expect(within(row(2)).getByText('Onboarding')).toBeInTheDocument();
    expect(within(row(3)).getByText('Rejected')).toBeInTheDocument();
    expect(within(row(4)).getByText('Ready for payouts')).toBeInTheDocument();
    expect(row(4)).toHaveTextContent('May 2, 2026');
    const account = within(row(4)).getByText('acct_1Pq4');
    expect(account).toHaveClass('font-mono');
    // No account yet, no date yet.
    expect(row(1)).toHaveTextContent('—');
  });

  it('lets finance look without acting', async () => {
    const { user } = renderSetup('finance');
    await openSetup(user);
    expect(screen.getByTestId('connect-summary')).toHaveTextContent('2 of 5 vendors ready for payouts');
    expect(within(row(2)).getByText('Onboarding')).toBeInTheDocument();
    expect(screen.queryByTestId(`connect-send-${vendorId(2)}`)).toBeNull();
    expect(screen.queryByTestId(`connect-link-${vendorId(2)}`)).toBeNull();
    expect(screen.queryByTestId(`connect-check-${vendorId(2)}`)).toBeNull();
    expect(screen.queryByRole('button', { name: /Send set-up link|Get link|Check with Stripe/ })).toBeNull();
    expect(screen.getByText('Only admins send set-up links.')).toBeInTheDocument();
  });

  it('sends a set-up link by mail and shows it to copy', async () => {
    const created = vendor(1, 'Atlas Prints', { stripe_account_id: 'acct_1Pq1' });
    const { user, argsOf } = renderSetup('admin', {
      start_connect_onboarding: () => sent(created, true),
    });
    await openSetup(user);
    const before = argsOf('connect_statuses').length;

    await user.click(screen.getByTestId(`connect-send-${vendorId(1)}`));
    const dialog = await screen.findByRole('dialog', { name: 'Set-up link for Atlas Prints' });
    expect(argsOf('start_connect_onboarding')).toEqual([{ vendorId: vendorId(1), mail: true }]);
    expect(within(dialog).getByTestId('connect-link-url')).toHaveValue(
      'https://connect.stripe.com/setup/e/acct_1Pq1/Xy12',
    );
    expect(within(dialog).getByTestId('connect-link-expiry')).toHaveTextContent('in 5 minutes');
    expect(dialog).toHaveTextContent('Mailed to atlas@vendors.example');

    await user.click(within(dialog).getByTestId('connect-link-copy'));
    expect(await navigator.clipboard.readText()).toBe('https://connect.stripe.com/setup/e/acct_1Pq1/Xy12');
    expect(within(dialog).getByTestId('connect-link-copy')).toHaveTextContent('Copied');

    // The list is asked again: the vendor has an account now.
    await waitFor(() => expect(argsOf('connect_statuses').length).toBeGreaterThan(before));
    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('gets a link without mailing it, for an admin sitting with the vendor', async () => {
    const { user, argsOf } = renderSetup('admin', {
      start_connect_onboarding: () => sent(VENDORS[1] as ConnectStatus, false),
    });
    await openSetup(user);
    await user.click(screen.getByTestId(`connect-link-${vendorId(2)}`));
    const dialog = await screen.findByRole('dialog', { name: 'Set-up link for Basalt Goods' });
    expect(argsOf('start_connect_onboarding')).toEqual([{ vendorId: vendorId(2), mail: false }]);
    expect(dialog).toHaveTextContent('Not mailed: give the link to the vendor yourself.');
    expect(dialog).not.toHaveTextContent('Mailed to');
  });

  it('checks with Stripe and says what the vendor still has to give', async () => {
    let answer: (value: ConnectCheck) => void = () => {};
    const { user, argsOf } = renderSetup('admin', {
      refresh_connect_account: () => new Promise<ConnectCheck>((resolve) => (answer = resolve)),
    });
    await openSetup(user);
    const check = screen.getByTestId(`connect-check-${vendorId(2)}`);
    await user.click(check);

    // Running: a spinner, and the row's other actions wait.
    expect(check).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByTestId(`connect-send-${vendorId(2)}`)).toBeDisabled();
    expect(screen.getByTestId(`connect-link-${vendorId(2)}`)).toBeDisabled();
    expect(argsOf('refresh_connect_account')).toEqual([{ vendorId: vendorId(2) }]);

    answer({
      status: VENDORS[1] as ConnectStatus,
      currently_due: [
        'external_account',
        'tos_acceptance.date',
        'tos_acceptance.ip',
        'individual.id_number',
        'individual.verification.document',
        'business_profile.url',
        'company.tax_id',
      ],
      disabled_reason: 'requirements.past_due',
    });
    const dialog = await screen.findByRole('dialog', { name: 'Stripe’s answer for Basalt Goods' });
    const items = within(within(dialog).getByTestId('connect-requirements')).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      'Bank account',
      "Accept Stripe's terms",
      'Identity check',
      'Business website',
      'company.tax_id',
    ]);
    expect(within(dialog).getByTestId('connect-disabled-reason')).toHaveTextContent(
      'Payouts are disabled: Information Stripe asked for is overdue (requirements.past_due)',
    );
    expect(within(dialog).getByText('Onboarding')).toBeInTheDocument();
    expect(check).not.toHaveAttribute('aria-busy');
  });

  it('shows the core’s refusal inline in the row', async () => {
    const { user } = renderSetup('admin', {
      start_connect_onboarding: () =>
        appError('offline', 'Stripe onboarding is done online only: connect to the marketplace server'),
      refresh_connect_account: () => appError('conflict', 'Stripe did not answer (timed out); try again'),
    });
    await openSetup(user);
    await user.click(screen.getByTestId(`connect-send-${vendorId(2)}`));
    const error = await screen.findByTestId(`connect-error-${vendorId(2)}`);
    const alert = within(error).getByRole('alert');
    expect(alert).toHaveTextContent('Could not make a set-up link for Basalt Goods');
    expect(alert).toHaveTextContent('connect to the marketplace server');
    expect(alert).toHaveTextContent('Stripe is reached online only');
    expect(screen.queryByRole('dialog')).toBeNull();

    // Another action replaces the error with its own.
    await user.click(screen.getByTestId(`connect-check-${vendorId(2)}`));
    await waitFor(() =>
      expect(screen.getByTestId(`connect-error-${vendorId(2)}`)).toHaveTextContent(
        'Stripe did not answer (timed out); try again',
      ),
    );
    expect(screen.getByTestId(`connect-error-${vendorId(2)}`)).toHaveTextContent(
      'Could not check Basalt Goods with Stripe',
    );
    expect(screen.getByTestId(`connect-error-${vendorId(2)}`)).toHaveTextContent('Try again.');
    expect(screen.getAllByTestId('inline-error')).toHaveLength(1);
  });

  it('offers no link for a rejected account and no check before an account exists', async () => {
    const { user } = renderSetup('admin');
    await openSetup(user);
    expect(screen.getByTestId(`connect-send-${vendorId(3)}`)).toBeDisabled();
    expect(screen.getByTestId(`connect-link-${vendorId(3)}`)).toBeDisabled();
    expect(screen.getByTestId(`connect-check-${vendorId(1)}`)).toBeDisabled();
    expect(screen.getByTestId(`connect-send-${vendorId(1)}`)).toBeEnabled();
  });

  it('asks the core for the vendors not ready on request, and shows what it answers', async () => {
    const { user, argsOf } = renderSetup('admin');
    await openSetup(user);
    expect(argsOf('connect_statuses')).toEqual([{ onlyNotReady: false }]);
    await user.click(screen.getByRole('checkbox', { name: 'Only not ready' }));
    expect(argsOf('connect_statuses').at(-1)).toEqual({ onlyNotReady: true });
    await waitFor(() => expect(screen.queryByTestId(`connect-row-${vendorId(4)}`)).toBeNull());
    expect(within(screen.getByTestId('connect-table')).getAllByRole('row')).toHaveLength(4);
    expect(screen.queryByTestId(`connect-row-${vendorId(5)}`)).toBeNull();
    expect(row(1)).toBeInTheDocument();
    // The count is the core's, of every vendor still.
    expect(screen.getByTestId('connect-summary')).toHaveTextContent('2 of 5 vendors ready for payouts');

    await user.click(screen.getByRole('checkbox', { name: 'Only not ready' }));
    expect(argsOf('connect_statuses').at(-1)).toEqual({ onlyNotReady: false });
    expect(await screen.findByTestId(`connect-row-${vendorId(5)}`)).toBeInTheDocument();
  });

  it('keeps Stripe’s answer on screen when the vendor leaves the not-ready list', async () => {
    const nowReady = vendor(2, 'Basalt Goods', {
      payouts_enabled: true,
      verification_status: 'verified',
      verified_at: '2026-05-04T12:00:00.000000Z',
    });
    let list = VENDORS;
    const { user } = renderSetup('admin', {
      connect_statuses: (args) => coreAnswer(list, args),
      refresh_connect_account: () => {
        list = VENDORS.map((v) => (v.vendor_id === nowReady.vendor_id ? nowReady : v));
        return { status: nowReady, currently_due: [], disabled_reason: null } satisfies ConnectCheck;
      },
    });
    await openSetup(user);
    await user.click(screen.getByRole('checkbox', { name: 'Only not ready' }));
    await user.click(screen.getByTestId(`connect-check-${vendorId(2)}`));
    const dialog = await screen.findByRole('dialog', { name: 'Stripe’s answer for Basalt Goods' });
    await waitFor(() => expect(screen.queryByTestId(`connect-row-${vendorId(2)}`)).toBeNull());
    expect(screen.getByTestId('connect-summary')).toHaveTextContent('3 of 5 vendors ready for payouts');
    expect(dialog).toBeInTheDocument();
    expect(dialog).toHaveTextContent('Stripe needs nothing more from the vendor.');
    expect(within(dialog).getByText('Ready for payouts')).toBeInTheDocument();
    expect(within(dialog).queryByTestId('connect-disabled-reason')).toBeNull();
  });

  it('says when every vendor is ready, and when there are none', async () => {
    let vendors = VENDORS.slice(3);
    const { user } = renderSetup('admin', { connect_statuses: (args) => coreAnswer(vendors, args) });
    await openSetup(user);
    await user.click(screen.getByRole('checkbox', { name: 'Only not ready' }));
    // The core answers none of the vendors there are.
    expect(await screen.findByText('Every vendor is ready for payouts')).toBeInTheDocument();
    expect(screen.queryByText('No vendors yet')).toBeNull();
    expect(screen.getByTestId('connect-summary')).toHaveTextContent('2 of 2 vendors ready for payouts');

    vendors = [];
    await user.click(screen.getByRole('tab', { name: 'All payouts' }));
    await user.click(screen.getByTestId('payouts-tab-setup'));
    expect(await screen.findByText('No vendors yet')).toBeInTheDocument();
    expect(screen.getByTestId('connect-summary')).toHaveTextContent('0 of 0 vendors ready for payouts');
  });

  it('shows a failed list with Retry', async () => {
    const { user } = renderSetup('finance', {
      connect_statuses: () => appError('database', 'the database refused the query'),
    });
    await user.click(await screen.findByTestId('payouts-tab-setup'));
    expect(await screen.findByText('Could not load the vendors')).toBeInTheDocument();
    expect(screen.getByText('the database refused the query')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('puts Stripe’s field names in words', () => {
    expect(requirementsInWords([])).toEqual([]);
    expect(requirementsInWords(['tos_acceptance.ip', 'tos_acceptance.date', 'person_x.dob.day'])).toEqual([
      { label: "Accept Stripe's terms", known: true, fields: ['tos_acceptance.ip', 'tos_acceptance.date'] },
      { label: 'person_x.dob.day', known: false, fields: ['person_x.dob.day'] },
    ]);
    expect(requirementsInWords(['toString'])).toEqual([
      { label: 'toString', known: false, fields: ['toString'] },
    ]);
    expect(disabledReasonInWords('rejected.fraud')).toBe('Stripe rejected the account');
    expect(disabledReasonInWords('requirements.past_due')).toBe('Information Stripe asked for is overdue');
    expect(disabledReasonInWords('something_new')).toBe('something_new');
  });
});
