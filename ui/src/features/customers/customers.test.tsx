import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AddressChange, Customer, CustomerProfile, CustomerStatusChange } from '../../bindings';
import { renderApp } from '../../test/app';
import type { CommandHandler } from '../../test/tauri';
import { appError, customer, me, order, page } from '../../test/fixtures';

const profile = (c: Customer, overrides: Partial<CustomerProfile> = {}): CustomerProfile => ({
  customer: c,
  addresses: [
    {
      id: '0198a000-0000-7000-8000-000000000001',
      label: 'Home',
      recipient_name: 'Cora Customer',
      company: null,
      line1: '12 Kings Road',
      line2: null,
      city: 'London',
      region: null,
      postal_code: 'SW1A 1AA',
      country: 'GB',
      phone: null,
      is_default: true,
      version: 2,
      created_at: '2025-02-01T08:00:00.000000Z',
      retired_at: null,
    },
  ],
  may_keep: true,
  lifetime: [
    { currency: 'GBP', orders: 6, spent_minor: 42000, refunded_minor: 2000, net_minor: 40000 },
    { currency: 'EUR', orders: 1, spent_minor: 1500, refunded_minor: 0, net_minor: 1500 },
  ],
  first_order_at: '2025-02-03T08:00:00.000000Z',
  live_disputes: 1,
  notes: [
    {
      id: 'n1',
      author_id: me('finance').id,
      author_name: 'Fin Finance',
      body: 'Asked for an invoice copy.',
      created_at: '2026-05-04T09:00:00.000000Z',
    },
  ],
  ...overrides,
});

/** Renders the customers screen as `role` with Cora listed, and opens her record. */
async function openCora(
  role: 'admin' | 'finance',
  handlers: Record<string, CommandHandler>,
  overrides: Partial<CustomerProfile> = {},
) {
  const c = customer();
  const app = renderApp({
    me: me(role),
    path: '/customers',
    handlers: {
      list_customers: () => page([c]),
      customer_profile: () => profile(c, overrides),
      list_orders: () => page([]),
      ...handlers,
    },
  });
  await app.user.click(
    await within(await screen.findByTestId('grid-customers')).findByText('cora@example.com'),
  );
  return { ...app, c, panel: await screen.findByTestId('customer-detail') };
}

describe('customers', () => {
  it('opens a customer with lifetime value per currency, addresses, orders and notes', async () => {
    const { panel } = await openCora('admin', {
      list_orders: () => page([order(1, { customer_id: customer().id })]),
    });
    const lifetime = await within(panel).findByTestId('customer-lifetime');
    expect(within(lifetime).getByText('£400.00')).toBeInTheDocument();
    expect(within(lifetime).getAllByText('€15.00')).toHaveLength(2);
    expect(within(panel).getByTestId('customer-addresses')).toHaveTextContent('SW1A 1AA London, GB');
    expect(within(panel).getByText('Asked for an invoice copy.')).toBeInTheDocument();
    expect(await within(panel).findByTestId('customer-orders')).toBeInTheDocument();
  });

  it('reads more of their orders from the core on request', async () => {
    const { user, argsOf, panel } = await openCora('admin', {
      list_orders: () => page([order(1, { customer_id: customer().id })], 'next'),
    });
    await user.click(await within(panel).findByTestId('customer-orders-more'));
    await waitFor(() =>
      expect(argsOf<{ page: { limit: number } }>('list_orders').at(-1)?.page.limit).toBe(33),
    );
    const asked = argsOf<{ filter: { customer_id: string } }>('list_orders').at(-1);
    expect(asked?.filter.customer_id).toBe(customer().id);
  });

  it('searches and filters in the core', async () => {
    const { user, argsOf } = renderApp({
      me: me('finance'),
      path: '/customers',
      handlers: { list_customers: () => page([]) },
    });
    expect(await screen.findByText('No customers yet')).toBeInTheDocument();
    await user.type(screen.getByTestId('filter-country'), 'de');
    await user.selectOptions(screen.getByTestId('filter-status'), 'blocked');
    await waitFor(() =>
      expect(
        argsOf<{ filter: { country: string; status: string } }>('list_customers').at(-1)?.filter,
      ).toMatchObject({ country: 'DE', status: 'blocked' }),
    );
  });

  it('blocks only with a reason, on the version read', async () => {
    const { user, argsOf, c } = await openCora('admin', { set_customer_status: () => 5 });
    await user.click(await screen.findByTestId('customer-block'));
    await user.click(screen.getByTestId('customer-block-submit'));
    expect(await screen.findByText('Say why: it is kept with their record.')).toBeInTheDocument();
    expect(argsOf('set_customer_status')).toHaveLength(0);
    await user.type(screen.getByTestId('customer-block-reason'), 'Chargebacks');
    await user.click(screen.getByTestId('customer-block-submit'));
    await waitFor(() => expect(argsOf('set_customer_status')).toHaveLength(1));
    expect(argsOf<{ change: CustomerStatusChange }>('set_customer_status')[0]?.change).toEqual({
      customer_id: c.id,
      version: 4,
      to: 'blocked',
      reason: 'Chargebacks',
    });
  });

  it('shows the core’s address check and keeps the form', async () => {
    const { user, argsOf } = await openCora('admin', {
      change_customer_address: () =>
        appError('invalid', 'recipient address, postcode: “SW1A” is not a GB postcode (like X1 1XX)'),
    });
    await user.click(await screen.findByTestId('address-add'));
    await user.type(screen.getByTestId('address-recipient_name'), 'Cora');
    await user.type(screen.getByTestId('address-line1'), '1 Main St');
    await user.type(screen.getByTestId('address-postal_code'), 'SW1A');
    await user.type(screen.getByTestId('address-city'), 'London');
    await user.type(screen.getByTestId('address-country'), 'GB');
    await user.click(screen.getByTestId('address-submit'));
    expect(await screen.findByText(/is not a GB postcode/)).toBeInTheDocument();
    const sent = argsOf<{ change: AddressChange }>('change_customer_address')[0]?.change;
    expect(sent).toMatchObject({ op: 'add', address: { postal_code: 'SW1A', country: 'GB', line2: null } });
    expect(screen.getByTestId('address-city')).toHaveValue('London');
  });

  it('hides addresses and record-keeping from finance', async () => {
    const { panel } = await openCora('finance', {}, { addresses: [], may_keep: false });
    expect(await within(panel).findByTestId('customer-lifetime')).toBeInTheDocument();
    expect(within(panel).queryByTestId('customer-addresses')).not.toBeInTheDocument();
    expect(screen.queryByTestId('customer-block')).not.toBeInTheDocument();
    expect(screen.queryByTestId('customer-export')).not.toBeInTheDocument();
    expect(within(panel).getByTestId('customer-note')).toBeInTheDocument();
  });
});
