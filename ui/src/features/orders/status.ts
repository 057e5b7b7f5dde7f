import type { OrderStatus } from '../../bindings';
import type { BadgeTone } from '../../components/Badge';

export const ORDER_STATUSES: readonly OrderStatus[] = [
  'pending',
  'paid',
  'processing',
  'partially_shipped',
  'shipped',
  'delivered',
  'partially_refunded',
  'refunded',
  'cancelled',
  'disputed',
];

export const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  pending: 'Pending',
  paid: 'Paid',
  processing: 'Processing',
  partially_shipped: 'Partially shipped',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
  partially_refunded: 'Partially refunded',
  disputed: 'Disputed',
};

export const ORDER_STATUS_TONES: Record<OrderStatus, BadgeTone> = {
  pending: 'warning',
  paid: 'info',
  processing: 'info',
  partially_shipped: 'accent',
  shipped: 'accent',
  delivered: 'success',
  cancelled: 'neutral',
  refunded: 'neutral',
  partially_refunded: 'warning',
  disputed: 'danger',
};

/** The button that moves an order to a status. */
export const ORDER_ACTION_LABELS: Record<OrderStatus, string> = {
  pending: 'Mark pending',
  paid: 'Mark paid',
  processing: 'Start processing',
  partially_shipped: 'Mark partially shipped',
  shipped: 'Mark shipped',
  delivered: 'Mark delivered',
  cancelled: 'Cancel order',
  refunded: 'Refund in full',
  partially_refunded: 'Mark partially refunded',
  disputed: 'Mark disputed',
};

/** Moves that lose money or cannot be taken back are confirmed in red. */
export const ORDER_DESTRUCTIVE: ReadonlySet<OrderStatus> = new Set(['cancelled', 'refunded']);
