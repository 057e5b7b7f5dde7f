import { screen, waitFor, within } from '@testing-library/react';
import { sendNotification } from '@tauri-apps/plugin-notification';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InboxItem, Preference } from '../../bindings';
import { renderApp } from '../../test/app';
import { me } from '../../test/fixtures';

vi.mock('@tauri-apps/plugin-notification', () => ({
  isPermissionGranted: vi.fn(() => Promise.resolve(true)),
  requestPermission: vi.fn(() => Promise.resolve('granted')),
  sendNotification: vi.fn(),
}));

afterEach(() => {
  vi.restoreAllMocks();
  vi.mocked(sendNotification).mockClear();
});

function item(n: number, overrides: Partial<InboxItem> = {}): InboxItem {
  return {
    id: `0190a0b0-0000-7000-8000-${String(n).padStart(12, '0')}`,
    kind: 'order_placed',
    title: `New order MD-${1000 + n}`,
    body: '',
    link: `marketdesk://orders/0190a0b0-0000-7000-8000-00000000000${n}`,
    read_at: null,
    created_at: '2026-12-04T10:00:00Z',
    ...overrides,
  };
}

function pref(kind: Preference['kind'], overrides: Partial<Preference> = {}): Preference {
  return {
    kind,
    label: kind === 'low_stock' ? 'Low stock' : 'New orders',
    in_app: true,
    email: false,
    digest: false,
    desktop: false,
    customised: false,
    ...overrides,
  };
}

