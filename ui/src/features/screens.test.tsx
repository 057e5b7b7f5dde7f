import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Payout, PayoutFilter, RevenueQuery, Shipment } from '../bindings';
import { renderApp } from '../test/app';
import { appError, me, page, revenueReport, vera } from '../test/fixtures';

const shipment = (overrides: Partial<Shipment> = {}): Shipment => ({
  id: '0191a000-0000-7000-8000-000000000001',
  order_id: '0190a000-0000-7000-8000-000000000001',
  order_number: 'MD-0000001',
  vendor_id: '0190c000-0000-7000-8000-000000000001',
  vendor_name: 'Northwind Ceramics',
  carrier: 'ups',
  tracking_number: '1Z999AA10123456784',
  status: 'label_purchased',
  shipped_at: null,
  delivered_at: null,
  created_at: '2026-05-02T08:00:00.000000Z',
  placed_at: '2026-05-01T10:00:00.000000Z',
  ship_to_country: 'US',
  sells_labels: true,
  version: 2,
  ...overrides,
});

const payout = (overrides: Partial<Payout> = {}): Payout => ({
  id: '0192a000-0000-7000-8000-000000000001',
  vendor_id: '0190c000-0000-7000-8000-000000000001',
  vendor_name: 'Northwind Ceramics',
  amount_minor: 123_456,
  currency: 'EUR',
  status: 'failed',
  failure_reason: 'The bank account was closed.',
  paid_at: null,
  created_at: '2026-05-03T08:00:00.000000Z',
  version: 1,
  ...overrides,
});

describe('shipments', () => {
  it('shows a shipment’s tracking and lets logistics move it on', async () => {
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/shipments',
      handlers: { list_shipments: () => page([shipment()]), set_shipment_status: () => 3 },
    });
    const grid = await screen.findByTestId('grid-shipments');
    await user.click(await within(grid).findByText('1Z999AA10123456784'));
    expect(grid.querySelector('[data-col="vendor_name"]')).toHaveTextContent('Northwind Ceramics');
    const panel = await screen.findByTestId('shipment-detail');
    expect(panel).toHaveTextContent('Northwind Ceramics');
    expect(within(panel).getByTestId('tracking-number')).toHaveTextContent('1Z999AA10123456784');
    // The moves the core allows by hand from label purchased: a live label is voided, not cancelled.
    expect(
      within(panel)
        .getAllByRole('button')
        .map((b) => b.dataset.testid)
        .filter((id) => id?.startsWith('shipment-action-')),
    ).toEqual(['shipment-action-handed_over', 'shipment-action-in_transit']);
    expect(within(panel).getByTestId('shipment-status')).toHaveTextContent('Label purchased');

    await user.click(within(panel).getByTestId('shipment-action-in_transit'));
    await user.click(within(await screen.findByRole('alertdialog')).getByTestId('confirm'));
    await waitFor(() => expect(within(panel).getByTestId('shipment-status')).toHaveTextContent('In transit'));
    expect(argsOf('set_shipment_status')).toEqual([{ id: shipment().id, version: 2, status: 'in_transit' }]);
  });

  it('draws a shipment’s label in the format logistics picks and says where it went', async () => {
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/shipments',
      handlers: {
        list_shipments: () => page([shipment()]),
        save_shipping_label: (args) => {
          const { format } = args as { format: { kind: string } };
          if (format.kind === 'pdf') return appError('invalid', 'the label needs the recipient’s name');
          return { path: '/home/ada/Downloads/marketdesk-label-0191a0000000.zpl', bytes: 4210 };
        },
      },
    });
    await user.click(
      await within(await screen.findByTestId('grid-shipments')).findByText('1Z999AA10123456784'),
    );
    const panel = await screen.findByTestId('shipment-detail');
    await user.click(within(panel).getByTestId('save-label-zpl-300'));
    expect(await screen.findByTestId('toast')).toHaveTextContent('marketdesk-label-0191a0000000.zpl');
    expect(argsOf('save_shipping_label')).toEqual([
      { shipmentId: shipment().id, format: { kind: 'zpl', density: '300' } },
    ]);
    // The core's refusal is shown in its own words.
    await user.click(within(panel).getByTestId('save-label-pdf'));
    await waitFor(() =>
      expect(
        screen
          .getAllByTestId('toast')
          .map((t) => t.textContent)
          .join(' '),
      ).toContain('recipient’s name'),
    );
  });

  it('shows no label actions to vendors', async () => {
    const { user } = renderApp({
      me: me('vendor'),
      path: '/shipments',
      handlers: { list_shipments: () => page([shipment()]) },
    });
    await user.click(await within(await screen.findByTestId('grid-shipments')).findByText('MD-0000001'));
    const panel = await screen.findByTestId('shipment-detail');
    expect(within(panel).queryByTestId('save-label-pdf')).toBeNull();
  });

  it('gives vendors their own shipments read-only, linked from their orders', async () => {
    const { user } = renderApp({
      me: me('vendor'),
      path: '/orders',
      handlers: { list_shipments: () => page([shipment({ tracking_number: null })]) },
    });
    await screen.findByTestId('grid-orders');
    expect(screen.queryByTestId('nav-shipments')).toBeNull();
    await user.click(screen.getByTestId('link-shipments'));
    const grid = await screen.findByTestId('grid-shipments');
    await user.click(await within(grid).findByText('MD-0000001'));
    const panel = await screen.findByTestId('shipment-detail');
    expect(within(panel).getByTestId('tracking-number')).toHaveTextContent('No label yet');
    expect(within(panel).queryByRole('button', { name: /In transit|Cancel/ })).toBeNull();
  });
});

