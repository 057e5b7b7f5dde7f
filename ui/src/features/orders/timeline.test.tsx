import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Role, TimelineEntry } from '../../bindings';
import { renderApp } from '../../test/app';
import { appError, me, order, orderDetail, page } from '../../test/fixtures';

const placed: TimelineEntry = {
  at: '2026-05-01T10:00:00.000000Z',
  kind: 'placed',
  title: 'Order placed',
  detail: '',
  actor: null,
  amount_minor: null,
  currency: null,
};
const refund: TimelineEntry = {
  at: '2026-05-02T09:30:00.000000Z',
  kind: 'refund',
  title: 'Refund succeeded',
  detail: 'damaged',
  actor: null,
  amount_minor: 1250,
  currency: 'USD',
};

function openApp(role: Role, timeline: () => TimelineEntry[], extra = {}) {
  const current = order(1);
  return renderApp({
    me: me(role),
    path: '/orders',
    handlers: {
      list_orders: () => page([current]),
      order_detail: () => orderDetail(current, role),
      order_timeline: timeline,
      ...extra,
    },
  });
}

describe('order history', () => {
  it('shows what happened, oldest first, and staff add notes', async () => {
    let entries = [placed, refund];
    const { user, argsOf } = openApp('finance', () => entries, {
      add_order_note: (args: unknown) => {
        const { body } = args as { body: string };
        entries = [
          ...entries,
          {
            ...placed,
            at: '2026-05-03T08:00:00.000000Z',
            kind: 'note',
            title: 'Note',
            detail: body,
            actor: 'Fran',
          },
        ];
        return 'note-1';
      },
    });
    await user.click(await screen.findByText('MD-0000001'));
    const history = await screen.findByTestId('order-timeline');
    const items = within(history).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('Order placed');
    expect(items[1]).toHaveTextContent('Refund succeeded$12.50');
    expect(items[1]).toHaveTextContent('damaged');

    // An empty note is not sent; Ctrl+Enter adds one.
    expect(screen.getByTestId('order-note-add')).toBeDisabled();
    await user.type(screen.getByTestId('order-note'), 'Buyer called: wants it before Friday');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(within(history).getAllByRole('listitem')).toHaveLength(3));
    expect(argsOf('add_order_note')).toEqual([
      { id: order(1).id, body: 'Buyer called: wants it before Friday' },
    ]);
    expect(within(history).getAllByRole('listitem')[2]).toHaveTextContent(
      'Buyer called: wants it before Friday — Fran',
    );
    expect(screen.getByTestId('order-note')).toHaveValue('');
  });

  it('offers vendors no notes, and says when the history cannot be read', async () => {
    const { user } = openApp('vendor', () => [], {
      order_timeline: () => appError('database', 'the server went away'),
    });
    await user.click(await screen.findByText('MD-0000001'));
    expect(await screen.findByText(/the server went away/)).toBeInTheDocument();
    expect(screen.queryByTestId('order-note')).toBeNull();
  });
});
