import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type {
  ExportFormat,
  ExportSummary,
  ReportColumn,
  ReportQuery,
  ReportSort,
  ReportRun,
  ReportTable,
  SavedReport,
  SaveReport,
} from '../../bindings';
import { monthsAgoStart, today } from '../../lib/dates';
import { renderApp } from '../../test/app';
import { appError, me } from '../../test/fixtures';
import type { CommandHandler } from '../../test/tauri';
import { formatCell, issueCount, nextSort } from './cells';

const col = (key: string, label: string, kind: ReportColumn['kind']): ReportColumn => ({ key, label, kind });

const COMMISSIONS: ReportTable = {
  title: 'Commissions by vendor',
  currency: 'USD',
  columns: [
    col('vendor', 'Vendor', 'text'),
    col('orders', 'Orders', 'count'),
    col('gross', 'Gross sales', 'money'),
    col('commission', 'Commission', 'money'),
    col('rate', 'Effective rate', 'percent'),
  ],
  rows: [
    ['Northwind Ceramics', 1234, 123_456, 15_234, 1234],
    ['Acme Tools', 3, 999_999, 100_000, 1000],
    ['Zeta Goods', 12, 5_000, null, null],
  ],
  totals: ['Total', 1249, 1_128_455, 115_234, 1021],
  note: 'Read from the sales rollups.',
};

const PAYOUTS: ReportTable = {
  title: 'Payout reconciliation',
  currency: 'EUR',
  columns: [
    col('vendor', 'Vendor', 'text'),
    col('status', 'Status', 'text'),
    col('amount', 'Amount', 'money'),
    col('posted', 'In the ledger', 'money'),
    col('issue', 'Issue', 'text'),
  ],
  rows: [
    ['Northwind Ceramics', 'paid', 50_000, 50_000, null],
    ['Acme Tools', 'paid', 20_000, 0, 'Paid but not booked in the ledger'],
    ['Zeta Goods', 'processing', 7_500, 0, 'In flight: run its batch again to finish it'],
  ],
  totals: ['Total paid', null, 70_000, 50_000, '2 to look at'],
  note: 'Payouts beside what the ledger booked for them.',
};

const periodTable = (title: string, columns: ReportColumn[]): ReportTable => ({
  title,
  currency: null,
  columns: [col('period', 'Period', 'text'), ...columns],
  rows: [['2026-05', ...columns.map(() => 1)]],
  totals: null,
  note: '',
});

const TABLES: Record<string, ReportTable> = {
  commissions: COMMISSIONS,
  payouts: PAYOUTS,
  orders: periodTable('Orders', [col('placed', 'Placed', 'count')]),
  products: periodTable('Top products', [col('units', 'Units', 'count')]),
  users: periodTable('New users', [col('customers', 'New customers', 'count')]),
};

const runReport: CommandHandler = (args) => TABLES[(args as { query: ReportQuery }).query.kind];

const DEFAULT_QUERY: ReportQuery = {
  kind: 'commissions',
  from: monthsAgoStart(11),
  to: today(),
  currency: 'USD',
  grain: 'month',
  vendor_id: null,
  category_id: null,
};

const FINANCE = me('finance');

const saved = (overrides: Partial<SavedReport> = {}): SavedReport => ({
  id: '019aa000-0000-7000-8000-000000000001',
  name: 'Weekly orders, Q1',
  query: {
    ...DEFAULT_QUERY,
    kind: 'orders',
    from: '2026-01-01',
    to: '2026-03-31',
    currency: 'EUR',
    grain: 'week',
  },
  is_shared: true,
  owner_id: '00000000-0000-4000-8000-0000000000aa',
  owner_name: 'Alex Admin',
  version: 3,
  updated_at: '2026-04-01T08:00:00.000000Z',
  ...overrides,
});

const exported = (format: ExportFormat): ExportSummary => ({
  run_id: '019ab000-0000-7000-8000-000000000001',
  path: `/home/fiona/Downloads/marketdesk-commissions.${format}`,
  rows: 3,
  cancelled: false,
});

function renderReports(handlers: Record<string, CommandHandler> = {}) {
  return renderApp({
    me: FINANCE,
    path: '/reports',
    handlers: { run_report: runReport, saved_reports: () => [], report_runs: () => [], ...handlers },
  });
}

const table = () => screen.getByTestId('report-table');
const rowTexts = (key: string) =>
  Array.from(table().querySelectorAll(`tbody [data-col="${key}"]`)).map((c) => c.textContent);
