import type { BadgeTone } from '../../components/Badge';
import type { ReviewStatus } from '../../bindings';

export const REVIEW_STATUSES: readonly ReviewStatus[] = ['pending', 'published', 'hidden'];

export const STATUS_LABELS: Record<ReviewStatus, string> = {
  pending: 'Pending',
  published: 'Published',
  hidden: 'Hidden',
};

export const STATUS_TONES: Record<ReviewStatus, BadgeTone> = {
  pending: 'warning',
  published: 'success',
  hidden: 'neutral',
};

/** A rating as stars, for a screen reader too: '★★★☆☆'. */
export function stars(rating: number): string {
  const n = Math.max(0, Math.min(5, Math.round(rating)));
  return '★'.repeat(n) + '☆'.repeat(5 - n);
}
