import { useQuery } from '@tanstack/react-query';
import { commands, type NotificationKind } from '../../bindings';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';

/** The signed-in person's unread count at the bell (refreshed by the core's live changes). */
export function useUnreadCount() {
  return useQuery({
    queryKey: queryKeys.unreadNotifications,
    queryFn: () => unwrap(commands.unreadNotifications()),
  });
}

/**
 * The screen a notification's link opens ('marketdesk://disputes/<id>' → '/disputes?open=<id>';
 * screens that show one row in a panel open it), when the person may open it; null otherwise.
 */
export function routeOf(link: string | null, routable: readonly string[]): string | null {
  const match = /^marketdesk:\/\/([a-z_]+)(?:\/([A-Za-z0-9_-]+))?/.exec(link ?? '');
  const place = match?.[1];
  if (place === undefined || !routable.includes(place)) return null;
  const id = match?.[2];
  return id === undefined ? `/${place}` : `/${place}?open=${encodeURIComponent(id)}`;
}

/** A word or two for each kind, for the list's small label. */
export const KIND_TAGS: Record<NotificationKind, string> = {
  order_placed: 'Order',
  order_cancelled: 'Order',
  dispute_opened: 'Dispute',
  dispute_answered: 'Dispute',
  dispute_escalated: 'Dispute',
  dispute_overdue: 'Dispute',
  payout_sent: 'Payout',
  payout_failed: 'Payout',
  product_approved: 'Catalog',
  product_changes_requested: 'Catalog',
  low_stock: 'Stock',
  label_purchase_failed: 'Labels',
  sync_conflict: 'Sync',
  announcement: 'Announcement',
  vendor_onboarding: 'Vendors',
};

/** Kinds that need someone to act, shown in the warning colour. */
export const NEEDS_ACTION: readonly NotificationKind[] = [
  'dispute_overdue',
  'dispute_escalated',
  'payout_failed',
  'product_changes_requested',
  'label_purchase_failed',
  'sync_conflict',
  'low_stock',
];
