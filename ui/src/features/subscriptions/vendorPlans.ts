import type { Plan, VendorPlan } from '../../bindings';
import type { BadgeTone } from '../../components/Badge';
import { formatDate, formatMoney, formatNumber } from '../../lib/format';
import { formatBps } from './SubscriptionScreen';

/** Where a live subscription stands, as the core stores it (cancelled ones are not listed). */
export type PlanStatus = 'trialing' | 'active' | 'past_due' | 'incomplete' | 'unpaid';

export const PLAN_STATUS_LABELS: Record<PlanStatus, string> = {
  active: 'Active',
  trialing: 'Trialing',
  past_due: 'Past due',
  unpaid: 'Unpaid',
  incomplete: 'Awaiting first payment',
};
export const PLAN_STATUS_TONES: Record<PlanStatus, BadgeTone> = {
  active: 'success',
  trialing: 'info',
  past_due: 'danger',
  unpaid: 'danger',
  incomplete: 'warning',
};

export function isPlanStatus(status: string): status is PlanStatus {
  return Object.hasOwn(PLAN_STATUS_LABELS, status);
}

/** Stripe waits for the vendor to pay an invoice. */
const NEEDS_PAYMENT: ReadonlySet<string> = new Set(['past_due', 'unpaid', 'incomplete']);

/** The list's filter ('' shows every vendor). */
export type PlanFilter = 'none' | 'ending' | 'payment';

export const PLAN_FILTERS: readonly PlanFilter[] = ['none', 'ending', 'payment'];
export const PLAN_FILTER_LABELS: Record<PlanFilter, string> = {
  none: 'No plan',
  ending: 'Ending',
  payment: 'Needs payment',
};

export function matchesFilter(vendor: VendorPlan, filter: PlanFilter | ''): boolean {
  switch (filter) {
    case '':
      return true;
    case 'none':
      return vendor.plan_code === null;
    case 'ending':
      return vendor.plan_code !== null && vendor.cancel_at_period_end;
    case 'payment':
      return vendor.status !== null && NEEDS_PAYMENT.has(vendor.status);
  }
}

/** Whether the vendor's name or e-mail holds `text` (trimmed, any case); empty matches all. */
export function matchesSearch(vendor: VendorPlan, text: string): boolean {
  const needle = text.trim().toLocaleLowerCase();
  if (needle === '') return true;
  return (
    vendor.vendor_name.toLocaleLowerCase().includes(needle) ||
    vendor.email.toLocaleLowerCase().includes(needle)
  );
}

/** A live subscription billed through Stripe: the only kind an admin can change from here. */
export type BilledVendorPlan = VendorPlan & {
  plan_code: string;
  stripe_subscription_id: string;
  version: number;
};

export function isBilled(vendor: VendorPlan): vendor is BilledVendorPlan {
  return vendor.plan_code !== null && vendor.stripe_subscription_id !== null && vendor.version !== null;
}

/** '$49.00 / month'. */
export function planPrice(plan: Pick<Plan, 'price_minor' | 'currency' | 'interval'>): string {
  return `${formatMoney(plan.price_minor, plan.currency)} / ${plan.interval}`;
}

/** 1000 → '10% commission'; none → 'Default commission' (the platform's rate). */
export function commissionInWords(bps: number | null): string {
  return bps === null ? 'Default commission' : `${formatBps(bps)} commission`;
}

/**
 * Why `plan` cannot be chosen for a vendor on `current` (a plan code, or null for none), or
 * null when it can: the core bills only offered plans with a Stripe price.
 */
export function planUnavailable(plan: Plan, current: string | null): string | null {
  if (plan.code === current) return 'Current plan';
  if (!plan.is_active) return 'Not offered any more';
  if (plan.stripe_price_id === null) return 'No Stripe price: it cannot be billed';
  return null;
}

/** How many vendors are on each plan, by plan code. */
export function vendorsByPlan(vendors: readonly VendorPlan[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of vendors) {
    if (v.plan_code !== null) counts.set(v.plan_code, (counts.get(v.plan_code) ?? 0) + 1);
  }
  return counts;
}

/** '1 vendor', '12 vendors'. */
export function vendorCount(n: number): string {
  return `${formatNumber(n)} ${n === 1 ? 'vendor' : 'vendors'}`;
}

/** 'Renews May 1, 2026', or 'Ends May 1, 2026' when it ends with its period; null without one. */
export function periodInWords(vendor: VendorPlan): string | null {
  if (vendor.plan_code === null || vendor.current_period_end === null) return null;
  return `${vendor.cancel_at_period_end ? 'Ends' : 'Renews'} ${formatDate(vendor.current_period_end)}`;
}
