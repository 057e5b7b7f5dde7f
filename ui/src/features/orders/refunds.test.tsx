import { screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { OrderDetail, RefundOrder, RefundOutcome, RefundRow, Role } from '../../bindings';
import { renderApp } from '../../test/app';
import { appError, me, order, orderDetail, page } from '../../test/fixtures';
import type { CommandHandler } from '../../test/tauri';
import { parseUnits } from './refunds';

const current = order(1);
const MUG = 'line-mug';
const APRON = 'line-apron';

/** Three mugs at $15.00 (one refunded already) and two aprons at $25.00. */
function detail(): OrderDetail {
  const base = orderDetail(current, 'finance');
  const [line] = base.items;
  if (!line) throw new Error('fixture without items');
  return {
    ...base,
    items: [
      { ...line, id: MUG, quantity: 3, unit_price_minor: 1500, subtotal_minor: 4500 },
      {
        ...line,
        id: APRON,
        sku: 'APRON-L',
        product_name: 'Linen apron',
        quantity: 2,
        unit_price_minor: 2500,
        subtotal_minor: 5000,
      },
    ],
  };
}

function refundRow(n: number, overrides: Partial<RefundRow> = {}): RefundRow {
  return {
    id: `0199a000-0000-7000-8000-00000000000${n}`,
    order_item_id: MUG,
    quantity: 1,
    amount_minor: 1560,
    currency: 'USD',
    status: 'succeeded',
    provider_refund_id: `re_${n}abc`,
    failure_reason: null,
    reason: 'damaged',
    created_at: '2026-05-02T09:30:00.000000Z',
    ...overrides,
  };
}

const EARLIER = [refundRow(1)];

function handlers(extra: Record<string, CommandHandler> = {}, refunds: () => RefundRow[] = () => EARLIER) {
  return {
    list_orders: () => page([current]),
    order_detail: () => detail(),
    order_refunds: () => refunds(),
    ...extra,
  };
}

async function openOrder(user: UserEvent) {
  await user.click(await within(await screen.findByTestId('grid-orders')).findByText('MD-0000001'));
  const panel = await screen.findByTestId('order-detail');
  await within(panel).findByTestId('order-status');
  return panel;
}

async function openRefundDialog(user: UserEvent) {
  const panel = await openOrder(user);
  await user.click(within(panel).getByTestId('refund-order'));
  const dialog = await screen.findByRole('dialog', { name: 'Refund order MD-0000001' });
  await within(dialog).findByTestId('refund-lines');
  return { panel, dialog };
}

const outcome = (overrides: Partial<RefundOutcome> = {}): RefundOutcome => ({
  refunds: [],
  refunded_minor: 0,
  pending: 0,
  ...overrides,
});

describe('parseUnits', () => {
  it('takes whole units from 0 to what is left', () => {
    expect(parseUnits('', 2)).toEqual({ units: 0, problem: null });
    expect(parseUnits(' 2 ', 2)).toEqual({ units: 2, problem: null });
    expect(parseUnits('3', 2).problem).toBe('Only 2 left to refund.');
    expect(parseUnits('1', 0).problem).toBe('Nothing is left to refund on this line.');
    expect(parseUnits('1.5', 2).problem).toBe('Whole units only.');
    expect(parseUnits('-1', 2).problem).toBe('Cannot be negative.');
    expect(parseUnits('two', 2).problem).toBe('Enter a whole number of units.');
    expect(parseUnits('', 2, true).problem).toBe('Enter a whole number of units.');
  });
});

describe('order refunds', () => {
  it('shows finance the refunds of an order and a Refund button', async () => {
    const { user, argsOf } = renderApp({
      me: me('finance'),
      path: '/orders',
      handlers: handlers({}, () => [
        refundRow(1),
        refundRow(2, {
          order_item_id: APRON,
          status: 'failed',
          provider_refund_id: null,
          failure_reason: 'The card was closed',
          amount_minor: 2600,
          reason: 'requested_by_customer',
        }),
      ]),
    });
    const panel = await openOrder(user);
    expect(within(panel).getByTestId('refund-order')).toHaveTextContent('Refund…');
    const rows = await within(panel).findAllByTestId('refund-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('$15.60');
    expect(rows[0]).toHaveTextContent('1 × Stoneware mug');
    expect(rows[0]).toHaveTextContent('Arrived damaged');
    expect(rows[0]).toHaveTextContent('re_1abc');
    expect(within(rows[0]!).getByTestId('refund-status')).toHaveTextContent('Succeeded');
    expect(within(rows[1]!).getByTestId('refund-status')).toHaveTextContent('Failed');
    expect(rows[1]).toHaveTextContent('The card was closed');
    expect(rows[1]).toHaveTextContent('Requested by the customer');
    expect(argsOf('order_refunds')).toEqual([{ orderId: current.id }]);
  });

  it('says when an order has no refunds, and shows the core’s error with a Retry', async () => {
    let calls = 0;
    const { user } = renderApp({
      me: me('finance'),
      path: '/orders',
      handlers: handlers({}, () => {
        calls += 1;
        if (calls === 1) throw new Error('the refunds table is locked');
        return [];
      }),
    });
    const panel = await openOrder(user);
    const alert = await within(panel).findByRole('alert');
    expect(alert).toHaveTextContent('the refunds table is locked');
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await within(panel).findByTestId('refunds-empty')).toHaveTextContent('No refunds on this order.');
  });

  it.each<Role>(['admin', 'logistics', 'vendor'])('offers no refunds to %s', async (role) => {
    const { user, argsOf } = renderApp({ me: me(role), path: '/orders', handlers: handlers() });
    const panel = await openOrder(user);
    expect(within(panel).queryByTestId('refund-order')).toBeNull();
    expect(within(panel).queryByText('Refunds')).toBeNull();
    expect(argsOf('order_refunds')).toEqual([]);
  });

  it('refuses more units than are left, and parts of units', async () => {
    const { user, argsOf } = renderApp({
      me: me('finance'),
      path: '/orders',
      handlers: handlers({ refund_order: () => outcome() }),
    });
    const { dialog } = await openRefundDialog(user);
    const mug = within(dialog).getByTestId(`refund-units-${MUG}`);
    // Keyboard first: the first line's units field has focus.
    expect(mug).toHaveFocus();
    expect(mug).toHaveAccessibleName(/Stoneware mug \(MUG-BLUE-L\), 2 left/);
    const line = dialog.querySelector(`[data-line="${MUG}"]`) as HTMLElement;
    expect(within(line).getByTestId('refund-line-refunded')).toHaveTextContent('1');

    await user.type(mug, '3');
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Only 2 left to refund.');
    expect(mug).toHaveAttribute('aria-invalid', 'true');
    await user.click(within(dialog).getByTestId('refund-submit'));

    await user.clear(mug);
    await user.type(mug, '1.5');
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Whole units only.');
    await user.keyboard('{Enter}');

    await user.clear(mug);
    expect(within(dialog).queryByRole('alert')).toBeNull();
    await user.click(within(dialog).getByTestId('refund-submit'));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Choose at least one unit to refund.');

    expect(argsOf('refund_order')).toEqual([]);
  });

  it('sends the chosen units and reason, shows progress, then the amount refunded', async () => {
    let answer: (o: RefundOutcome) => void = () => {};
    const { user, argsOf } = renderApp({
      me: me('finance'),
      path: '/orders',
      handlers: handlers({
        refund_order: () =>
          new Promise<RefundOutcome>((resolve) => {
            answer = resolve;
          }),
      }),
    });
    const { panel, dialog } = await openRefundDialog(user);
    await user.type(within(dialog).getByTestId(`refund-units-${MUG}`), '2');
    await user.type(within(dialog).getByTestId(`refund-units-${APRON}`), '1');
    await user.selectOptions(within(dialog).getByLabelText('Reason'), 'Arrived damaged');
    // 2 × $15.00 + 1 × $25.00, before tax.
    expect(within(dialog).getByTestId('refund-estimate')).toHaveTextContent('$55.00');
    expect(dialog).toHaveTextContent('tax and rounding are added by the core');

    const before = { detail: argsOf('order_detail').length, refunds: argsOf('order_refunds').length };
    await user.click(within(dialog).getByTestId('refund-submit'));
    const request: RefundOrder = {
      order_id: current.id,
      lines: [
        { order_item_id: MUG, quantity: 2 },
        { order_item_id: APRON, quantity: 1 },
      ],
      reason: 'damaged',
    };
    await waitFor(() => expect(argsOf('refund_order')).toEqual([{ request }]));
    expect(within(dialog).getByTestId('refund-submit')).toHaveAttribute('aria-busy', 'true');

    answer(
      outcome({
        refunds: [
          refundRow(3, { quantity: 2, amount_minor: 3120 }),
          refundRow(4, { order_item_id: APRON, amount_minor: 2600 }),
        ],
        refunded_minor: 5720,
      }),
    );
    const result = await within(dialog).findByTestId('refund-result');
    expect(within(result).getByRole('status')).toHaveTextContent('Refunded $57.20 to the buyer.');
    expect(within(result).getAllByTestId('refund-row')).toHaveLength(2);
    expect(within(result).queryByTestId('refund-retry')).toBeNull();

    // The order, the lists and the refunds are asked for again.
    await waitFor(() => expect(argsOf('order_refunds').length).toBeGreaterThan(before.refunds));
    await waitFor(() => expect(argsOf('order_detail').length).toBeGreaterThan(before.detail));
    await waitFor(() => expect(argsOf('list_orders').length).toBeGreaterThan(1));

    await user.click(within(dialog).getByTestId('refund-close'));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(panel).toBeInTheDocument();
  });

  it('offers Try again when Stripe did not answer, which finishes the pending refunds', async () => {
    const outcomes = [
      outcome({
        refunds: [
          refundRow(3),
          refundRow(4, { order_item_id: APRON, status: 'pending', amount_minor: 2600 }),
        ],
        refunded_minor: 1560,
        pending: 1,
      }),
      outcome({
        refunds: [refundRow(4, { order_item_id: APRON, amount_minor: 2600 })],
        refunded_minor: 2600,
      }),
    ];
    const { user, argsOf } = renderApp({
      me: me('finance'),
      path: '/orders',
      handlers: handlers({ refund_order: () => outcomes.shift() }),
    });
    const { dialog } = await openRefundDialog(user);
    await user.type(within(dialog).getByTestId(`refund-units-${MUG}`), '1');
    await user.type(within(dialog).getByTestId(`refund-units-${APRON}`), '1');
    await user.keyboard('{Enter}');

    const pending = await within(dialog).findByTestId('refund-pending');
    expect(pending).toHaveTextContent('Stripe did not answer for 1 refund');
    expect(within(dialog).getByTestId('refund-refunded')).toHaveTextContent('$15.60');

    await user.click(within(pending).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(within(dialog).queryByTestId('refund-pending')).toBeNull());
    expect(within(dialog).getByTestId('refund-refunded')).toHaveTextContent('$41.60');
    expect(argsOf<{ request: RefundOrder }>('refund_order').map((a) => a.request)).toEqual([
      {
        order_id: current.id,
        lines: [
          { order_item_id: MUG, quantity: 1 },
          { order_item_id: APRON, quantity: 1 },
        ],
        reason: 'requested_by_customer',
      },
      { order_id: current.id, lines: [], reason: 'requested_by_customer' },
    ]);
  });

  it('shows the core’s refusal in the dialog, and closes on Esc', async () => {
    const { user } = renderApp({
      me: me('finance'),
      path: '/orders',
      handlers: handlers({
        refund_order: () =>
          appError('offline', 'refunds go through Stripe: connect to the marketplace server'),
      }),
    });
    const { panel, dialog } = await openRefundDialog(user);
    await user.type(within(dialog).getByTestId(`refund-units-${APRON}`), '2');
    await user.click(within(dialog).getByTestId('refund-submit'));
    const error = await within(dialog).findByTestId('inline-error');
    expect(error).toHaveAttribute('data-kind', 'offline');
    expect(error).toHaveTextContent('refunds go through Stripe: connect to the marketplace server');
    // The form stays as it was, to try again once online.
    expect(within(dialog).getByTestId(`refund-units-${APRON}`)).toHaveValue(2);

    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    // Only the dialog: the order stays open.
    expect(panel).toBeInTheDocument();
    expect(screen.getByTestId('order-detail')).toBeInTheDocument();
  });

  it('asks to finish refunds left pending before refunding those lines again', async () => {
    const { user, argsOf } = renderApp({
      me: me('finance'),
      path: '/orders',
      handlers: handlers(
        { refund_order: () => outcome({ refunds: [refundRow(2)], refunded_minor: 1560 }) },
        () => [refundRow(1), refundRow(2, { status: 'pending', provider_refund_id: null })],
      ),
    });
    const { dialog } = await openRefundDialog(user);
    expect(within(dialog).getByTestId('refunds-pending-before')).toHaveTextContent(
      '1 refund of this order is still pending',
    );
    expect(within(dialog).getByTestId(`refund-units-${MUG}`)).toBeDisabled();
    expect(within(dialog).getByTestId(`refund-units-${APRON}`)).toHaveFocus();
    await user.click(within(dialog).getByTestId('refund-finish-pending'));
    expect(await within(dialog).findByTestId('refund-result')).toHaveTextContent('Refunded $15.60');
    expect(argsOf<{ request: RefundOrder }>('refund_order')[0]?.request.lines).toEqual([]);
  });
});
