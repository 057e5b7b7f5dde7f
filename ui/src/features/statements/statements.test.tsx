import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type {
  ExportSummary,
  ReportQuery,
  RevenueQuery,
  StatementQuery,
  VendorChoice,
  VendorStatement,
} from '../../bindings';
import { monthsAgoStart, today } from '../../lib/dates';
import { formatDate } from '../../lib/format';
import { renderApp } from '../../test/app';
import { appError, me, revenueReport } from '../../test/fixtures';
import type { CommandHandler } from '../../test/tauri';
import { statementLabel } from '../ledger/codes';

const VENDOR = me('vendor');
const FINANCE = me('finance');

/** The range a statement opens with: the first day of last month to today. */
const DEFAULT_RANGE = { from: monthsAgoStart(1), to: today() };

const vendor = (n: number, name: string): VendorChoice => ({
  id: `0190c000-0000-7000-8000-00000000000${n}`,
  name,
  email: `${name.split(' ')[0]?.toLowerCase()}@example.com`,
});
const NORTHWIND = vendor(1, 'Northwind Ceramics');
const ACME = vendor(2, 'Acme Tools');

const STATEMENT: Omit<VendorStatement, 'query'> = {
  vendor_name: 'Northwind Ceramics',
  vendor_email: 'northwind@example.com',
  opening_minor: 10_000,
  lines: [
    {
      occurred_at: '2026-04-03T10:00:00.000000Z',
      code: 'payment_captured',
      description: 'Order MD-0000001 captured',
      order_number: 'MD-0000001',
      amount_minor: 45_000,
      balance_minor: 55_000,
    },
    {
      occurred_at: '2026-04-05T10:00:00.000000Z',
      code: 'refund',
      description: 'Refund of MD-0000001',
      order_number: 'MD-0000001',
      amount_minor: -5_000,
      balance_minor: 50_000,
    },
    {
      occurred_at: '2026-04-30T23:30:00.000000Z',
      code: 'payout_executed',
      description: 'Payout po_123',
      order_number: null,
      amount_minor: -50_000,
      balance_minor: 0,
    },
    {
      occurred_at: '2026-05-02T08:00:00.000000Z',
      code: 'payment_captured',
      description: 'Order MD-0000002 captured',
      order_number: 'MD-0000002',
      amount_minor: 12_345,
      balance_minor: 12_345,
    },
  ],
  closing_minor: 12_345,
  totals: [
    ['payment_captured', 57_345],
    ['refund', -5_000],
    ['payout_executed', -50_000],
  ],
};

/** The core's answer for the query asked (the statement's dates are the query's). */
const statementFor =
  (statement: Omit<VendorStatement, 'query'> = STATEMENT): CommandHandler =>
  (args) => ({ ...statement, query: (args as { query: StatementQuery }).query });

const SAVED: ExportSummary = {
  run_id: '019ab000-0000-7000-8000-000000000002',
  path: '/home/vera/Downloads/marketdesk-statement.pdf',
  rows: 4,
  cancelled: false,
};

const statementQueries = (argsOf: <T>(cmd: string) => T[]) =>
  argsOf<{ query: StatementQuery }>('vendor_statement').map((a) => a.query);

function renderEarnings(handlers: Record<string, CommandHandler> = {}) {
  return renderApp({
    me: VENDOR,
    path: '/earnings',
    handlers: {
      vendor_earnings: () => [],
      revenue_report: (args) => revenueReport(['2026-05'], (args as { query: RevenueQuery }).query.currency),
      vendor_statement: statementFor(),
      ...handlers,
    },
  });
}

async function renderReportsStatement(handlers: Record<string, CommandHandler> = {}) {
  const view = renderApp({
    me: FINANCE,
    path: '/reports',
    handlers: {
      run_report: () => new Promise(() => {}),
      saved_reports: () => [],
      report_runs: () => [],
      // The core's order: by name.
      list_vendors: () => [ACME, NORTHWIND],
      vendor_statement: statementFor(),
      ...handlers,
    },
  });
  await view.user.click(await screen.findByTestId('report-kind-statement'));
  return view;
}

