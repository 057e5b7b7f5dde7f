import type { BatchStatus, PayoutBatch, PayoutStatus } from '../../bindings';
import type { BadgeTone } from '../../components/Badge';

export const PAYOUT_STATUSES: readonly PayoutStatus[] = [
  'proposed',
  'approved',
  'processing',
  'paid',
  'failed',
  'cancelled',
  'reversed',
];
export const PAYOUT_STATUS_LABELS: Record<PayoutStatus, string> = {
  proposed: 'Proposed',
  approved: 'Approved',
  processing: 'Processing',
  paid: 'Paid',
  failed: 'Failed',
  cancelled: 'Cancelled',
  reversed: 'Reversed',
};
export const PAYOUT_STATUS_TONES: Record<PayoutStatus, BadgeTone> = {
  proposed: 'neutral',
  approved: 'info',
  processing: 'accent',
  paid: 'success',
  failed: 'danger',
  cancelled: 'neutral',
  reversed: 'warning',
};

export const BATCH_STATUS_LABELS: Record<BatchStatus, string> = {
  draft: 'Draft',
  approved: 'Approved',
  executing: 'Executing',
  completed: 'Completed',
  failed: 'Unfinished',
  cancelled: 'Cancelled',
};
export const BATCH_STATUS_TONES: Record<BatchStatus, BadgeTone> = {
  draft: 'neutral',
  approved: 'info',
  executing: 'accent',
  completed: 'success',
  failed: 'warning',
  cancelled: 'neutral',
};

/** A batch that may still be approved or cancelled. */
export function isCancellable(batch: PayoutBatch): boolean {
  return batch.status === 'draft' || batch.status === 'approved';
}

/**
 * A batch the core lets run (again): approved, or left unfinished (payouts Stripe did not
 * confirm), or marked executing by a runner that stopped.
 */
export function isExecutable(batch: PayoutBatch): boolean {
  return batch.status === 'approved' || batch.status === 'failed' || batch.status === 'executing';
}

/** The newer of two copies of one batch (by version): what this screen got back, or the list's. */
export function newestBatch(known: PayoutBatch, listed: PayoutBatch | undefined): PayoutBatch {
  return listed && listed.id === known.id && listed.version > known.version ? listed : known;
}
