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

/**
 * The statuses an order may move to next: a mirror of `OrderStatus::next` in the core
 * (which refuses anything else).
 */
export const ORDER_NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ['paid', 'cancelled'],
  paid: [
    'processing',
    'partially_shipped',
    'shipped',
    'cancelled',
    'refunded',
    'partially_refunded',
    'disputed',
  ],
  processing: ['partially_shipped', 'shipped', 'cancelled', 'refunded', 'partially_refunded', 'disputed'],
  partially_shipped: ['shipped', 'partially_refunded', 'refunded', 'disputed'],
  shipped: ['delivered', 'partially_refunded', 'refunded', 'disputed'],
  delivered: ['partially_refunded', 'refunded', 'disputed'],
  partially_refunded: ['refunded', 'disputed', 'delivered', 'shipped'],
  disputed: ['delivered', 'refunded', 'partially_refunded'],
  cancelled: [],
  refunded: [],
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

/** The fulfilment queue: paid orders waiting to leave the warehouse. */
export const FULFILMENT_STATUSES: readonly OrderStatus[] = ['paid', 'processing', 'partially_shipped'];

/** Moves along the happy path, offered as buttons; the rest (cancel, refund, dispute) sit in a menu. */
export const ORDER_FORWARD: ReadonlySet<OrderStatus> = new Set([
  'paid',
  'processing',
  'partially_shipped',
  'shipped',
  'delivered',
]);
