import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../test/app';
import { appError, me, order, orderDetail, page } from '../../test/fixtures';
import { IDLE_LOCK_MS } from './idle';

const appRoot = () => screen.getByTestId('app-root');

afterEach(() => {
  vi.useRealTimers();
});

describe('idle lock', () => {
  it('locks after the idle period (activity starts it again) and tells the core', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { argsOf } = renderApp({
      me: me('admin'),
      path: '/orders',
      handlers: { list_orders: () => page([order(1)]), lock_session: () => null },
    });
    await within(await screen.findByTestId('grid-orders')).findByText('MD-0000001');

    act(() => {
      vi.advanceTimersByTime(IDLE_LOCK_MS - 60_000);
    });
    fireEvent.mouseMove(window);
    act(() => {
      vi.advanceTimersByTime(IDLE_LOCK_MS - 60_000);
    });
    fireEvent.keyDown(document.body, { key: 'Shift' });
    act(() => {
      vi.advanceTimersByTime(IDLE_LOCK_MS - 1000);
    });
    expect(screen.queryByTestId('lock-screen')).toBeNull();
    expect(argsOf('lock_session')).toHaveLength(0);

    act(() => {
      vi.advanceTimersByTime(1000);
    });
    const lock = await screen.findByTestId('lock-screen');
    expect(argsOf('lock_session')).toHaveLength(1);
    expect(lock).toHaveTextContent('Alex Admin');
    expect(within(lock).getByTestId('unlock-password')).toHaveFocus();
    expect(appRoot()).toHaveAttribute('inert');

    // Locked: no second lock however long it stays idle.
    act(() => {
      vi.advanceTimersByTime(3 * IDLE_LOCK_MS);
    });
    expect(argsOf('lock_session')).toHaveLength(1);
  });
});

