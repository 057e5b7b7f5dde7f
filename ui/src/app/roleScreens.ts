import type { Role } from '../bindings';

/** The app's screens by name (what `SCREENS` in screens.tsx draws). */
export type ScreenName =
  | 'orders'
  | 'dashboard'
  | 'fulfilment'
  | 'approvals'
  | 'products'
  | 'reviews'
  | 'users'
  | 'vendors'
  | 'application'
  | 'customers'
  | 'disputes'
  | 'shipments'
  | 'printers'
  | 'shipping'
  | 'scan'
  | 'revenue'
  | 'reports'
  | 'earnings'
  | 'payouts'
  | 'ledger'
  | 'subscription'
  | 'settings'
  | 'audit'
  | 'outbox'
  | 'jobs'
  | 'logs'
  | 'sync'
  | 'notifications';

/** What each role may open, in navigation order. The first is the role's home screen. */
export const NAV_BY_ROLE: Record<Role, readonly ScreenName[]> = {
  admin: [
    'orders',
    'dashboard',
    'approvals',
    'products',
    'reviews',
    'users',
    'vendors',
    'customers',
    'disputes',
    'revenue',
    'reports',
    'payouts',
    'ledger',
    'settings',
    'shipping',
    'printers',
    'audit',
    'outbox',
    'jobs',
    'logs',
  ],
  vendor: [
    'products',
    'reviews',
    'orders',
    'disputes',
    'earnings',
    'dashboard',
    'payouts',
    'subscription',
    'application',
  ],
  logistics: ['fulfilment', 'scan', 'shipments', 'orders', 'products', 'printers'],
  finance: ['revenue', 'dashboard', 'reports', 'payouts', 'ledger', 'orders', 'disputes', 'customers'],
  customer: [],
};

/**
 * Screens a role may open without a navigation entry (reached from another screen): a
 * vendor's shipments, linked from their orders; sync and notifications, from the
 * top bar's badge and bell.
 */
export const EXTRA_BY_ROLE: Record<Role, readonly ScreenName[]> = {
  admin: ['sync', 'notifications'],
  vendor: ['shipments', 'sync', 'notifications'],
  logistics: ['sync', 'notifications'],
  finance: ['sync', 'notifications'],
  customer: [],
};

/** Every screen a role may open: its navigation, then the screens reached from elsewhere. */
export function routableFor(role: Role): ScreenName[] {
  return [...NAV_BY_ROLE[role], ...EXTRA_BY_ROLE[role]];
}