describe('users', () => {
  it('suspends a person after confirmation', async () => {
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/users',
      handlers: { list_users: () => page([vera]), set_user_active: () => 5 },
    });
    await user.click(
      await within(await screen.findByTestId('grid-users')).findByText('vera@northwind.example'),
    );
    const panel = await screen.findByTestId('user-detail');
    await user.click(within(panel).getByTestId('suspend'));
    await user.click(
      within(await screen.findByRole('alertdialog', { name: 'Suspend Vera Northwind?' })).getByTestId(
        'confirm',
      ),
    );
    expect(await screen.findByTestId('toast')).toHaveTextContent('Vera Northwind suspended');
    expect(argsOf('set_user_active')).toEqual([{ id: vera.id, version: 4, active: false }]);
    expect(within(panel).getByTestId('reactivate')).toBeInTheDocument();
  });

  it('filters by role and status in the core', async () => {
    const { user, argsOf } = renderApp({ me: me('admin'), path: '/users' });
    await screen.findByText('No people yet');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Role' }), 'finance');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'suspended');
    await waitFor(() =>
      expect(argsOf<{ filter: unknown }>('list_users').at(-1)?.filter).toEqual({
        role: 'finance',
        status: 'suspended',
        search: null,
      }),
    );
  });
});

describe('payouts', () => {
  it('lists payouts with their failure and filters by status in the core', async () => {
    const { user, argsOf } = renderApp({
      me: me('finance'),
      path: '/payouts',
      handlers: { list_payouts: () => page([payout()]) },
    });
    const grid = await screen.findByTestId('grid-payouts');
    expect(await within(grid).findByText('Northwind Ceramics')).toBeInTheDocument();
    expect(within(grid).getByText('The bank account was closed.')).toBeInTheDocument();
    expect(within(grid).getByText('€1,234.56')).toBeInTheDocument();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'paid');
    await waitFor(() =>
      expect(argsOf<{ filter: PayoutFilter }>('list_payouts').at(-1)?.filter).toEqual({
        vendor_id: null,
        status: 'paid',
        currency: null,
        batch_id: null,
      }),
    );
  });
});

