import { act, screen, waitFor, within } from '@testing-library/react';
import { emit } from '@tauri-apps/api/event';
import { describe, expect, it } from 'vitest';
import type { AccountBalance, ExportSummary, LedgerFilter, LedgerLine } from '../../bindings';
import { renderApp } from '../../test/app';
import { appError, me, page } from '../../test/fixtures';
import { byCurrency } from './TrialBalance';

const TX = '0198a000-0000-7000-8000-000000000001';

const line = (n: number, overrides: Partial<LedgerLine> = {}): LedgerLine => ({
  id: `0199a000-0000-7000-8000-00000000000${n}`,
  transaction_id: TX,
  occurred_at: '2026-05-03T08:00:00.000000Z',
  code: 'payment_captured',
  description: 'Order MD-0000001 captured',
  account_code: '1100',
  account_name: 'Stripe balance',
  vendor_name: null,
  amount_minor: 12_345,
  currency: 'USD',
  order_id: '0190a000-0000-7000-8000-000000000001',
  payout_id: null,
  ...overrides,
});

const LINES: LedgerLine[] = [
  line(1),
  line(2, {
    account_code: '2100',
    account_name: 'Vendor payables',
    vendor_name: 'Northwind Ceramics',
    amount_minor: -11_000,
  }),
  line(3, { account_code: '4000', account_name: 'Commission revenue', amount_minor: -1_345 }),
];

const account = (
  code: string,
  name: string,
  kind: string,
  balance: number,
  currency = 'USD',
): AccountBalance => ({
  code,
  name,
  kind,
  currency,
  balance_minor: balance,
  entries: 3,
});

const BALANCED: AccountBalance[] = [
  account('1100', 'Stripe balance', 'asset', 1_234_567),
  account('2100', 'Vendor payables', 'liability', -1_000_000),
  account('4000', 'Commission revenue', 'revenue', -234_567),
  account('1100', 'Stripe balance', 'asset', 5_000, 'EUR'),
  account('2100', 'Vendor payables', 'liability', -5_000, 'EUR'),
];

const cellOf = (row: Element, col: string) => row.querySelector(`[data-col="${col}"]`);