describe('lock screen', () => {
  it('locks from the account menu; shows the core’s refusals; the right password returns to the same place', async () => {
    let attempts = 0;
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/orders',
      handlers: {
        list_orders: () => page([order(1)]),
        order_detail: () => orderDetail(order(1)),
        lock_session: () => null,
        unlock_session: () => {
          attempts += 1;
          if (attempts === 1) return appError('wrong_credentials', 'wrong password');
          if (attempts === 2) return appError('too_soon', 'too many failed attempts; try again in 4 s');
          return null;
        },
      },
    });
    const grid = await screen.findByTestId('grid-orders');
    await user.click(await within(grid).findByText('MD-0000001'));
    expect(await screen.findByTestId('order-detail')).toHaveTextContent('Stoneware mug');

    await user.click(screen.getByTestId('user-menu'));
    await user.click(await screen.findByTestId('lock'));
    const lock = await screen.findByTestId('lock-screen');
    expect(argsOf('lock_session')).toHaveLength(1);
    expect(appRoot()).toHaveAttribute('inert');
    const password = within(lock).getByTestId('unlock-password');
    await waitFor(() => expect(password).toHaveFocus());

    // Esc does not get past it.
    await user.keyboard('{Escape}');
    expect(screen.getByTestId('lock-screen')).toBeInTheDocument();
    expect(screen.getByTestId('order-detail')).toBeInTheDocument();

    await user.type(password, 'not-it{Enter}');
    expect(await within(lock).findByTestId('unlock-error')).toHaveTextContent('wrong password');
    expect(argsOf('unlock_session')).toEqual([{ password: 'not-it' }]);
    expect(password).toHaveValue('');
    expect(password).toHaveFocus();

    await user.type(password, 'still-not-it');
    await user.click(within(lock).getByTestId('unlock'));
    await waitFor(() =>
      expect(within(lock).getByTestId('unlock-error')).toHaveTextContent(
        'too many failed attempts; try again in 4 s',
      ),
    );
    expect(screen.getByTestId('lock-screen')).toBeInTheDocument();

    await user.type(password, 'marketdesk-demo{Enter}');
    await waitFor(() => expect(screen.queryByTestId('lock-screen')).toBeNull());
    expect(argsOf('unlock_session').at(-1)).toEqual({ password: 'marketdesk-demo' });
    expect(appRoot()).not.toHaveAttribute('inert');
    // Where it was: the same screen, the same open order, nothing fetched again.
    expect(window.location.hash).toBe('#/orders');
    expect(screen.getByTestId('order-detail')).toHaveTextContent('Stoneware mug');
    expect(within(grid).getByText('MD-0000001')).toBeInTheDocument();
    expect(argsOf('list_orders')).toHaveLength(1);
    expect(argsOf('order_detail')).toHaveLength(1);
  });

  it('covers an open dialog; after unlocking the dialog is open again with focus where it was', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/fulfilment',
      handlers: {
        list_orders: () => page([order(1)]),
        order_detail: () => orderDetail(order(1), 'logistics'),
        lock_session: () => null,
        unlock_session: () => null,
      },
    });
    await user.click(await within(await screen.findByTestId('grid-fulfilment')).findByText('MD-0000001'));
    await user.click(await screen.findByTestId('mark-shipped'));
    const confirm = within(await screen.findByRole('alertdialog')).getByTestId('confirm');
    expect(confirm).toHaveFocus();

    act(() => {
      vi.advanceTimersByTime(IDLE_LOCK_MS);
    });
    const lock = await screen.findByTestId('lock-screen');
    const password = within(lock).getByTestId('unlock-password');
    await waitFor(() => expect(password).toHaveFocus());
    // Focus stays on the lock screen, and Esc reaches nothing behind it.
    await user.tab();
    await user.tab();
    await user.tab();
    expect(password).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.getByRole('alertdialog', { hidden: true })).toBeInTheDocument();

    await user.type(password, 'marketdesk-demo{Enter}');
    await waitFor(() => expect(screen.queryByTestId('lock-screen')).toBeNull());
    expect(screen.getByRole('alertdialog')).toBeInTheDocument();
    await waitFor(() => expect(confirm).toHaveFocus());
    expect(argsOf('set_order_status')).toHaveLength(0);
  });

  it('locks at once with mod+L', async () => {
    const { user, argsOf } = renderApp({
      me: me('finance'),
      path: '/payouts',
      handlers: { lock_session: () => null },
    });
    await screen.findByTestId('grid-payouts');
    await user.keyboard('{Control>}l{/Control}');
    expect(await screen.findByTestId('lock-screen')).toHaveTextContent('Fiona Finance');
    expect(argsOf('lock_session')).toHaveLength(1);
  });

  it('shows the lock screen when a command answers locked, and refetches what failed after unlocking', async () => {
    let locked = true;
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/orders',
      handlers: {
        list_orders: () =>
          locked
            ? appError('locked', 'Marketdesk is locked: enter your password to go on')
            : page([order(7)]),
        unlock_session: () => {
          locked = false;
          return null;
        },
      },
    });
    const lock = await screen.findByTestId('lock-screen');
    // Locked elsewhere: the core already knows.
    expect(argsOf('lock_session')).toHaveLength(0);
    await user.type(within(lock).getByTestId('unlock-password'), 'marketdesk-demo{Enter}');
    await waitFor(() => expect(screen.queryByTestId('lock-screen')).toBeNull());
    expect(await within(screen.getByTestId('grid-orders')).findByText('MD-0000007')).toBeInTheDocument();
  });

  it('signs out from the lock screen', async () => {
    const { user, argsOf } = renderApp({
      me: me('vendor'),
      path: '/products',
      handlers: { lock_session: () => null },
    });
    await screen.findByTestId('grid-products');
    await user.keyboard('{Control>}l{/Control}');
    await user.click(within(await screen.findByTestId('lock-screen')).getByTestId('lock-sign-out'));
    expect(await screen.findByTestId('login')).toBeInTheDocument();
    expect(argsOf('sign_out')).toHaveLength(1);
    expect(screen.queryByTestId('lock-screen')).toBeNull();
  });
});
