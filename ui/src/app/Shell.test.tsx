import { act, screen, waitFor, within } from '@testing-library/react';
import { emit } from '@tauri-apps/api/event';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp } from '../test/app';
import { me, order, page } from '../test/fixtures';

afterEach(() => {
  delete (globalThis as { isTauri?: boolean }).isTauri;
});

describe('live updates', () => {
  it('refetches the lists of the entity the core says changed', async () => {
    const { argsOf } = renderApp({
      me: me('admin'),
      path: '/orders',
      events: true,
      handlers: { list_orders: () => page([order(1)]) },
    });
    await within(await screen.findByTestId('grid-orders')).findByText('MD-0000001');
    expect(argsOf('list_orders')).toHaveLength(1);

    await act(() => emit('data-changed', { entity: 'users', id: null }));
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(argsOf('list_orders')).toHaveLength(1);

    await act(() => emit('data-changed', { entity: 'orders', id: order(1).id }));
    await waitFor(() => expect(argsOf('list_orders')).toHaveLength(2));
  });

  it('does not listen outside Tauri', async () => {
    const { calls } = renderApp({ me: me('admin'), path: '/orders' });
    await screen.findByTestId('grid-orders');
    expect(calls.some((c) => c.cmd.startsWith('plugin:event'))).toBe(false);
  });
});

describe('shell', () => {
  it('shows who is signed in and a warning about a temporary password', async () => {
    const { user } = renderApp({ me: me('vendor', { must_change_password: true }), path: '/products' });
    // The password dialog opens at once; 'Later' leaves the warning and its button.
    const dialog = await screen.findByRole('dialog', { name: 'Change password' });
    expect(dialog).toHaveTextContent('You signed in with a temporary password');
    await user.click(within(dialog).getByRole('button', { name: 'Later' }));
    expect(await screen.findByTestId('user-name')).toHaveTextContent('Vera Vendor');
    expect(screen.getByRole('status')).toHaveTextContent('You are signed in with a temporary password');
    expect(screen.getByTestId('choose-password')).toBeInTheDocument();
    // The server grants a temporary password nothing else, so no screen tries to load.
    expect(screen.queryByTestId('grid-products')).not.toBeInTheDocument();
    expect(screen.getByText('Choose a new password, Vera Vendor')).toBeInTheDocument();
  });

  it('closes a side panel with Esc and gives focus back to the grid', async () => {
    const { user } = renderApp({
      me: me('admin'),
      path: '/orders',
      handlers: {
        list_orders: () => page([order(1)]),
        order_detail: () => new Promise(() => {}),
      },
    });
    const grid = await screen.findByTestId('grid-orders');
    await within(grid).findByText('MD-0000001');
    grid.focus();
    await user.keyboard('{ArrowDown}{Enter}');
    const panel = await screen.findByTestId('order-detail');
    expect(panel).toHaveFocus();
    expect(grid.querySelector('[aria-current="true"]')).toHaveAttribute('data-row-key', order(1).id);
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('order-detail')).toBeNull();
    expect(grid).toHaveFocus();
  });
});
