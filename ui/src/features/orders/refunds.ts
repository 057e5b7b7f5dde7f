import { useQuery } from '@tanstack/react-query';
import { commands, type OrderItem, type RefundRow } from '../../bindings';
import type { BadgeTone } from '../../components/Badge';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';

/** Why money goes back: the core's list (`REFUND_REASONS`), in its order. */
export const REFUND_REASONS = [
  'requested_by_customer',
  'duplicate',
  'fraudulent',
  'damaged',
  'not_received',
  'other',
] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];

export const REFUND_REASON_LABELS: Record<RefundReason, string> = {
  requested_by_customer: 'Requested by the customer',
  duplicate: 'Duplicate charge',
  fraudulent: 'Fraudulent',
  damaged: 'Arrived damaged',
  not_received: 'Not received',
  other: 'Other',
};

export function refundReasonLabel(reason: string): string {
  return (REFUND_REASONS as readonly string[]).includes(reason)
    ? REFUND_REASON_LABELS[reason as RefundReason]
    : reason;
}

/** A refund row's status, as the core sets it. */
export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export const REFUND_STATUS_LABELS: Record<RefundStatus, string> = {
  pending: 'Pending',
  succeeded: 'Succeeded',
  failed: 'Failed',
};
export const REFUND_STATUS_TONES: Record<RefundStatus, BadgeTone> = {
  pending: 'warning',
  succeeded: 'success',
  failed: 'danger',
};

export function isRefundStatus(status: string): status is RefundStatus {
  return (REFUND_STATUSES as readonly string[]).includes(status);
}

/** An order's refunds, oldest first (finance). */
export function useOrderRefunds(orderId: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.orderRefunds(orderId),
    queryFn: () => unwrap(commands.orderRefunds(orderId)),
    enabled,
  });
}

/** Units of one order line given back (refunds that succeeded) and asked for but unanswered (pending). */
export type LineRefunds = { refunded: number; pending: number };

/** What each order line has been refunded, from the order's refund rows. */
export function refundsByLine(rows: readonly RefundRow[]): Map<string, LineRefunds> {
  const byLine = new Map<string, LineRefunds>();
  for (const row of rows) {
    if (row.order_item_id === null || row.quantity === null) continue;
    const line = byLine.get(row.order_item_id) ?? { refunded: 0, pending: 0 };
    if (row.status === 'succeeded') line.refunded += row.quantity;
    else if (row.status === 'pending') line.pending += row.quantity;
    byLine.set(row.order_item_id, line);
  }
  return byLine;
}

/** Units of a line that may still be refunded: neither refunded nor in a pending refund. */
export function unitsLeft(item: OrderItem, refunds: LineRefunds | undefined): number {
  return Math.max(0, item.quantity - (refunds?.refunded ?? 0) - (refunds?.pending ?? 0));
}

export type ParsedUnits = { units: number; problem: null } | { units: null; problem: string };

/**
 * The units typed for a line (empty is none): a whole number from 0 to `left`, or why it is
 * not one. `badInput` is the browser's word that the field holds something not a number.
 */
export function parseUnits(text: string, left: number, badInput = false): ParsedUnits {
  const trimmed = text.trim();
  if (badInput) return { units: null, problem: 'Enter a whole number of units.' };
  if (trimmed === '') return { units: 0, problem: null };
  if (!/^[+-]?\d*\.?\d+(e[+-]?\d+)?$/i.test(trimmed)) {
    return { units: null, problem: 'Enter a whole number of units.' };
  }
  const value = Number(trimmed);
  if (!Number.isInteger(value)) return { units: null, problem: 'Whole units only.' };
  if (value < 0) return { units: null, problem: 'Cannot be negative.' };
  if (value > left) {
    return {
      units: null,
      problem: left === 0 ? 'Nothing is left to refund on this line.' : `Only ${left} left to refund.`,
    };
  }
  return { units: value, problem: null };
}