describe('ledger', () => {
  it('lists entries as debits and credits, and the trial balance per currency', async () => {
    const { argsOf } = renderApp({
      me: me('finance'),
      path: '/ledger',
      handlers: { list_ledger: () => page(LINES), account_balances: () => BALANCED },
    });
    const grid = await screen.findByTestId('grid-ledger');
    expect(screen.getByRole('heading', { level: 1, name: 'Ledger' })).toBeInTheDocument();
    const payable = await within(grid).findByText('Vendor payables');
    const row = payable.closest('[role="row"]') as HTMLElement;
    expect(cellOf(row, 'code')).toHaveTextContent('Payment captured');
    expect(cellOf(row, 'account_name')).toHaveTextContent('2100 Vendor payables');
    expect(cellOf(row, 'vendor_name')).toHaveTextContent('Northwind Ceramics');
    expect(cellOf(row, 'debit')).toHaveTextContent('—');
    expect(cellOf(row, 'credit')).toHaveTextContent('$110.00');
    const stripe = within(grid).getByText('Stripe balance').closest('[role="row"]') as HTMLElement;
    expect(cellOf(stripe, 'debit')).toHaveTextContent('$123.45');
    expect(cellOf(stripe, 'credit')).toHaveTextContent('—');
    expect(grid.querySelectorAll('[role="rowgroup"] [data-row-key]')).toHaveLength(3);
    // Newest first, everything.
    expect(
      argsOf<{ filter: LedgerFilter; page: { sort: string; dir: string } }>('list_ledger')[0],
    ).toMatchObject({
      filter: { code: null, vendor_id: null, currency: null, from: null, to: null, transaction_id: null },
      page: { sort: 'created_at', dir: 'desc' },
    });

    const trial = screen.getByTestId('trial-balance');
    expect(await within(trial).findByTestId('trial-balance-total-USD')).toHaveTextContent('$0.00');
    expect(within(trial).getByTestId('trial-balance-total-EUR')).toHaveTextContent('€0.00');
    expect(within(trial).getByTestId('trial-balance-USD')).toHaveTextContent('$12,345.67');
    expect(within(trial).getByTestId('trial-balance-USD')).toHaveTextContent('-$10,000.00');
    expect(within(trial).getAllByText('Balanced')).toHaveLength(2);
    expect(within(trial).getByText('Every currency adds up to zero.')).toBeInTheDocument();
    expect(within(trial).queryByRole('alert')).toBeNull();
    expect(argsOf('account_balances')).toEqual([{ currency: null }]);
  });

  it('filters by code, currency and dates in the core, and opens a whole transaction', async () => {
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/ledger',
      handlers: { list_ledger: () => page(LINES), account_balances: () => BALANCED },
    });
    const grid = await screen.findByTestId('grid-ledger');
    await within(grid).findByText('Vendor payables');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Transaction code' }), 'payout_executed');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Currency' }), 'EUR');
    await user.type(screen.getByTestId('ledger-from'), '2026-05-01');
    await user.type(screen.getByTestId('ledger-to'), '2026-05-31');
    await waitFor(() => {
      const filter = argsOf<{ filter: LedgerFilter }>('list_ledger').at(-1)?.filter;
      expect(filter).toMatchObject({ code: 'payout_executed', currency: 'EUR', transaction_id: null });
      // Whole local days (the tests run in UTC): the end is the start of the next day.
      expect(filter?.from).toBe('2026-05-01T00:00:00.000Z');
      expect(filter?.to).toBe('2026-06-01T00:00:00.000Z');
    });
    // The trial balance follows the currency.
    await waitFor(() => expect(argsOf('account_balances').at(-1)).toEqual({ currency: 'EUR' }));

    // Enter on an entry shows every entry of its transaction.
    grid.focus();
    await user.keyboard('{ArrowDown}{Enter}');
    await waitFor(() =>
      expect(argsOf<{ filter: LedgerFilter }>('list_ledger').at(-1)?.filter.transaction_id).toBe(TX),
    );
    await user.click(screen.getByTestId('clear-transaction'));
    await waitFor(() =>
      expect(argsOf<{ filter: LedgerFilter }>('list_ledger').at(-1)?.filter.transaction_id).toBeNull(),
    );
  });

  it('warns when a currency does not add up to zero', async () => {
    renderApp({
      me: me('finance'),
      path: '/ledger',
      handlers: {
        account_balances: () => [
          account('1100', 'Stripe balance', 'asset', 10_000),
          account('2100', 'Vendor payables', 'liability', -9_999),
        ],
      },
    });
    const trial = await screen.findByTestId('trial-balance');
    expect(await within(trial).findByTestId('trial-balance-total-USD')).toHaveTextContent('$0.01');
    expect(within(trial).getByTestId('trial-balance-USD')).toHaveAttribute('data-balanced', 'false');
    expect(within(trial).getByText('Out of balance')).toBeInTheDocument();
    expect(within(trial).getByRole('alert')).toHaveTextContent(
      'The USD accounts add up to $0.01 instead of zero: the ledger is not whole.',
    );
    expect(await screen.findByText('No entries yet')).toBeInTheDocument();
  });

  it('shows the core’s error with a Retry', async () => {
    renderApp({
      me: me('finance'),
      path: '/ledger',
      handlers: { account_balances: () => appError('database', 'no such table: ledger_accounts') },
    });
    const trial = await screen.findByTestId('trial-balance');
    expect(await within(trial).findByRole('alert')).toHaveTextContent('no such table: ledger_accounts');
    expect(within(trial).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('adds balances as integers', () => {
    const groups = byCurrency([
      account('1', 'a', 'asset', Number.MAX_SAFE_INTEGER),
      account('2', 'b', 'asset', Number.MAX_SAFE_INTEGER),
      account('3', 'c', 'liability', -Number.MAX_SAFE_INTEGER),
      account('4', 'd', 'liability', -Number.MAX_SAFE_INTEGER),
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.total).toBe(0n);
  });

  it('is in the navigation for finance and admins, not for vendors or logistics', async () => {
    const { user, unmount } = renderApp({
      me: me('finance'),
      path: '/revenue',
      handlers: { revenue_report: () => new Promise(() => {}) },
    });
    expect(await screen.findByTestId('nav-ledger')).toHaveTextContent('Ledger');
    await user.keyboard('gj');
    await waitFor(() => expect(window.location.hash).toBe('#/ledger'));
    expect(await screen.findByTestId('grid-ledger')).toBeInTheDocument();
    unmount();

    for (const role of ['vendor', 'logistics'] as const) {
      const view = renderApp({ me: me(role), path: '/ledger', handlers: { vendor_earnings: () => [] } });
      await screen.findByTestId('user-name');
      await waitFor(() => expect(window.location.hash).not.toBe('#/ledger'));
      expect(screen.queryByTestId('nav-ledger')).toBeNull();
      expect(screen.queryByTestId('grid-ledger')).toBeNull();
      view.unmount();
    }
  });
});

describe('ledger export', () => {
  const summary = (overrides: Partial<ExportSummary> = {}): ExportSummary => ({
    run_id: '019aa000-0000-7000-8000-000000000001',
    path: '/home/fran/Downloads/marketdesk-ledger-20261127.csv',
    rows: 42_000,
    cancelled: false,
    ...overrides,
  });

  it('follows the rows written and says where the file went', async () => {
    let finish: (s: ExportSummary) => void = () => {};
    const { user, argsOf } = renderApp({
      me: me('finance'),
      path: '/ledger',
      events: true,
      handlers: {
        list_ledger: () => page(LINES),
        account_balances: () => BALANCED,
        export_ledger: () => new Promise<ExportSummary>((resolve) => (finish = resolve)),
      },
    });
    await user.click(await screen.findByTestId('export-csv'));
    await waitFor(() => expect(argsOf('export_ledger')).toHaveLength(1));
    const { exportId, format } = argsOf<{ exportId: string; format: string }>('export_ledger')[0]!;
    expect(format).toBe('csv');
    const bar = screen.getByRole('progressbar', { name: 'Exporting CSV' });
    expect(screen.queryByTestId('export-csv')).toBeNull();

    await act(() => emit('export-progressed', { export_id: exportId, rows: 20_000 }));
    expect(bar).toHaveAttribute('aria-valuetext', '20,000 entries written');
    // Another export's progress is not this one's.
    await act(() => emit('export-progressed', { export_id: 'another', rows: 90_000 }));
    expect(bar).toHaveAttribute('aria-valuetext', '20,000 entries written');

    act(() => finish(summary()));
    expect(await screen.findByTestId('toast')).toHaveTextContent(
      'Exported 42,000 entries to /home/fran/Downloads/marketdesk-ledger-20261127.csv',
    );
    expect(screen.queryByRole('progressbar', { name: 'Exporting CSV' })).toBeNull();
    expect(screen.getByTestId('export-xlsx')).toBeEnabled();
  });

  it('cancels through the core and says that no file was written', async () => {
    let finish: (s: ExportSummary) => void = () => {};
    const { user, argsOf } = renderApp({
      me: me('finance'),
      path: '/ledger',
      events: true,
      handlers: {
        list_ledger: () => page(LINES),
        account_balances: () => BALANCED,
        export_ledger: () => new Promise<ExportSummary>((resolve) => (finish = resolve)),
        cancel_export: () => {
          finish(summary({ rows: 10_000, cancelled: true }));
          return true;
        },
      },
    });
    await user.click(await screen.findByTestId('export-xlsx'));
    const bar = await screen.findByRole('progressbar', { name: 'Exporting XLSX' });
    await user.click(within(bar.parentElement!).getByRole('button', { name: 'Cancel' }));
    const { exportId } = argsOf<{ exportId: string }>('export_ledger')[0]!;
    expect(argsOf('cancel_export')).toEqual([{ exportId }]);
    expect(await screen.findByTestId('toast')).toHaveTextContent(
      'The export was cancelled: no file was written.',
    );
    expect(screen.getByTestId('export-xlsx')).toBeInTheDocument();
  });

  it('shows the core’s refusal', async () => {
    const { user } = renderApp({
      me: me('finance'),
      path: '/ledger',
      handlers: {
        list_ledger: () => page(LINES),
        account_balances: () => BALANCED,
        export_ledger: () => appError('invalid', 'this account has no home folder'),
      },
    });
    await user.click(await screen.findByTestId('export-csv'));
    expect(await screen.findByTestId('toast')).toHaveTextContent('this account has no home folder');
    expect(screen.getByTestId('export-csv')).toBeEnabled();
  });
});