describe('vendor statements', () => {
  it('shows the signed-in vendor their statement on the earnings screen, from last month to today', async () => {
    const { argsOf } = renderEarnings();
    const earnings = await screen.findByTestId('earnings');
    const statement = await within(earnings).findByTestId('statement');
    expect(await within(statement).findAllByTestId('statement-line')).toHaveLength(4);
    expect(screen.getByRole('heading', { name: 'Statement' })).toBeInTheDocument();
    // Their own: the core would force their id anyway.
    expect(statementQueries(argsOf)).toEqual([{ vendor_id: VENDOR.id, currency: 'USD', ...DEFAULT_RANGE }]);
    expect(screen.getByTestId('statement-from')).toHaveValue(DEFAULT_RANGE.from);
    expect(screen.getByTestId('statement-to')).toHaveValue(DEFAULT_RANGE.to);
    // No vendor picker for a vendor.
    expect(screen.queryByTestId('statement-vendor')).toBeNull();
    expect(screen.getByTestId('statement-title')).toHaveTextContent('Statement · Northwind Ceramics');
  });

  it('sums up the period and lists the movements in the vendor’s words, signed', async () => {
    renderEarnings();
    const lines = await screen.findAllByTestId('statement-line');

    expect(screen.getByTestId('statement-opening')).toHaveTextContent(
      `Owed on ${formatDate(DEFAULT_RANGE.from)}$100.00`,
    );
    expect(screen.getByTestId('statement-total-payment_captured')).toHaveTextContent(
      'Sales less commission+$573.45',
    );
    expect(screen.getByTestId('statement-total-refund')).toHaveTextContent('Refund to a buyer-$50.00');
    expect(screen.getByTestId('statement-total-payout_executed')).toHaveTextContent(
      'Payout to your bank-$500.00',
    );
    const closing = screen.getByTestId('statement-closing');
    expect(closing).toHaveTextContent(`Owed at end of ${formatDate(DEFAULT_RANGE.to)}$123.45`);
    expect(closing).toHaveClass('font-semibold');

    const cells = (row: HTMLElement) => Array.from(row.querySelectorAll('td')).map((c) => c.textContent);
    expect(cells(lines[0] as HTMLElement)).toEqual([
      'Apr 3, 2026',
      'Sales less commissionOrder MD-0000001 captured',
      'MD-0000001',
      '+$450.00',
      '$550.00',
    ]);
    // Dates are the statement's UTC days, as in the PDF.
    expect(cells(lines[2] as HTMLElement)).toEqual([
      'Apr 30, 2026',
      'Payout to your bankPayout po_123',
      '—',
      '-$500.00',
      '$0.00',
    ]);
    const amount = (row: Element | undefined) => row?.querySelectorAll('td')[3]?.firstElementChild;
    expect(amount(lines[0])).toHaveClass('text-success');
    expect(amount(lines[1])).toHaveClass('text-danger-text');
    expect(lines[0]?.querySelectorAll('td')[3]).toHaveClass('text-right');
  });

  it('downloads the PDF of the statement on screen and says where it went', async () => {
    let finish: () => void = () => {};
    const { user, argsOf } = renderEarnings({
      export_vendor_statement: () =>
        new Promise((resolve) => {
          finish = () => resolve(SAVED);
        }),
    });
    await screen.findAllByTestId('statement-line');
    await user.selectOptions(screen.getByTestId('statement-currency'), 'EUR');
    await waitFor(() => expect(statementQueries(argsOf).at(-1)?.currency).toBe('EUR'));

    const download = screen.getByTestId('statement-download');
    await user.click(download);
    expect(download).toHaveAttribute('aria-busy', 'true');
    expect(argsOf('export_vendor_statement')).toEqual([
      { query: { vendor_id: VENDOR.id, currency: 'EUR', ...DEFAULT_RANGE } },
    ]);
    expect(screen.queryByTestId('statement-path')).toBeNull();

    finish();
    expect(await screen.findByTestId('statement-path')).toHaveTextContent(
      'Saved to /home/vera/Downloads/marketdesk-statement.pdf',
    );
    expect(screen.getByTestId('toast')).toHaveTextContent(
      'Saved the statement to /home/vera/Downloads/marketdesk-statement.pdf',
    );
    expect(download).not.toHaveAttribute('aria-busy');
  });

  it('shows the core’s refusal to write the PDF', async () => {
    const { user } = renderEarnings({
      export_vendor_statement: () => appError('invalid', 'the Downloads folder cannot be written'),
    });
    await screen.findAllByTestId('statement-line');
    await user.click(screen.getByTestId('statement-download'));
    expect(await screen.findByTestId('toast')).toHaveTextContent('the Downloads folder cannot be written');
    expect(screen.queryByTestId('statement-path')).toBeNull();
  });

  it('lets finance pick a vendor in Reports and asks for that vendor’s statement', async () => {
    const { user, argsOf } = await renderReportsStatement();
    expect(screen.getByTestId('report-kind-statement')).toHaveAttribute('aria-current', 'true');
    expect(screen.getByTestId('report-kind-commissions')).not.toHaveAttribute('aria-current');
    expect(screen.getByText('Choose a vendor', { selector: 'p' })).toBeInTheDocument();
    expect(screen.getByTestId('statement-download')).toBeDisabled();
    // No report filters or export beside a statement.
    expect(screen.queryByTestId('report-export-csv')).toBeNull();

    const picker = screen.getByTestId('statement-vendor');
    await waitFor(() => expect(picker).toBeEnabled());
    // In the core's order, each with their address.
    expect(
      within(picker)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual([
      'Choose a vendor',
      'Acme Tools · acme@example.com',
      'Northwind Ceramics · northwind@example.com',
    ]);
    expect(argsOf('vendor_statement')).toHaveLength(0);

    await user.selectOptions(picker, ACME.id);
    expect(await screen.findAllByTestId('statement-line')).toHaveLength(4);
    expect(statementQueries(argsOf)).toEqual([{ vendor_id: ACME.id, currency: 'USD', ...DEFAULT_RANGE }]);

    await user.selectOptions(picker, NORTHWIND.id);
    await waitFor(() => expect(statementQueries(argsOf).at(-1)?.vendor_id).toBe(NORTHWIND.id));

    // Back to a report: it runs again.
    await user.click(screen.getByTestId('report-kind-orders'));
    await waitFor(() =>
      expect(argsOf<{ query: ReportQuery }>('run_report').at(-1)?.query.kind).toBe('orders'),
    );
    expect(screen.queryByTestId('statement')).toBeNull();
  });

  it('refuses a range that ends before it starts without asking the core', async () => {
    const { user, argsOf } = renderEarnings();
    await screen.findAllByTestId('statement-line');
    const calls = argsOf('vendor_statement').length;
    const from = screen.getByTestId('statement-from');
    await user.clear(from);
    await user.type(from, '2099-01-01');
    expect(await screen.findAllByText('The range ends before it starts.')).not.toHaveLength(0);
    expect(argsOf('vendor_statement')).toHaveLength(calls);
    expect(screen.getByTestId('statement-download')).toBeDisabled();
    expect(screen.queryByTestId('statement-line')).toBeNull();
  });

  it('shows the core’s error with a Retry', async () => {
    let calls = 0;
    const { user } = renderEarnings({
      vendor_statement: (args) => {
        calls += 1;
        return calls === 1 ? appError('database', 'the ledger is locked') : statementFor()(args);
      },
    });
    const statement = await screen.findByTestId('statement');
    expect(await within(statement).findByTestId('inline-error')).toHaveTextContent('the ledger is locked');
    await user.click(screen.getByTestId('statement-retry'));
    expect(await screen.findAllByTestId('statement-line')).toHaveLength(4);
    expect(within(statement).queryByTestId('inline-error')).toBeNull();
  });

  it('says when nothing moved in the period, still with what was owed', async () => {
    renderEarnings({
      vendor_statement: statementFor({
        ...STATEMENT,
        opening_minor: 2_500,
        closing_minor: 2_500,
        lines: [],
        totals: [],
      }),
    });
    expect(await screen.findByText('No movements in this period')).toBeInTheDocument();
    expect(screen.getByTestId('statement-opening')).toHaveTextContent('$25.00');
    expect(screen.getByTestId('statement-closing')).toHaveTextContent('$25.00');
    expect(screen.queryByTestId('statement-line')).toBeNull();
  });

  it('names the codes as the PDF does, and unknown codes as they are', () => {
    expect(statementLabel('payment_captured')).toBe('Sales less commission');
    expect(statementLabel('dispute')).toBe('Chargeback');
    expect(statementLabel('dispute_fee')).toBe('Dispute fee');
    expect(statementLabel('payout_failed')).toBe('Payout returned');
    expect(statementLabel('payout_returned')).toBe('Payout returned');
    expect(statementLabel('subscription_paid')).toBe('Subscription');
    expect(statementLabel('late_fee')).toBe('late_fee');
    expect(statementLabel('constructor')).toBe('constructor');
  });
});