const queries = (argsOf: <T>(cmd: string) => T[]) =>
  argsOf<{ query: ReportQuery }>('run_report').map((a) => a.query);

describe('reports', () => {
  it('runs commissions for the last 12 months and formats money, rates, counts and the totals', async () => {
    const { argsOf } = renderReports();
    const grid = await screen.findByTestId('report-table');
    expect(queries(argsOf)[0]).toEqual(DEFAULT_QUERY);
    expect(screen.getByRole('heading', { level: 1, name: 'Reports' })).toBeInTheDocument();
    expect(screen.getByTestId('report-title')).toHaveTextContent('Commissions by vendor');
    expect(screen.getByTestId('report-note')).toHaveTextContent('Read from the sales rollups.');
    expect(screen.getByTestId('report-kind-commissions')).toHaveAttribute('aria-current', 'true');
    expect(screen.getByTestId('report-kind-payouts')).toHaveTextContent(
      'Payout reconciliationPayouts against the ledger and Stripe transfers',
    );

    expect(
      within(grid)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Vendor', 'Orders', 'Gross sales', 'Commission', 'Effective rate']);
    const northwind = within(grid).getByText('Northwind Ceramics').closest('tr') as HTMLElement;
    const cell = (row: HTMLElement, key: string) => row.querySelector(`[data-col="${key}"]`);
    expect(cell(northwind, 'orders')).toHaveTextContent('1,234');
    expect(cell(northwind, 'gross')).toHaveTextContent('$1,234.56');
    expect(cell(northwind, 'commission')).toHaveTextContent('$152.34');
    expect(cell(northwind, 'rate')).toHaveTextContent('12.34%');
    expect(cell(northwind, 'gross')).toHaveClass('text-right', 'tabular-nums');
    const zeta = within(grid).getByText('Zeta Goods').closest('tr') as HTMLElement;
    expect(cell(zeta, 'commission')?.textContent).toBe('');
    expect(cell(zeta, 'rate')?.textContent).toBe('');

    const total = screen.getByTestId('report-total-row');
    expect(total.closest('tfoot')).not.toBeNull();
    expect(total).toHaveClass('font-semibold');
    expect(Array.from(total.querySelectorAll('td')).map((c) => c.textContent)).toEqual([
      'Total',
      '1,249',
      '$11,284.55',
      '$1,152.34',
      '10.21%',
    ]);
    expect(screen.getByTestId('report-row-count')).toHaveTextContent('3 rows');
    // Commissions are per vendor: no grouping by period.
    expect(screen.queryByTestId('report-grain')).toBeNull();
    expect(screen.getByTestId('report-currency')).toBeInTheDocument();
  });

  it('runs the report chosen in the rail, with the grouping only where it applies', async () => {
    const { user, argsOf } = renderReports();
    await screen.findByTestId('report-table');

    await user.click(screen.getByTestId('report-kind-orders'));
    await waitFor(() => expect(screen.getByTestId('report-title')).toHaveTextContent('Orders'));
    expect(queries(argsOf).at(-1)).toEqual({ ...DEFAULT_QUERY, kind: 'orders' });
    expect(screen.getByTestId('report-kind-orders')).toHaveAttribute('aria-current', 'true');
    expect(screen.getByTestId('report-kind-commissions')).not.toHaveAttribute('aria-current');
    expect(screen.getByTestId('report-grain')).toHaveTextContent('Month');

    await user.click(screen.getByTestId('report-grain'));
    await user.click(await screen.findByTestId('report-grain-quarter'));
    await waitFor(() => expect(queries(argsOf).at(-1)?.grain).toBe('quarter'));

    await user.click(screen.getByTestId('report-kind-products'));
    await waitFor(() => expect(queries(argsOf).at(-1)?.kind).toBe('products'));
    expect(screen.queryByTestId('report-grain')).toBeNull();

    // New users are counted in people, not money: no currency.
    await user.click(screen.getByTestId('report-kind-users'));
    await waitFor(() => expect(screen.getByTestId('report-title')).toHaveTextContent('New users'));
    expect(queries(argsOf).at(-1)?.kind).toBe('users');
    expect(screen.getByTestId('report-grain')).toHaveTextContent('Quarter');
    expect(screen.queryByTestId('report-currency')).toBeNull();
  });

  it('moves through the rail with the arrow keys', async () => {
    const { user, argsOf } = renderReports();
    await screen.findByTestId('report-table');
    screen.getByTestId('report-kind-commissions').focus();
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(screen.getByTestId('report-kind-products')).toHaveFocus();
    // The vendor statement comes last, under the six reports.
    await user.keyboard('{End}');
    expect(screen.getByTestId('report-kind-statement')).toHaveFocus();
    await user.keyboard('{ArrowUp}');
    expect(screen.getByTestId('report-kind-subscriptions')).toHaveFocus();
    await user.keyboard('{ArrowUp}{Enter}');
    await waitFor(() => expect(queries(argsOf).at(-1)?.kind).toBe('users'));
  });

  it('asks the core for the order a header click or key press names, and shows the rows as the core returns them', async () => {
    // The core sorts; this stand-in returns the rows reversed when asked for any order, so
    // the grid is seen to show the core's order instead of sorting on its own.
    const { user, argsOf } = renderReports({
      run_report: (args) => {
        const { query, sort } = args as { query: ReportQuery; sort: ReportSort | null };
        const table = TABLES[query.kind] as ReportTable;
        return sort ? { ...table, rows: [...table.rows].reverse() } : table;
      },
    });
    await screen.findByTestId('report-table');
    const sorts = () => argsOf<{ sort: ReportSort | null }>('run_report').map((a) => a.sort);
    const gross = table().querySelector('th[data-col="gross"]') as HTMLElement;
    expect(gross).toHaveAttribute('aria-sort', 'none');
    expect(sorts()).toEqual([null]);
    const reportOrder = rowTexts('vendor');

    await user.click(screen.getByTestId('report-sort-gross'));
    await waitFor(() => expect(sorts().at(-1)).toEqual({ key: 'gross', dir: 'desc' }));
    expect(gross).toHaveAttribute('aria-sort', 'descending');
    await waitFor(() => expect(rowTexts('vendor')).toEqual([...reportOrder].reverse()));

    screen.getByTestId('report-sort-gross').focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(sorts().at(-1)).toEqual({ key: 'gross', dir: 'asc' }));
    expect(gross).toHaveAttribute('aria-sort', 'ascending');

    await user.click(screen.getByTestId('report-sort-vendor'));
    await waitFor(() => expect(sorts().at(-1)).toEqual({ key: 'vendor', dir: 'asc' }));
    expect(gross).toHaveAttribute('aria-sort', 'none');
    expect(table().querySelector('tfoot [data-col="vendor"]')).toHaveTextContent('Total');

    // Another report has other columns: it starts in its own order again.
    await user.click(screen.getByTestId('report-kind-orders'));
    await waitFor(() => expect(queries(argsOf).at(-1)?.kind).toBe('orders'));
    expect(sorts().at(-1)).toBeNull();
  });

  it('highlights the payouts with an issue and counts them', async () => {
    const { user } = renderReports();
    await screen.findByTestId('report-table');
    expect(screen.queryByTestId('report-issues')).toBeNull();
    await user.click(screen.getByTestId('report-kind-payouts'));
    await waitFor(() =>
      expect(screen.getByTestId('report-title')).toHaveTextContent('Payout reconciliation'),
    );
    expect(screen.getByTestId('report-issues')).toHaveTextContent('2 issues');
    const flagged = table().querySelectorAll('tbody tr[data-issue="true"]');
    expect(Array.from(flagged).map((r) => r.querySelector('[data-col="vendor"]')?.textContent)).toEqual([
      'Acme Tools',
      'Zeta Goods',
    ]);
    expect(flagged[0]).toHaveClass('bg-warning-soft');
    const ok = within(table()).getByText('Northwind Ceramics').closest('tr') as HTMLElement;
    expect(ok).not.toHaveAttribute('data-issue');
    expect(ok.querySelector('[data-col="amount"]')).toHaveTextContent('€500.00');
    // The totals row names the count too, but is not a payout.
    expect(screen.getByTestId('report-total-row')).not.toHaveAttribute('data-issue');
  });

  it('exports the report on screen and says where the file went', async () => {
    let finish: () => void = () => {};
    const { user, argsOf } = renderReports({
      export_report: (args) =>
        new Promise((resolve) => {
          finish = () => resolve(exported((args as { format: ExportFormat }).format));
        }),
    });
    await screen.findByTestId('report-table');
    await user.selectOptions(screen.getByTestId('report-currency'), 'EUR');
    await waitFor(() => expect(queries(argsOf).at(-1)?.currency).toBe('EUR'));

    await user.click(screen.getByTestId('report-export-xlsx'));
    expect(screen.getByTestId('report-export-xlsx')).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByTestId('report-export-csv')).toBeDisabled();
    expect(argsOf('export_report')).toEqual([
      { query: { ...DEFAULT_QUERY, currency: 'EUR' }, format: 'xlsx' },
    ]);

    finish();
    expect(await screen.findByTestId('toast')).toHaveTextContent(
      'Exported 3 rows to /home/fiona/Downloads/marketdesk-commissions.xlsx',
    );
    expect(screen.getByTestId('report-export-path')).toHaveTextContent(
      '/home/fiona/Downloads/marketdesk-commissions.xlsx',
    );
    expect(screen.getByTestId('report-export-csv')).toBeEnabled();
  });

  it('exports CSV with Ctrl+E and shows the core’s refusal', async () => {
    const { user, argsOf } = renderReports({
      export_report: () => appError('invalid', 'the Downloads folder cannot be written'),
    });
    await screen.findByTestId('report-table');
    await user.keyboard('{Control>}e{/Control}');
    await waitFor(() => expect(argsOf('export_report')).toHaveLength(1));
    expect(argsOf<{ format: ExportFormat }>('export_report')[0]?.format).toBe('csv');
    expect(await screen.findByTestId('toast')).toHaveTextContent('the Downloads folder cannot be written');
  });

  it('saves the report with a trimmed name, showing the core’s refusal in the dialog', async () => {
    let attempts = 0;
    let list: SavedReport[] = [];
    const { user, argsOf } = renderReports({
      saved_reports: () => list,
      save_report: (args) => {
        attempts += 1;
        if (attempts === 1) return appError('invalid', 'you already have a report named “Top sellers”');
        const { input } = args as { input: SaveReport };
        const report = saved({
          id: '019aa000-0000-7000-8000-000000000009',
          name: input.name,
          query: input.query,
          is_shared: input.is_shared,
          owner_id: FINANCE.id,
          owner_name: FINANCE.display_name,
          version: 1,
        });
        list = [report];
        return report;
      },
    });
    await screen.findByTestId('report-table');
    expect(await screen.findByText('Saved reports appear here.')).toBeInTheDocument();

    await user.click(screen.getByTestId('report-save'));
    const dialog = await screen.findByRole('dialog', { name: 'Save report' });
    // Nothing is sent without a name.
    await user.click(within(dialog).getByTestId('save-report-submit'));
    expect(within(dialog).getByText('Give the report a name.')).toBeInTheDocument();
    expect(argsOf('save_report')).toHaveLength(0);

    await user.type(within(dialog).getByTestId('save-report-name'), '  Top sellers  ');
    await user.click(within(dialog).getByLabelText('Share with finance and admins'));
    await user.keyboard('{Enter}');
    expect(await within(dialog).findByTestId('inline-error')).toHaveTextContent(
      'you already have a report named “Top sellers”',
    );
    expect(argsOf<{ input: SaveReport }>('save_report')[0]?.input).toEqual({
      existing: null,
      name: 'Top sellers',
      query: DEFAULT_QUERY,
      is_shared: true,
    });

    await user.click(within(dialog).getByTestId('save-report-submit'));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(argsOf('save_report')).toHaveLength(2);
    expect(screen.getByTestId('report-title')).toHaveTextContent('Top sellers');
    // The list is read again and shows it, open, shared, without an owner (it is mine).
    const item = await screen.findByTestId('saved-report-019aa000-0000-7000-8000-000000000009');
    expect(item).toHaveAttribute('aria-current', 'true');
    expect(item).toHaveTextContent('Shared');
    expect(item).not.toHaveTextContent(FINANCE.display_name);
    expect(screen.getByTestId('report-save')).toHaveTextContent('Save as…');
  });

  it('opens a shared saved report: its filters, its run; only its owner may change it', async () => {
    const { user, argsOf } = renderReports({ saved_reports: () => [saved()] });
    await screen.findByTestId('report-table');
    const item = await screen.findByTestId(`saved-report-${saved().id}`);
    expect(item).toHaveTextContent('Weekly orders, Q1');
    expect(item).toHaveTextContent('Shared');
    expect(item).toHaveTextContent('Orders · Alex Admin');

    await user.click(item);
    await waitFor(() => expect(queries(argsOf).at(-1)).toEqual(saved().query));
    expect(screen.getByTestId('report-title')).toHaveTextContent('Weekly orders, Q1');
    expect(screen.getByTestId('report-from')).toHaveValue('2026-01-01');
    expect(screen.getByTestId('report-to')).toHaveValue('2026-03-31');
    expect(screen.getByTestId('report-currency')).toHaveValue('EUR');
    expect(screen.getByTestId('report-grain')).toHaveTextContent('Week');
    expect(item).toHaveAttribute('aria-current', 'true');
    expect(screen.getByTestId('report-kind-orders')).not.toHaveAttribute('aria-current');
    expect(screen.queryByTestId('report-update')).toBeNull();
    expect(screen.queryByTestId('report-delete')).toBeNull();
  });

  it('saves changes to one’s own report at the version read, and deletes it after confirmation', async () => {
    const own = saved({ owner_id: FINANCE.id, owner_name: FINANCE.display_name, is_shared: false });
    let list = [own];
    const { user, argsOf } = renderReports({
      saved_reports: () => list,
      save_report: (args) => {
        const { input } = args as { input: SaveReport };
        list = [{ ...own, query: input.query, version: 4 }];
        return list[0];
      },
      delete_saved_report: () => {
        list = [];
        return null;
      },
    });
    await user.click(await screen.findByTestId(`saved-report-${own.id}`));
    await waitFor(() => expect(queries(argsOf).at(-1)).toEqual(own.query));
    expect(screen.getByTestId(`saved-report-${own.id}`)).not.toHaveTextContent('Shared');
    expect(screen.getByTestId('report-update')).toBeDisabled();

    await user.selectOptions(screen.getByTestId('report-currency'), 'USD');
    expect(await screen.findByText('Edited')).toBeInTheDocument();
    await user.click(screen.getByTestId('report-update'));
    await waitFor(() => expect(argsOf('save_report')).toHaveLength(1));
    expect(argsOf<{ input: SaveReport }>('save_report')[0]?.input).toEqual({
      existing: [own.id, 3],
      name: own.name,
      query: { ...own.query, currency: 'USD' },
      is_shared: false,
    });
    await waitFor(() => expect(screen.queryByText('Edited')).toBeNull());

    await user.click(screen.getByTestId('report-delete'));
    const confirm = await screen.findByRole('alertdialog', { name: `Delete “${own.name}”?` });
    await user.click(within(confirm).getByTestId('confirm'));
    await waitFor(() => expect(screen.queryByTestId(`saved-report-${own.id}`)).toBeNull());
    expect(argsOf('delete_saved_report')).toEqual([{ id: own.id, version: 4 }]);
    expect(screen.queryByTestId('report-delete')).toBeNull();
    expect(screen.getByTestId('report-save')).toHaveTextContent('Save…');
  });

  it('says when there is nothing in the range', async () => {
    renderReports({ run_report: () => ({ ...COMMISSIONS, rows: [], totals: null }) });
    expect(await screen.findByText('Nothing in this range')).toBeInTheDocument();
    expect(screen.getByText('Widen the dates, or try the other currency.')).toBeInTheDocument();
    expect(screen.queryByTestId('report-table')).toBeNull();
  });

  it('shows the core’s error with a Retry, and a loading state meanwhile', async () => {
    let calls = 0;
    let fail: () => void = () => {};
    const { user } = renderReports({
      run_report: (args) => {
        calls += 1;
        if (calls > 1) return runReport(args);
        return new Promise((resolve) => {
          fail = () => resolve(appError('database', 'the rollups are being rebuilt'));
        });
      },
    });
    expect(await screen.findByText('Running report…')).toBeInTheDocument();
    fail();
    expect(await screen.findByTestId('inline-error')).toHaveTextContent('the rollups are being rebuilt');
    await user.click(screen.getByTestId('report-retry'));
    expect(await screen.findByTestId('report-table')).toBeInTheDocument();
    expect(screen.queryByTestId('inline-error')).toBeNull();
  });

  it('refuses a range that ends before it starts without asking the core', async () => {
    const { user, argsOf } = renderReports();
    await screen.findByTestId('report-table');
    const calls = argsOf('run_report').length;
    const from = screen.getByTestId('report-from');
    await user.clear(from);
    await user.type(from, '2099-01-01');
    expect(await screen.findAllByText('The range ends before it starts.')).not.toHaveLength(0);
    expect(argsOf('run_report')).toHaveLength(calls);
    expect(screen.getByTestId('report-export-csv')).toBeDisabled();
  });

  it('lists the recent runs with their files when unfolded', async () => {
    const run: ReportRun = {
      id: '019ac000-0000-7000-8000-000000000001',
      kind: 'payouts',
      status: 'succeeded',
      started_at: '2026-05-01T08:00:00.000000Z',
      finished_at: '2026-05-01T08:00:02.000000Z',
      row_count: 1250,
      error: null,
      export_format: 'xlsx',
      export_url: '/home/fiona/Downloads/marketdesk-payouts.xlsx',
      run_by_name: 'Fiona Finance',
    };
    const { user, argsOf } = renderReports({
      report_runs: () => [
        run,
        { ...run, id: 'r2', kind: 'transactions', status: 'failed', error: 'disk full' },
        { ...run, id: 'r3', kind: 'vendors', export_format: 'pdf' },
      ],
    });
    await screen.findByTestId('report-table');
    expect(argsOf('report_runs')).toHaveLength(0);
    const toggle = screen.getByTestId('report-runs-toggle');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const row = await screen.findByTestId(`report-run-${run.id}`);
    expect(row).toHaveTextContent('Payout reconciliation');
    expect(row).toHaveTextContent('Succeeded');
    expect(row).toHaveTextContent('1,250');
    expect(row).toHaveTextContent('/home/fiona/Downloads/marketdesk-payouts.xlsx');
    const failed = screen.getByTestId('report-run-r2');
    expect(failed).toHaveTextContent('Ledger entries');
    expect(failed).toHaveTextContent('disk full');
    expect(screen.getByTestId('report-run-r3')).toHaveTextContent('Vendor statementpdf');
  });

  it('is in the navigation for finance and admins (g x), not for vendors or logistics', async () => {
    const { user, unmount } = renderApp({
      me: FINANCE,
      path: '/revenue',
      handlers: {
        revenue_report: () => new Promise(() => {}),
        run_report: runReport,
        saved_reports: () => [],
      },
    });
    expect(await screen.findByTestId('nav-reports')).toHaveTextContent('Reports');
    await user.keyboard('gx');
    await waitFor(() => expect(window.location.hash).toBe('#/reports'));
    expect(await screen.findByTestId('reports')).toBeInTheDocument();
    unmount();

    for (const role of ['vendor', 'logistics'] as const) {
      const view = renderApp({ me: me(role), path: '/reports', handlers: { vendor_earnings: () => [] } });
      await screen.findByTestId('user-name');
      await waitFor(() => expect(window.location.hash).not.toBe('#/reports'));
      expect(screen.queryByTestId('nav-reports')).toBeNull();
      expect(screen.queryByTestId('reports')).toBeNull();
      view.unmount();
    }
  });
});

