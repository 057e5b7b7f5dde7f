import { act, render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../app/App';
import { AppProviders } from '../app/AppProviders';
import { navigate } from '../app/router';
import type { Me } from '../bindings';
import { appInfo, localConnection, page } from './fixtures';
import { testQueryClient } from './render';
import { mockCommands, type CommandHandler } from './tauri';

const EMPTY_LISTS: Record<string, CommandHandler> = {
  list_orders: () => page([]),
  list_products: () => page([]),
  list_users: () => page([]),
  list_shipments: () => page([]),
  list_payouts: () => page([]),
  list_disputes: () => page([]),
  list_audit: () => page([]),
  list_outbox: () => [],
  list_payout_batches: () => [],
  vendor_balances: () => [],
  payout_preview: () => ({
    currency: 'USD',
    minimum_minor: 0,
    lines: [],
    payout_count: 0,
    total_minor: 0,
    not_payable: 0,
  }),
  connect_statuses: () => ({ vendors: [], total: 0, ready: 0 }),
  list_vendors: () => [],
  shipment_destinations: () => [],
  carrier_accounts: () => [],
  package_presets: () => [],
  list_ledger: () => page([]),
  account_balances: () => [],
  printer_setup: () => ({ workstation: 'bench-1', printers: [], defaults: [] }),
  shipment_print_log: () => [],
  shipment_label_purchases: () => [],
  shipment_tracking: () => [],
  order_timeline: () => [],
  unread_notifications: () => 0,
  desktop_alerts: () => [],
  run_dispute_clock: () => ({ escalated: 0, overdue: 0 }),
  notifications: () => ({ items: [], unread: 0, next: null }),
  notification_preferences: () => [],
  stock_reasons: () => [
    { kind: 'received', label: 'Received', direction: 'in' },
    { kind: 'counted', label: 'Counted', direction: 'either' },
    { kind: 'damaged', label: 'Damaged', direction: 'out' },
    { kind: 'correction', label: 'Correction', direction: 'either' },
  ],
  stock_history: () => ({ items: [], next_cursor: null }),
};

/**
 * Renders the whole app against mocked commands. `me` signs someone in (current_user
 * answers with them); `path` opens a screen. Lists answer empty unless given handlers.
 */
export function renderApp({
  me = null,
  path = '/',
  handlers = {},
  events = false,
}: {
  me?: Me | null;
  path?: string;
  handlers?: Record<string, CommandHandler>;
  /** Mock Tauri events (and pretend to run inside Tauri, so the app listens for them). */
  events?: boolean;
} = {}) {
  const mocked = mockCommands(
    {
      app_info: () => appInfo,
      current_user: () => me,
      connection: () => localConnection,
      sign_out: () => null,
      ...EMPTY_LISTS,
      ...handlers,
    },
    { events },
  );
  (globalThis as { isTauri?: boolean }).isTauri = events || undefined;
  act(() => navigate(path, { replace: true }));
  const client = testQueryClient();
  const user = userEvent.setup();
  const view = render(
    <AppProviders client={client}>
      <App />
    </AppProviders>,
  );
  /** The arguments of every call of `cmd`, oldest first. */
  const argsOf = <T = Record<string, unknown>,>(cmd: string) =>
    mocked.calls.filter((c) => c.cmd === cmd).map((c) => c.args as T);
  return { ...view, ...mocked, client, user, argsOf };
}
