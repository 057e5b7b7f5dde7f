import type { BadgeTone } from '../../components/Badge';

/** The ledger's transaction codes (the core refuses any other as a filter). */
export const LEDGER_CODES = [
  'payment_captured',
  'stripe_fee',
  'refund',
  'dispute',
  'dispute_fee',
  'payout_executed',
  'payout_failed',
  'payout_reversed',
  'subscription_paid',
  'correction',
  'opening_balance',
] as const;
export type LedgerCode = (typeof LEDGER_CODES)[number];

export const CODE_LABELS: Record<LedgerCode, string> = {
  payment_captured: 'Payment captured',
  stripe_fee: 'Stripe fee',
  refund: 'Refund',
  dispute: 'Dispute',
  dispute_fee: 'Dispute fee',
  payout_executed: 'Payout executed',
  payout_failed: 'Payout failed',
  payout_reversed: 'Payout reversed',
  subscription_paid: 'Subscription paid',
  correction: 'Correction',
  opening_balance: 'Opening balance',
};

const CODE_TONES: Record<LedgerCode, BadgeTone> = {
  payment_captured: 'success',
  stripe_fee: 'neutral',
  refund: 'warning',
  dispute: 'danger',
  dispute_fee: 'danger',
  payout_executed: 'info',
  payout_failed: 'danger',
  payout_reversed: 'warning',
  subscription_paid: 'accent',
  correction: 'warning',
  opening_balance: 'neutral',
};

function isLedgerCode(code: string): code is LedgerCode {
  return (LEDGER_CODES as readonly string[]).includes(code);
}

/** A code's label ('payout_executed' → 'Payout executed'), also for codes this UI does not know yet. */
export function codeLabel(code: string): string {
  if (isLedgerCode(code)) return CODE_LABELS[code];
  const text = code.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function codeTone(code: string): BadgeTone {
  return isLedgerCode(code) ? CODE_TONES[code] : 'neutral';
}

/** A vendor's words for the movements on their statement: the same as the statement's PDF. */
const STATEMENT_LABELS: Readonly<Record<string, string>> = {
  payment_captured: 'Sales less commission',
  refund: 'Refund to a buyer',
  dispute: 'Chargeback',
  dispute_fee: 'Dispute fee',
  payout_executed: 'Payout to your bank',
  payout_failed: 'Payout returned',
  payout_reversed: 'Payout returned',
  payout_returned: 'Payout returned',
  subscription_paid: 'Subscription',
  adjustment: 'Correction',
  correction: 'Correction',
};

/** A code on a vendor statement in the vendor's words ('payment_captured' → 'Sales less commission'), else the code. */
export function statementLabel(code: string): string {
  return (Object.hasOwn(STATEMENT_LABELS, code) ? STATEMENT_LABELS[code] : undefined) ?? code;
}