describe('report cells', () => {
  const money = col('gross', 'Gross', 'money');
  const text = col('vendor', 'Vendor', 'text');

  it('formats each kind of column', () => {
    expect(formatCell(123_456, 'money', 'USD')).toBe('$1,234.56');
    expect(formatCell(-5, 'money', 'EUR')).toBe('-€0.05');
    expect(formatCell(1234, 'percent', 'USD')).toBe('12.34%');
    expect(formatCell(1_234_567, 'count', null)).toBe('1,234,567');
    expect(formatCell('Acme', 'text', null)).toBe('Acme');
    expect(formatCell(null, 'money', 'USD')).toBe('');
  });

  it('sorts numbers largest first and text from A on a first click, then the other way', () => {
    expect(nextSort(null, money)).toEqual({ key: 'gross', dir: 'desc' });
    expect(nextSort(null, text)).toEqual({ key: 'vendor', dir: 'asc' });
    expect(nextSort({ key: 'gross', dir: 'desc' }, money)).toEqual({ key: 'gross', dir: 'asc' });
    expect(nextSort({ key: 'vendor', dir: 'asc' }, money)).toEqual({ key: 'gross', dir: 'desc' });
  });

  it('counts issues only in tables with an issue column', () => {
    expect(issueCount(PAYOUTS.columns, PAYOUTS.rows)).toBe(2);
    expect(issueCount(COMMISSIONS.columns, COMMISSIONS.rows)).toBeNull();
  });
});