describe('notifications', () => {
  it('shows the core’s unread count at the bell, opens the list, and opening one marks it read and goes there', async () => {
    const { user, argsOf } = renderApp({
      me: me('vendor'),
      path: '/products',
      handlers: {
        unread_notifications: () => 2,
        notifications: () => ({
          items: [item(1), item(2, { read_at: '2026-12-04T11:00:00Z' })],
          unread: 1,
          next: null,
        }),
        mark_notifications_read: () => 1,
      },
    });
    const bell = await screen.findByTestId('bell');
    await waitFor(() => expect(bell).toHaveAttribute('data-unread', '2'));
    expect(screen.getByTestId('bell-count')).toHaveTextContent('2');
    expect(bell).toHaveAccessibleName('Notifications: 2 unread');

    await user.click(bell);
    const list = await screen.findByTestId('notification-list');
    const rows = within(list).getAllByTestId('notification');
    expect(rows.map((r) => r.getAttribute('data-unread'))).toEqual(['true', 'false']);
    expect(argsOf('notifications')[0]).toEqual({ unreadOnly: true, after: null });

    await user.click(within(rows[0] as HTMLElement).getByText('New order MD-1001'));
    await waitFor(() => expect(argsOf('mark_notifications_read')).toEqual([{ ids: [item(1).id] }]));
    await waitFor(() =>
      expect(window.location.hash).toBe('#/orders?open=0190a0b0-0000-7000-8000-000000000001'),
    );
  });

  it('pages older notifications from the core and marks all read', async () => {
    const { user, argsOf } = renderApp({
      me: me('finance'),
      path: '/notifications',
      handlers: {
        notifications: (args) => {
          const { after } = args as { after: string | null };
          return after === null
            ? { items: [item(1), item(2)], unread: 3, next: 'cursor-2' }
            : { items: [item(3)], unread: 3, next: null };
        },
        mark_all_notifications_read: () => 3,
      },
    });
    expect(await screen.findAllByTestId('notification')).toHaveLength(2);
    await user.click(screen.getByTestId('more-notifications'));
    await waitFor(() => expect(screen.getAllByTestId('notification')).toHaveLength(3));
    expect(argsOf('notifications').at(-1)).toEqual({ unreadOnly: true, after: 'cursor-2' });
    await user.click(screen.getByTestId('mark-all-read'));
    expect(await screen.findByText('3 notifications marked read')).toBeInTheDocument();
    expect(argsOf('mark_all_notifications_read')).toHaveLength(1);
    expect(screen.queryByTestId('announce')).toBeNull();
  });

  it('says when nothing is unread', async () => {
    renderApp({ me: me('logistics'), path: '/notifications' });
    expect(await screen.findByText('All caught up')).toBeInTheDocument();
    expect(screen.getByTestId('mark-all-read')).toBeDisabled();
  });

  it('saves a channel choice as the whole choice for the kind, and keeps the digest for mail only', async () => {
    let saved = [pref('order_placed', { email: true, desktop: true }), pref('low_stock')];
    const { user, argsOf } = renderApp({
      me: me('vendor'),
      path: '/notifications',
      handlers: {
        notification_preferences: () => saved,
        set_notification_preference: (args) => {
          const { choice } = args as { choice: Preference };
          saved = saved.map((p) => (p.kind === choice.kind ? { ...p, ...choice, customised: true } : p));
          return saved;
        },
      },
    });
    const digest = await screen.findByTestId('pref-low_stock-digest');
    expect(digest).toBeDisabled();
    await user.click(screen.getByTestId('pref-low_stock-email'));
    await waitFor(() =>
      expect(argsOf('set_notification_preference')).toEqual([
        { choice: { kind: 'low_stock', in_app: true, email: true, digest: false, desktop: false } },
      ]),
    );
    await waitFor(() => expect(screen.getByTestId('pref-low_stock-digest')).toBeEnabled());
    expect(screen.getByTestId('pref-low_stock-email')).toBeChecked();
    expect(within(screen.getByTestId('preferences')).getByText('(yours)')).toBeInTheDocument();
    expect(screen.getByTestId('reset-preferences')).toBeEnabled();
  });

  it('lets an admin announce to a role', async () => {
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/notifications',
      handlers: { announce_to: () => 14 },
    });
    await user.click(await screen.findByTestId('announce'));
    expect(screen.getByTestId('announce-send')).toBeDisabled();
    await user.selectOptions(screen.getByTestId('announce-to'), 'vendor');
    await user.type(screen.getByTestId('announce-title'), 'Holiday hours');
    await user.type(screen.getByTestId('announce-body'), 'Closed on the 25th.');
    await user.click(screen.getByTestId('announce-send'));
    await waitFor(() =>
      expect(argsOf('announce_to')).toEqual([
        { role: 'vendor', title: 'Holiday hours', body: 'Closed on the 25th.' },
      ]),
    );
    expect(await screen.findByText('Announcement sent (14 notifications)')).toBeInTheDocument();
  });

  it('shows what the core hands over as desktop alerts, once', async () => {
    vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    let alerts = [
      item(7, { kind: 'payout_failed', title: 'Payout of €120.00 failed', body: 'Account closed' }),
    ];
    renderApp({
      me: me('finance'),
      path: '/revenue',
      handlers: {
        unread_notifications: () => 1,
        desktop_alerts: () => {
          const out = alerts;
          alerts = [];
          return out;
        },
      },
    });
    expect(await screen.findByText('Payout of €120.00 failed')).toBeInTheDocument();
    expect(screen.getByText('Account closed')).toBeInTheDocument();
    expect(sendNotification).not.toHaveBeenCalled();
  });

  it('also alerts through the operating system while the window is in the background', async () => {
    vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    let alerts = [item(8, { kind: 'dispute_overdue', title: 'Dispute on MD-1008 is overdue', body: '' })];
    renderApp({
      me: me('admin'),
      path: '/orders',
      handlers: {
        unread_notifications: () => 1,
        list_orders: () => ({ items: [], next_cursor: null }),
        desktop_alerts: () => {
          const out = alerts;
          alerts = [];
          return out;
        },
      },
    });
    expect(await screen.findByText('Dispute on MD-1008 is overdue')).toBeInTheDocument();
    await waitFor(() =>
      expect(sendNotification).toHaveBeenCalledWith({ title: 'Dispute on MD-1008 is overdue' }),
    );
    expect(sendNotification).toHaveBeenCalledTimes(1);
  });
});
