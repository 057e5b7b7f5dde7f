import type { Dispute, DisputeAction, DisputeKind, DisputeStatus, DisputeOutcome } from '../../bindings';
import type { BadgeTone } from '../../components/Badge';

/** `not_received` → 'Not received'. */
export function humanize(code: string): string {
  const text = code.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const DISPUTE_STATUSES: readonly DisputeStatus[] = [
  'open',
  'awaiting_vendor',
  'awaiting_customer',
  'under_review',
  'escalated',
  'resolved',
  'closed',
];

export const STATUS_LABELS: Record<DisputeStatus, string> = {
  open: 'Open',
  awaiting_vendor: 'Awaiting vendor',
  awaiting_customer: 'Awaiting customer',
  under_review: 'Under review',
  resolved: 'Resolved',
  closed: 'Closed',
  escalated: 'Escalated',
};

export const STATUS_TONES: Record<DisputeStatus, BadgeTone> = {
  open: 'warning',
  awaiting_vendor: 'info',
  awaiting_customer: 'info',
  under_review: 'accent',
  resolved: 'success',
  closed: 'neutral',
  escalated: 'danger',
};

/** The button for each step, as the person taking it reads it. */
export const ACTION_LABELS: Record<DisputeAction, string> = {
  ask_vendor: 'Ask the vendor',
  ask_customer: 'Wait on the customer',
  answer: 'Answer',
  review: 'Take into review',
  escalate: 'Escalate',
  timeout: 'Time out',
  resolve: 'Resolve…',
};

/** What the dialog of each step asks for. */
export const ACTION_PROMPTS: Record<DisputeAction, string> = {
  ask_vendor: 'What the vendor should answer or do.',
  ask_customer: 'What was asked of the customer (they answer through the platform).',
  answer: 'Your answer.',
  review: 'A note for the thread (optional).',
  escalate: 'Why the platform should decide.',
  timeout: '',
  resolve: 'What was decided and why (optional; the vendor reads it).',
};

export const RESOLUTION_LABELS: Record<DisputeOutcome, string> = {
  refund_full: 'Refund in full',
  refund_partial: 'Refund in part',
  replacement: 'Replacement',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn by the customer',
};

/** Kinds a person can open (chargebacks come from Stripe). */
export const KIND_LABELS: Record<Exclude<DisputeKind, 'chargeback'>, string> = {
  not_received: 'Not received',
  not_as_described: 'Not as described',
  damaged: 'Arrived damaged',
  other: 'Other problem',
};

/** Whether a live dispute is past its stage's time (the list's and the panel's red). */
export function isOverdue(d: Dispute, now: number = Date.now()): boolean {
  if (d.status === 'resolved' || d.status === 'closed') return false;
  return d.overdue_at !== null || (d.stage_due_at !== null && Date.parse(d.stage_due_at) < now);
}
