import type { BadgeTone } from '../../components/Badge';

/** Where a vendor's Stripe Connect set-up stands, as the core stores it. */
export type Verification = 'unverified' | 'pending' | 'verified' | 'rejected';

export const VERIFICATION_LABELS: Record<Verification, string> = {
  unverified: 'Not started',
  pending: 'Onboarding',
  verified: 'Ready for payouts',
  rejected: 'Rejected',
};
export const VERIFICATION_TONES: Record<Verification, BadgeTone> = {
  unverified: 'neutral',
  pending: 'warning',
  verified: 'success',
  rejected: 'danger',
};

export function isVerification(status: string): status is Verification {
  return Object.hasOwn(VERIFICATION_LABELS, status);
}

/** Stripe's requirement fields in words an admin can repeat to the vendor. */
const REQUIREMENT_WORDS: Readonly<Record<string, string>> = {
  external_account: 'Bank account',
  'tos_acceptance.date': "Accept Stripe's terms",
  'tos_acceptance.ip': "Accept Stripe's terms",
  'individual.id_number': 'Identity check',
  'individual.verification.document': 'Identity check',
  'business_profile.url': 'Business website',
};

/** One thing Stripe still needs: in words when known (`fields` are Stripe's names for it). */
export type Requirement = { label: string; known: boolean; fields: string[] };

/**
 * What Stripe still needs, in words, in Stripe's order; fields meaning the same thing (the
 * terms' date and IP) become one line. Unknown fields are shown as Stripe names them.
 */
export function requirementsInWords(currentlyDue: readonly string[]): Requirement[] {
  const byLabel = new Map<string, Requirement>();
  for (const field of currentlyDue) {
    const words = Object.hasOwn(REQUIREMENT_WORDS, field) ? REQUIREMENT_WORDS[field] : undefined;
    const label = words ?? field;
    const known = byLabel.get(label);
    if (known) known.fields.push(field);
    else byLabel.set(label, { label, known: words !== undefined, fields: [field] });
  }
  return [...byLabel.values()];
}

const DISABLED_WORDS: Readonly<Record<string, string>> = {
  'requirements.past_due': 'Information Stripe asked for is overdue',
  'requirements.pending_verification': 'Stripe is verifying the information given',
  under_review: 'Stripe is reviewing the account',
  listed: 'Stripe is reviewing the account',
  platform_paused: 'Paused by the platform',
  other: 'Stripe did not say why',
};

/** Why Stripe disabled an account, in words (Stripe's `disabled_reason` code as a fallback). */
export function disabledReasonInWords(reason: string): string {
  if (Object.hasOwn(DISABLED_WORDS, reason)) return DISABLED_WORDS[reason] ?? reason;
  if (reason.startsWith('rejected')) return 'Stripe rejected the account';
  return reason;
}
