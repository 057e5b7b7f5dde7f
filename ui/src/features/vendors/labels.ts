import type { BadgeTone } from '../../components/Badge';
import type { DocumentReview, OnboardingItem, OnboardingStage, VendorDocumentKind } from '../../bindings';

/** The pipeline's stages in the order an application moves through them. */
export const STAGES: readonly OnboardingStage[] = [
  'applied',
  'onboarding',
  'in_review',
  'approved',
  'active',
  'declined',
];

export const STAGE_LABELS: Record<OnboardingStage, string> = {
  applied: 'Applied',
  onboarding: 'With the vendor',
  in_review: 'To review',
  approved: 'Approved',
  active: 'Active',
  declined: 'Declined',
};

export const STAGE_TONES: Record<OnboardingStage, BadgeTone> = {
  applied: 'neutral',
  onboarding: 'info',
  in_review: 'warning',
  approved: 'accent',
  active: 'success',
  declined: 'neutral',
};

export const DOCUMENT_KINDS: readonly VendorDocumentKind[] = [
  'business_registration',
  'proof_of_identity',
  'tax_certificate',
  'bank_statement',
  'other',
];

export const DOCUMENT_LABELS: Record<VendorDocumentKind, string> = {
  business_registration: 'Business registration',
  proof_of_identity: 'Proof of identity',
  tax_certificate: 'Tax certificate',
  bank_statement: 'Bank statement',
  other: 'Other document',
};

export const REVIEW_LABELS: Record<DocumentReview, string> = {
  pending: 'Not reviewed',
  accepted: 'Accepted',
  rejected: 'Rejected',
};

export const REVIEW_TONES: Record<DocumentReview, BadgeTone> = {
  pending: 'warning',
  accepted: 'success',
  rejected: 'danger',
};

/** Everything an admin may ask for, in the order the request dialog lists it. */
export const ITEMS: readonly OnboardingItem[] = [
  'legal_name',
  'tax_id',
  'payout_country',
  'payout_currency',
  'address',
  'business_registration',
  'proof_of_identity',
  'tax_certificate',
  'bank_statement',
];

export const ITEM_LABELS: Record<OnboardingItem, string> = {
  legal_name: 'Legal name',
  tax_id: 'Tax id',
  payout_country: 'Payout country',
  payout_currency: 'Payout currency',
  address: 'Business address',
  business_registration: 'Business registration',
  proof_of_identity: 'Proof of identity',
  tax_certificate: 'Tax certificate',
  bank_statement: 'Bank statement',
};
