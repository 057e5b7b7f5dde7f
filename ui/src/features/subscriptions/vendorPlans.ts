import type { Plan, PlanCount, PlanShow, VendorPlan } from '../../bindings';
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

/** What the list can be narrowed to (the core filters; no choice shows every vendor). */
export const PLAN_FILTERS: readonly PlanShow[] = ['no_plan', 'ending', 'needs_payment'];
export const PLAN_FILTER_LABELS: Record<PlanShow, string> = {
  no_plan: 'No plan',
  ending: 'Ending',
  needs_payment: 'Needs payment',
};

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

/** The core's count of vendors on each plan, by plan code (a plan missing has none). */
export function countsByPlan(byPlan: readonly PlanCount[]): Map<string, number> {
  return new Map(byPlan.map((c) => [c.plan_code, c.vendors]));
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
