import type { BadgeTone } from '../../components/Badge';
import type { AddressInput, CustomerStatus } from '../../bindings';

export const CUSTOMER_STATUSES: readonly CustomerStatus[] = ['active', 'blocked'];

export const STATUS_LABELS: Record<CustomerStatus, string> = {
  active: 'Active',
  blocked: 'Blocked',
};

export const STATUS_TONES: Record<CustomerStatus, BadgeTone> = {
  active: 'success',
  blocked: 'danger',
};

/** An address on one line, as a label prints it. */
export function addressLine(
  a: Pick<AddressInput, 'line1' | 'line2' | 'city' | 'region' | 'postal_code' | 'country'>,
) {
  return [a.line1, a.line2, [a.postal_code, a.city].join(' '), a.region, a.country]
    .filter((part) => part !== null && part !== undefined && part.trim() !== '')
    .join(', ');
}