describe('vendor screens', () => {
  it('shows earnings: balances per currency, own sales and payouts', async () => {
    const { argsOf } = renderApp({
      me: me('vendor'),
      path: '/earnings',
      handlers: {
        vendor_earnings: () => [
          {
            currency: 'EUR',
            sales_minor: 500_000,
            commission_minor: 50_000,
            refunded_minor: 0,
            paid_out_minor: 300_000,
            owed_minor: 150_000,
          },
        ],
        revenue_report: (args) =>
          revenueReport(['2026-05'], (args as { query: RevenueQuery }).query.currency),
        list_payouts: () => page([payout({ status: 'paid', failure_reason: null })]),
        // The statement's own tests are in statements/statements.test.tsx.
        vendor_statement: () => new Promise(() => {}),
      },
    });
    const earnings = await screen.findByTestId('earnings');
    expect(await within(earnings).findByTestId('owed-EUR')).toHaveTextContent('€1,500.00');
    expect(await within(earnings).findByTestId('revenue-table')).toBeInTheDocument();
    // The vendor's first currency; the core narrows the report to their own sales.
    expect(argsOf<{ query: RevenueQuery }>('revenue_report')[0]?.query.currency).toBe('EUR');
    expect(within(earnings).queryByText('Top vendors')).toBeNull();
    expect(await within(earnings).findByTestId('grid-payouts')).toBeInTheDocument();
    // A vendor's payouts have no vendor column.
    expect(within(earnings).queryByRole('columnheader', { name: 'Vendor' })).toBeNull();
    // Below them, their statement.
    expect(within(earnings).getByTestId('statement')).toBeInTheDocument();
  });

  it('shows the subscription, or that there is none', async () => {
    renderApp({
      me: me('vendor'),
      path: '/subscription',
      handlers: {
        my_subscription: () => ({
          plan_code: 'growth',
          plan_name: 'Growth',
          status: 'past_due',
          price_minor: 4900,
          currency: 'USD',
          interval: 'month',
          commission_bps: 850,
          current_period_end: '2026-06-01T00:00:00.000000Z',
          cancel_at_period_end: false,
        }),
      },
    });
    const card = await screen.findByTestId('subscription');
    expect(await within(card).findByText('Growth')).toBeInTheDocument();
    expect(card).toHaveTextContent('$49.00/ month');
    expect(card).toHaveTextContent('8.5%');
    expect(card).toHaveTextContent('Past due');
  });

  it('has an empty state without a subscription', async () => {
    renderApp({ me: me('vendor'), path: '/subscription', handlers: { my_subscription: () => null } });
    expect(await screen.findByText('No subscription')).toBeInTheDocument();
  });
});

describe('settings', () => {
  it('lists the platform settings read-only', async () => {
    renderApp({
      me: me('admin'),
      path: '/settings',
      handlers: {
        platform_settings: () => [
          {
            key: 'commission.default_bps',
            value: '1000',
            description: 'Commission when a plan sets none',
            updated_at: '2026-05-01T08:00:00.000000Z',
            version: 1,
          },
          {
            key: 'payouts.schedule',
            value: '"weekly"',
            description: 'How often vendors are paid',
            updated_at: '2026-05-01T08:00:00.000000Z',
            version: 1,
          },
        ],
      },
    });
    const settings = await screen.findByTestId('settings');
    expect(await within(settings).findByText('commission.default_bps')).toBeInTheDocument();
    expect(within(settings).getByText('weekly')).toBeInTheDocument();
    expect(settings).toHaveTextContent('editing them comes with sync');
  });

  it('shows the core’s error with a Retry', async () => {
    let calls = 0;
    const { user } = renderApp({
      me: me('admin'),
      path: '/settings',
      handlers: {
        platform_settings: () => {
          calls += 1;
          return calls === 1 ? appError('database', 'no such table: platform_settings') : [];
        },
      },
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('no such table: platform_settings');
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No settings')).toBeInTheDocument();
  });
});
