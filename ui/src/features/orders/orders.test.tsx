import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { UserEvent } from '@testing-library/user-event';
import type { Order, OrderFilter, OrderStatus, PageRequest, Role } from '../../bindings';
import { renderApp } from '../../test/app';
import { appError, me, order, orderDetail, page } from '../../test/fixtures';

type ListArgs = { filter: OrderFilter; page: PageRequest<string> };

const orders = [order(1), order(2, { status: 'processing' }), order(3, { status: 'shipped' })];

/** The list and the panel answering with the order `current()` returns at the time. */
function orderHandlers(current: () => Order, reader: Role = 'admin') {
  return {
    list_orders: () => page([current()]),
    order_detail: () => orderDetail(current(), reader),
  };
}

/** Opens MD-0000001 from the list; the order panel, once it shows the order. */
async function openFirstOrder(user: UserEvent) {
  await user.click(await screen.findByText('MD-0000001'));
  const panel = await screen.findByTestId('order-detail');
  await within(panel).findByTestId('order-status');
  return panel;
}

describe('orders', () => {
  it('lists orders and sends the status and search filters to the core', async () => {
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/orders',
      handlers: { list_orders: () => page(orders) },
    });
    const grid = await screen.findByTestId('grid-orders');
    expect(await within(grid).findByText('MD-0000001')).toBeInTheDocument();
    const first = grid.querySelector('[data-row-key]');
    expect(first?.querySelector('[data-col="number"]')).toHaveTextContent('MD-0000001');
    expect(first?.querySelector('[data-col="customer_name"]')).toHaveTextContent(
      'Buyer 1 <buyer1@example.com>',
    );
    expect(first?.querySelector('[data-col="status"]')).toHaveTextContent('Paid');
    expect(first?.querySelector('[data-col="total_minor"]')).toHaveTextContent('$10.99');

    expect(argsOf<ListArgs>('list_orders')[0]).toEqual({
      filter: {
        statuses: [],
        customer_id: null,
        vendor_id: null,
        placed_from: null,
        placed_to: null,
        search: null,
        payment: [],
        fulfilment: [],
        refund: [],
        dispute: [],
      },
      page: { sort: 'placed_at', dir: 'desc', after: null, limit: 100 },
    });

    // Status: tick Shipped then Paid (sent in the list's order).
    await user.click(screen.getByTestId('filter-status'));
    await user.click(await screen.findByRole('menuitemcheckbox', { name: 'Shipped' }));
    await user.click(screen.getByRole('menuitemcheckbox', { name: 'Paid' }));
    await user.keyboard('{Escape}');
    await waitFor(() =>
      expect(argsOf<ListArgs>('list_orders').at(-1)?.filter.statuses).toEqual(['paid', 'shipped']),
    );
    expect(screen.getByTestId('filter-status')).toHaveTextContent('Paid, Shipped');

    // Search, debounced.
    await user.type(screen.getByRole('searchbox', { name: 'Search orders' }), 'buyer2');
    await waitFor(() => expect(argsOf<ListArgs>('list_orders').at(-1)?.filter.search).toBe('buyer2'));
    const last = argsOf<ListArgs>('list_orders').at(-1);
    expect(last?.filter.statuses).toEqual(['paid', 'shipped']);
    expect(last?.page.after).toBeNull();
    // Typing fired one query for the whole word, not one per letter.
    expect(argsOf<ListArgs>('list_orders').filter((a) => a.filter.search !== null)).toHaveLength(1);

    // Sorting happens in the core too.
    await user.click(within(screen.getByRole('columnheader', { name: /Total/ })).getByRole('button'));
    await waitFor(() =>
      expect(argsOf<ListArgs>('list_orders').at(-1)?.page).toMatchObject({ sort: 'total', dir: 'desc' }),
    );
  });

  it('names each line’s vendor in the order panel (the short id when the name is withheld)', async () => {
    const detail = orderDetail(order(1));
    const [line] = detail.items;
    if (!line) throw new Error('fixture without items');
    detail.items = [
      line,
      {
        ...line,
        id: 'second-line',
        vendor_id: '0190c999-0000-7000-8000-000000000002',
        vendor_name: '',
        sku: 'APRON-L',
        product_name: 'Linen apron',
      },
    ];
    const { user } = renderApp({
      me: me('admin'),
      path: '/orders',
      handlers: { list_orders: () => page([order(1)]), order_detail: () => detail },
    });
    await user.click(await within(await screen.findByTestId('grid-orders')).findByText('MD-0000001'));
    const panel = await screen.findByTestId('order-detail');
    const rows = await within(panel).findAllByRole('row');
    const mug = rows.find((r) => r.textContent?.includes('Stoneware mug'));
    const apron = rows.find((r) => r.textContent?.includes('Linen apron'));
    expect(mug).toHaveTextContent('Northwind Ceramics');
    expect(apron).toHaveTextContent('vendor 0190c999');
    expect(apron).not.toHaveTextContent('Northwind Ceramics');
  });

  it('opens the order a link names, and forgets the link once closed', async () => {
    const o = order(7);
    const { user } = renderApp({
      me: me('admin'),
      path: `/orders?open=${o.id}`,
      handlers: { list_orders: () => page([o]), order_detail: () => orderDetail(o) },
    });
    const panel = await screen.findByTestId('order-detail');
    expect(await within(panel).findByText(/MD-0000007/)).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(window.location.hash).toBe('#/orders'));
    expect(screen.queryByTestId('order-detail')).not.toBeInTheDocument();
  });

  it('focuses the search with /', async () => {
    const { user } = renderApp({ me: me('finance'), path: '/orders' });
    await screen.findByTestId('grid-orders');
    await user.keyboard('/');
    expect(screen.getByRole('searchbox', { name: 'Search orders' })).toHaveFocus();
  });

  it('opens an order; logistics marks it shipped through a confirmation', async () => {
    let current = order(1);
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/fulfilment',
      handlers: {
        ...orderHandlers(() => current, 'logistics'),
        set_order_status: (args) => {
          const { status } = args as { status: OrderStatus };
          current = { ...current, status, version: current.version + 1 };
          return current.version;
        },
      },
    });
    const grid = await screen.findByTestId('grid-fulfilment');
    // The warehouse queue: paid, processing and partially shipped, oldest first.
    expect(argsOf<ListArgs>('list_orders')[0]).toMatchObject({
      filter: { statuses: ['paid', 'processing', 'partially_shipped'] },
      page: { sort: 'placed_at', dir: 'asc' },
    });

    await user.click(await within(grid).findByText('MD-0000001'));
    const panel = await screen.findByTestId('order-detail');
    expect(await within(panel).findByTestId('order-status')).toHaveTextContent('Paid');
    expect(within(panel).getByText('Stoneware mug')).toBeInTheDocument();
    expect(within(panel).getByText('MUG-BLUE-L', { exact: false })).toBeInTheDocument();
    expect(within(panel).queryByText('$1.20')).not.toBeInTheDocument(); // logistics reads no commission
    // Only the legal next statuses of a paid order.
    expect(within(panel).queryByRole('button', { name: 'Mark delivered' })).toBeNull();
    expect(within(panel).getByRole('button', { name: 'Start processing' })).toBeInTheDocument();

    await user.click(within(panel).getByTestId('mark-shipped'));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog).toHaveTextContent('from Paid to Shipped');
    await user.click(within(dialog).getByTestId('confirm'));

    await waitFor(() => expect(within(panel).getByTestId('order-status')).toHaveTextContent('Shipped'));
    expect(argsOf('set_order_status')).toEqual([{ id: current.id, version: 3, status: 'shipped' }]);
    expect(await screen.findByTestId('toast')).toHaveTextContent('is now shipped');
    // Shipped orders offer delivery next (the core's moves, read again).
    expect(await within(panel).findByRole('button', { name: 'Mark delivered' })).toBeInTheDocument();
    // The queue was asked again.
    await waitFor(() => expect(argsOf('list_orders').length).toBeGreaterThan(1));

    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('order-detail')).toBeNull();
  });

  it('shows a conflict and reloads the order', async () => {
    let details = 0;
    const current = order(1);
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/orders',
      handlers: {
        list_orders: () => page([current]),
        order_detail: () => {
          details += 1;
          return orderDetail(details === 1 ? current : { ...current, status: 'cancelled', version: 4 });
        },
        set_order_status: () =>
          appError('conflict', 'someone else changed this order; reload it and try again'),
      },
    });
    const panel = await openFirstOrder(user);
    await user.click(within(panel).getByRole('button', { name: 'Start processing' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByTestId('confirm'));

    expect(await screen.findByRole('alert')).toHaveTextContent('someone else changed this order');
    await waitFor(() => expect(within(panel).getByTestId('order-status')).toHaveTextContent('Cancelled'));
    expect(argsOf('order_detail')).toHaveLength(2);
    expect(within(panel).queryByRole('button', { name: 'Start processing' })).toBeNull();
  });

  it('cancels through a dialog that asks why, and shows what the core did', async () => {
    let current = order(1);
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/orders',
      handlers: {
        ...orderHandlers(() => current),
        cancel_order: () => {
          current = { ...current, status: 'cancelled', version: 4 };
          return {
            version: 4,
            status: 'cancelled',
            lines: 1,
            units: 1,
            refund_due_minor: 599,
            currency: 'USD',
            mails: 2,
          };
        },
      },
    });
    const panel = await openFirstOrder(user);
    expect(within(panel).queryByRole('button', { name: 'Cancel order' })).toBeNull();
    await user.click(within(panel).getByRole('button', { name: 'More actions' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Cancel order…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Cancel MD-0000001' });
    expect(within(dialog).getByTestId('cancel-summary')).toHaveTextContent('1 line, 1 unit go back in stock');

    // "Other" needs a note: nothing is sent without it.
    await user.selectOptions(within(dialog).getByTestId('cancel-reason'), 'other');
    await user.click(within(dialog).getByTestId('cancel-submit'));
    expect(await within(dialog).findByText('Say why the order is cancelled.')).toBeInTheDocument();
    expect(argsOf('cancel_order')).toHaveLength(0);

    await user.type(within(dialog).getByTestId('cancel-note'), 'customer moved abroad');
    await user.click(within(dialog).getByTestId('cancel-submit'));
    await waitFor(() => expect(within(panel).getByTestId('order-status')).toHaveTextContent('Cancelled'));
    expect(argsOf('cancel_order')).toEqual([
      {
        cancel: {
          order_id: current.id,
          version: 3,
          vendor_id: null,
          reason: 'other',
          note: 'customer moved abroad',
        },
      },
    ]);
    expect(await screen.findByTestId('toast')).toHaveTextContent('$5.99 is due back to the buyer');
    // A cancelled order is final.
    expect(await within(panel).findByText(/is final/)).toBeInTheDocument();
    expect(within(panel).queryByRole('button', { name: 'More actions' })).toBeNull();
  });

  it('keeps the dialog open with the core’s refusal', async () => {
    const current = order(1);
    const { user } = renderApp({
      me: me('admin'),
      path: '/orders',
      handlers: {
        ...orderHandlers(() => current),
        cancel_order: () => appError('invalid', 'Stoneware mug (MUG-BLUE-L) is in a parcel that has a label'),
      },
    });
    const panel = await openFirstOrder(user);
    await user.click(within(panel).getByRole('button', { name: 'More actions' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Cancel order…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Cancel MD-0000001' });
    await user.click(within(dialog).getByTestId('cancel-submit'));
    expect(await within(dialog).findByText(/is in a parcel that has a label/)).toBeInTheDocument();
    expect(within(panel).getByTestId('order-status')).toHaveTextContent('Paid');
  });

  it('gives vendors no status actions', async () => {
    const current = order(1);
    const { user } = renderApp({
      me: me('vendor'),
      path: '/orders',
      handlers: orderHandlers(() => current, 'vendor'),
    });
    const panel = await openFirstOrder(user);
    expect(within(panel).queryByTestId('mark-shipped')).toBeNull();
  });

  it('shows the core’s error with a Retry', async () => {
    let calls = 0;
    const { user } = renderApp({
      me: me('admin'),
      path: '/orders',
      handlers: {
        list_orders: () => {
          calls += 1;
          return calls === 1 ? appError('database', 'the database is locked') : page(orders);
        },
      },
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('the database is locked');
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('MD-0000001')).toBeInTheDocument();
  });

  it('offers the filters each role may use and sends the chosen states to the core', async () => {
    const { user, argsOf } = renderApp({
      me: me('finance'),
      path: '/orders',
      handlers: { list_orders: () => page(orders) },
    });
    await screen.findByTestId('grid-orders');
    for (const id of ['filter-payment', 'filter-fulfilment', 'filter-refund', 'filter-dispute']) {
      expect(screen.getByTestId(id)).toBeInTheDocument();
    }
    await user.click(screen.getByTestId('filter-fulfilment'));
    await user.click(await screen.findByRole('menuitemcheckbox', { name: 'Problem' }));
    await user.click(screen.getByRole('menuitemcheckbox', { name: 'Not shipped' }));
    await user.keyboard('{Escape}');
    await user.click(screen.getByTestId('filter-payment'));
    await user.click(await screen.findByRole('menuitemcheckbox', { name: 'Failed' }));
    await user.keyboard('{Escape}');
    await waitFor(() =>
      expect(argsOf<ListArgs>('list_orders').at(-1)?.filter).toMatchObject({
        payment: ['failed'],
        fulfilment: ['unfulfilled', 'problem'],
        refund: [],
        dispute: [],
      }),
    );
  });

  it('offers logistics the parcels filter only, and shows the customer it may read', async () => {
    renderApp({
      me: me('logistics'),
      path: '/orders',
      handlers: {
        list_orders: () => page([order(7, { customer_email: null, customer_name: 'Ada Lovelace' })]),
      },
    });
    const grid = await screen.findByTestId('grid-orders');
    const row = await within(grid).findByText('Ada Lovelace');
    expect(row).toBeInTheDocument();
    expect(screen.getByTestId('filter-fulfilment')).toBeInTheDocument();
    for (const id of ['filter-payment', 'filter-refund', 'filter-dispute']) {
      expect(screen.queryByTestId(id)).not.toBeInTheDocument();
    }
  });

  it('shows each reader the share of an order the core sends them', async () => {
    const o = order(1, { customer_name: 'Ada Lovelace' });
    const { user } = renderApp({
      me: me('logistics'),
      path: '/orders',
      handlers: orderHandlers(() => o, 'logistics'),
    });
    const panel = await openFirstOrder(user);
    expect(within(panel).getAllByText(/Ada Lovelace/).length).toBeGreaterThan(0);
    expect(within(panel).queryByText('Unit')).not.toBeInTheDocument();
    expect(within(panel).queryByText('Commission')).not.toBeInTheDocument();
    expect(within(panel).queryByText('buyer1@example.com', { exact: false })).not.toBeInTheDocument();
    expect(within(panel).getByText('Total')).toBeInTheDocument();
  });

  it('shows a vendor their share, without shipping or tax', async () => {
    const o = order(2, { customer_name: 'Grace Hopper' });
    const { user } = renderApp({
      me: me('vendor'),
      path: '/orders',
      handlers: orderHandlers(() => o, 'vendor'),
    });
    await user.click(await screen.findByText('MD-0000002'));
    const panel = await screen.findByTestId('order-detail');
    await within(panel).findByTestId('order-status');
    expect(within(panel).getByText('Your share')).toBeInTheDocument();
    expect(within(panel).queryByText('Shipping')).not.toBeInTheDocument();
    expect(within(panel).getByText('Unit')).toBeInTheDocument();
  });
});
