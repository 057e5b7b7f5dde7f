import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RevenueQuery } from '../../bindings';
import { monthsAgoStart, today } from '../../lib/dates';
import { renderApp } from '../../test/app';
import { me, revenueReport } from '../../test/fixtures';
import { averageOrderValue } from './RevenueReport';

const PERIODS: Record<string, string[]> = {
  month: ['2026-03', '2026-04', '2026-05'],
  quarter: ['2026-Q1', '2026-Q2'],
  week: ['2026-W17', '2026-W18'],
  day: ['2026-05-01'],
};

const report = (args: unknown) => {
  const { query } = args as { query: RevenueQuery };
  return revenueReport(PERIODS[query.grain] ?? [], query.currency);
};

const periods = () =>
  Array.from(screen.getByTestId('revenue-table').querySelectorAll<HTMLElement>('[data-period]')).map(
    (r) => r.dataset.period,
  );

describe('revenue', () => {
  it('asks for the last 12 months by month, and re-queries with the grain chosen', async () => {
    const { user, argsOf } = renderApp({ me: me('finance'), handlers: { revenue_report: report } });
    await screen.findByTestId('revenue-table');
    expect(argsOf<{ query: RevenueQuery }>('revenue_report')[0]?.query).toEqual({
      from: monthsAgoStart(11),
      to: today(),
      currency: 'USD',
      grain: 'month',
      vendor_id: null,
      category_id: null,
    });
    expect(periods()).toEqual(['2026-03', '2026-04', '2026-05']);
    const gross = screen.getByTestId('revenue-total-gross');
    expect(gross).toHaveTextContent('$10,000.03');
    // 1,000,003 minor units over 4 orders: integer division.
    expect(screen.getByTestId('revenue-aov')).toHaveTextContent('$2,500.00');
    expect(screen.getByText('Northwind Ceramics')).toBeInTheDocument();
    expect(screen.getByText('Kitchen')).toBeInTheDocument();

    await user.click(screen.getByTestId('revenue-grain'));
    await user.click(await screen.findByTestId('revenue-grain-quarter'));
    await waitFor(() => expect(periods()).toEqual(['2026-Q1', '2026-Q2']));
    expect(argsOf<{ query: RevenueQuery }>('revenue_report').at(-1)?.query.grain).toBe('quarter');
    expect(screen.getByTestId('revenue-grain')).toHaveTextContent('Quarter');
    // Same range, other grouping: same total.
    expect(screen.getByTestId('revenue-total-gross')).toHaveTextContent('$10,000.03');
    const row = screen.getByTestId('revenue-table').querySelector('[data-period="2026-Q2"]') as HTMLElement;
    expect(within(row).getByText('2026-Q2')).toBeInTheDocument();
  });

  it('opens the grain menu on a plain click too (drivers that send no pointer events)', async () => {
    const { argsOf } = renderApp({ me: me('finance'), handlers: { revenue_report: report } });
    await screen.findByTestId('revenue-table');
    fireEvent.click(screen.getByTestId('revenue-grain'), { detail: 1 });
    fireEvent.click(await screen.findByTestId('revenue-grain-week'));
    await waitFor(() => expect(periods()).toEqual(['2026-W17', '2026-W18']));
    expect(argsOf<{ query: RevenueQuery }>('revenue_report').at(-1)?.query.grain).toBe('week');
  });

  it('changes currency and refuses a range that ends before it starts', async () => {
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/revenue',
      handlers: { revenue_report: report },
    });
    await screen.findByTestId('revenue-table');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Currency' }), 'EUR');
    await waitFor(() => expect(screen.getByTestId('revenue-total-gross')).toHaveTextContent('€10,000.03'));
    expect(argsOf<{ query: RevenueQuery }>('revenue_report').at(-1)?.query.currency).toBe('EUR');

    const calls = argsOf('revenue_report').length;
    const from = screen.getByTestId('revenue-from');
    await user.clear(from);
    await user.type(from, '2099-01-01');
    expect(await screen.findByText('The range ends before it starts.')).toBeInTheDocument();
    expect(argsOf('revenue_report')).toHaveLength(calls);
  });

  it('shows a skeleton, then a progress bar when the report takes more than a second', async () => {
    renderApp({ me: me('finance'), handlers: { revenue_report: () => new Promise(() => {}) } });
    expect(await screen.findByLabelText('Loading the report')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(await screen.findByRole('progressbar', {}, { timeout: 2000 })).toBeInTheDocument();
  });

  it('divides money as integers', () => {
    expect(averageOrderValue(1_000_003, 4)).toBe(250_000);
    expect(averageOrderValue(Number.MAX_SAFE_INTEGER, 3)).toBe(3_002_399_751_580_330);
    expect(averageOrderValue(100, 0)).toBeNull();
  });
});
