import type { ProductStatus } from '../../bindings';
import type { BadgeTone } from '../../components/Badge';

export const PRODUCT_STATUSES: readonly ProductStatus[] = [
  'draft',
  'pending_review',
  'approved',
  'rejected',
  'archived',
];

export const PRODUCT_STATUS_LABELS: Record<ProductStatus, string> = {
  draft: 'Draft',
  pending_review: 'Pending review',
  approved: 'Approved',
  rejected: 'Rejected',
  archived: 'Archived',
};

export const PRODUCT_STATUS_TONES: Record<ProductStatus, BadgeTone> = {
  draft: 'neutral',
  pending_review: 'warning',
  approved: 'success',
  rejected: 'danger',
  archived: 'neutral',
};
