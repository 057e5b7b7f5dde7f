import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AnalyticsStatus, Dashboard, DrillPage, Metric } from '../../bindings';
import { renderApp } from '../../test/app';
import { appError, me } from '../../test/fixtures';

const metric = (over: Partial<Metric>): Metric => ({
  key: 'orders',
  label: 'Orders',
  unit: 'count',
  value: 150,
  previous: 120,
  change_bps: 2500,
  basis: '150 paid orders',
  higher_is_better: true,
  ...over,
});

const figures = (from = '2026-11-08', to = '2026-12-07'): Dashboard => ({
  query: { from, to, currency: 'USD', vendor_id: null },
  previous_from: '2026-10-09',
  previous_to: '2026-11-07',
  metrics: [
    metric({}),
    metric({
      key: 'revenue',
      label: 'Revenue',
      unit: 'money',
      value: 1234500,
      previous: 1000000,
      change_bps: 2345,
    }),
    metric({
      key: 'dispute_rate',
      label: 'Dispute rate',
      unit: 'ratio',
      value: 250,
      previous: 200,
      change_bps: 2500,
      higher_is_better: false,
      basis: '4 disputes for 150 orders',
    }),
    metric({
      key: 'fulfilment_hours',
      label: 'Fulfilment time',
      unit: 'hours',
      value: 30,
      previous: null,
      change_bps: null,
      higher_is_better: false,
    }),
  ],
  days: [
    { day: '2026-12-06', orders: 3, revenue_minor: 9000 },
    { day: '2026-12-07', orders: 2, revenue_minor: 4000 },
  ],
  previous_days: [
    { day: '2026-11-06', orders: 1, revenue_minor: 1000 },
    { day: '2026-11-07', orders: 0, revenue_minor: 0 },
  ],
});

const rows = (offset: number, total = 120): DrillPage => ({
  metric: 'orders',
  total,
  offset,
  rows: Array.from({ length: Math.min(50, total - offset) }, (_, i) => ({
    kind: 'order',
    id: `0190a0a0-0000-7000-8000-${String(offset + i).padStart(12, '0')}`,
    label: `MD-${String(offset + i + 1).padStart(6, '0')}`,
    detail: 'paid',
    amount_minor: 1000,
    at: '2026-12-01T10:00:00Z',
  })),
});

const status = (enabled: boolean): AnalyticsStatus => ({
  settings: { enabled, measurement_id: enabled ? 'G-MARKET42' : null },
  counts: { queued: 12, sent: 300, failed: 1, skipped: 4000 },
});

describe('dashboard', () => {
  it('shows the figures beside the previous period and the rows behind one, paged in the core', async () => {
    const { user, argsOf } = renderApp({
      me: me('finance'),
      path: '/dashboard',
      handlers: {
        business_dashboard: () => figures(),
        dashboard_rows: (args) => rows(Number((args as { offset: number }).offset)),
        list_vendors: () => [{ id: 'v-1', name: 'Ember Co.', email: 'ember@vendors.example' }],
      },
    });
    const orders = await screen.findByTestId('metric-orders');
    expect(orders).toHaveTextContent('150');
    expect(orders).toHaveTextContent('was 120');
    expect(screen.getByTestId('metric-revenue')).toHaveTextContent('$12,345.00');
    // A rise of disputes is bad news; a missing comparison is said.
    expect(within(screen.getByTestId('metric-dispute_rate')).getByText(/▲/)).toHaveClass('text-danger-text');
    expect(within(orders).getByText(/▲/)).toHaveClass('text-success-text');
    expect(screen.getByTestId('metric-fulfilment_hours')).toHaveTextContent('no comparison');
    expect(screen.getByTestId('dashboard-compared')).toHaveTextContent('beside');
    expect(argsOf('business_dashboard')[0]).toMatchObject({ query: { currency: 'USD', vendor_id: null } });
    // Finance does not manage Google Analytics.
    expect(screen.queryByTestId('analytics-setup')).toBeNull();

    await user.click(orders);
    const panel = await screen.findByTestId('dashboard-drill');
    expect(await within(panel).findByText('MD-000001')).toBeInTheDocument();
    expect(within(panel).getByTestId('drill-range')).toHaveTextContent('1–50 of 120');
    await user.click(within(panel).getByTestId('drill-next'));
    expect(await within(panel).findByText('MD-000051')).toBeInTheDocument();
    expect(argsOf('dashboard_rows').at(-1)).toMatchObject({ metric: 'orders', offset: 50, limit: 50 });

    await waitFor(() => expect(screen.getByTestId('dashboard-vendor')).toBeEnabled());
    await user.selectOptions(screen.getByTestId('dashboard-vendor'), 'v-1');
    await waitFor(() =>
      expect(argsOf('business_dashboard').at(-1)).toMatchObject({ query: { vendor_id: 'v-1' } }),
    );
    await user.selectOptions(screen.getByTestId('dashboard-period'), '7');
    await waitFor(() => {
      const q = (argsOf('business_dashboard').at(-1) as { query: { from: string; to: string } }).query;
      expect(Date.parse(q.to) - Date.parse(q.from)).toBe(6 * 86_400_000);
    });
  });

  it('lets an admin turn Google Analytics on with a measurement id, and shows the core’s refusal', async () => {
    let enabled = false;
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/dashboard',
      handlers: {
        business_dashboard: () => ({ ...figures(), days: [], previous_days: [] }),
        analytics_status: () => status(enabled),
        set_analytics: (args) => {
          if ((args as { measurementId: string | null }).measurementId !== 'G-MARKET42') {
            return appError('invalid', '“G-” is not a web stream’s measurement id');
          }
          enabled = true;
          return status(true);
        },
      },
    });
    expect(await screen.findByTestId('dashboard-no-sales')).toBeInTheDocument();
    const setup = await screen.findByTestId('analytics-setup');
    expect(await within(setup).findByText('Off')).toBeInTheDocument();
    expect(within(setup).getByTestId('analytics-counts')).toHaveTextContent('12 waiting · 300 sent');
    await user.click(within(setup).getByTestId('analytics-toggle'));
    await user.type(await screen.findByTestId('analytics-measurement-id'), 'G-');
    await user.click(screen.getByTestId('analytics-submit'));
    expect(await screen.findByTestId('inline-error')).toHaveTextContent('not a web stream’s measurement id');
    await user.type(screen.getByTestId('analytics-measurement-id'), 'MARKET42');
    await user.click(screen.getByTestId('analytics-submit'));
    expect(await within(setup).findByText('On · G-MARKET42')).toBeInTheDocument();
    expect(argsOf('set_analytics').at(-1)).toMatchObject({ enabled: true, measurementId: 'G-MARKET42' });
  });
});
