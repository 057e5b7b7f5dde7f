import type { QueryClient } from '@tanstack/react-query';

/**
 * Query keys start with the entity they show, so that one change (an action here, or the
 * core's `data-changed` event) refreshes everything showing it: ['orders', 'list', …],
 * ['orders', 'detail', id], ['products', 'variants', id]…
 */
export const queryKeys = {
  appInfo: ['app-info'] as const,
  /** The signed-in session's connection (cleared with the cache at sign-in and sign-out). */
  connection: ['connection'] as const,
  /** This computer's integration keys (whether each is in the keychain). */
  integrationKeys: ['integration-keys'] as const,
  /** The central server this computer signs in to (read on the sign-in screen). */
  serverSetting: ['server-setting'] as const,
  orderList: (scope: string, filter: unknown) => ['orders', 'list', scope, filter] as const,
  orderDetail: (id: string) => ['orders', 'detail', id] as const,
  /** Under 'orders': a refund refreshes the order, the lists and its refunds together. */
  orderRefunds: (id: string) => ['orders', 'refunds', id] as const,
  /** Under 'orders': any change to the order adds to its timeline. */
  orderTimeline: (id: string) => ['orders', 'timeline', id] as const,
  productList: (scope: string, filter: unknown) => ['products', 'list', scope, filter] as const,
  productVariants: (id: string) => ['products', 'variants', id] as const,
  /** Under 'products': a variant's stock movements (any stock change adds one). */
  stockHistory: (variantId: string, kind: string) => ['products', 'stock-history', variantId, kind] as const,
  /** The reasons a stock change may give (fixed by the core). */
  stockReasons: ['stock-reasons'] as const,
  userList: (filter: unknown) => ['users', 'list', filter] as const,
  shipmentList: (filter: unknown) => ['shipments', 'list', filter] as const,
  /** This workstation's printers and defaults. */
  printerSetup: ['printers', 'setup'] as const,
  /** Under 'printers': every job printed for a shipment. */
  printLog: (shipmentId: string) => ['printers', 'log', shipmentId] as const,
  /** Under 'shipments': every attempt to buy a parcel's label. */
  labelPurchases: (shipmentId: string) => ['shipments', 'purchases', shipmentId] as const,
  /** Under 'shipments': the rates for one parcel (tables and carrier quotes). */
  shipmentRates: (shipmentId: string) => ['shipments', 'rates', shipmentId] as const,
  /** Zones, methods and rate tables. */
  shippingSetup: ['shipping', 'setup'] as const,
  /** Under 'shipments': a parcel's tracking events. */
  tracking: (shipmentId: string) => ['shipments', 'tracking', shipmentId] as const,
  payoutList: (scope: string, filter: unknown) => ['payouts', 'list', scope, filter] as const,
  payoutPreview: (currency: string, minimumMinor: number | null) =>
    ['payouts', 'preview', currency, minimumMinor] as const,
  /** Every currency's vendor balances. */
  allVendorBalances: ['payouts', 'balances'] as const,
  /**
   * Under 'users': a vendor's Connect account lives on their profile, which the core reports
   * as a change of users. `allConnectStatuses` covers both lists (all, and only not ready).
   */
  /** Every vendor to choose from (the users' domain: inviting a vendor changes it). */
  vendors: ['users', 'vendors'] as const,
  connectStatuses: (onlyNotReady: boolean) => ['users', 'connect', { onlyNotReady }] as const,
  allConnectStatuses: ['users', 'connect'] as const,
  payoutBatches: ['payouts', 'batches'] as const,
  /**
   * Under 'payouts': what Stripe's events did lands on payouts (a reversed transfer), refunds,
   * disputes and the ledger; a payout change refreshes the list of events too.
   */
  stripeEvents: (attentionOnly: boolean) => ['payouts', 'stripe-events', { attentionOnly }] as const,
  allStripeEvents: ['payouts', 'stripe-events'] as const,
  /** The bell's count; under 'notifications', which the core's live changes refresh. */
  unreadNotifications: ['notifications', 'unread'] as const,
  notificationList: (unreadOnly: boolean) => ['notifications', 'list', { unreadOnly }] as const,
  notificationPreferences: ['notifications', 'preferences'] as const,
  customerList: (filter: unknown) => ['customers', 'list', filter] as const,
  customerProfile: (id: string) => ['customers', 'profile', id] as const,
  disputeList: (filter: unknown) => ['disputes', 'list', filter] as const,
  disputeDetail: (id: string) => ['disputes', 'detail', id] as const,
  revenue: (query: unknown) => ['revenue', query] as const,
  earnings: ['earnings'] as const,
  subscription: ['subscription'] as const,
  /**
   * Under 'subscriptions' (every vendor's; 'subscription' is a vendor's own): the plans, and
   * the vendors with their live subscription, one entry per filter (`allSubscriptions`, and
   * the 'subscriptions' entity, refresh every one).
   */
  subscriptionPlans: ['subscriptions', 'plans'] as const,
  vendorPlans: (filter: unknown) => ['subscriptions', 'vendors', filter] as const,
  allSubscriptions: ['subscriptions'] as const,
  settings: ['settings'] as const,
  auditList: (filter: unknown) => ['audit', 'list', filter] as const,
  outbox: ['outbox', 'list'] as const,
  ledgerList: (filter: unknown) => ['ledger', 'list', filter] as const,
  accountBalances: (currency: string | null) => ['ledger', 'balances', currency] as const,
  /** Under 'ledger': a statement is read from the vendor's ledger account. */
  vendorStatement: (query: unknown) => ['ledger', 'statement', query] as const,
  reportRun: (query: unknown) => ['reports', 'run', query] as const,
  savedReports: ['reports', 'saved'] as const,
  reportRuns: ['reports', 'runs'] as const,
  /** Where the session's sync stands (the top bar and the sync screen). */
  syncOverview: ['sync', 'overview'] as const,
  /** Under 'sync': the changes made offline (`all`: also those applied). */
  pendingChanges: (all: boolean) => ['sync', 'pending', { all }] as const,
  /** Under 'sync': the open conflicts. */
  syncConflicts: ['sync', 'conflicts'] as const,
};

/**
 * What else depends on an entity: an order's change moves revenue, a vendor's earnings, the
 * ledger (captures, refunds) and the finance reports.
 */
const DEPENDENTS: Record<string, readonly string[]> = {
  orders: ['orders', 'revenue', 'earnings', 'shipments', 'ledger', 'reports'],
  shipments: ['shipments', 'orders'],
  print_jobs: ['printers'],
  // New zones or tables change what a parcel's rates are.
  shipping_setup: ['shipping', 'shipments'],
  products: ['products'],
  variants: ['products'],
  // A customer is a users row: blocking one changes the customers list.
  users: ['users', 'reports', 'customers'],
  // Executing a payout posts it to the ledger.
  payouts: ['payouts', 'earnings', 'ledger', 'reports'],
  disputes: ['disputes', 'orders'],
  settings: ['settings'],
  // A vendor's own subscription, and every vendor's (admins and finance).
  subscriptions: ['subscription', 'subscriptions'],
  // A change made here is queued (offline) or the copy moved on.
  sync: ['sync'],
};

/** Marks every query showing `entity` stale; those on screen refetch. */
export function invalidateEntity(client: QueryClient, entity: string): Promise<void> {
  const roots = DEPENDENTS[entity] ?? [entity];
  return Promise.all(roots.map((root) => client.invalidateQueries({ queryKey: [root] }))).then(
    () => undefined,
  );
}
