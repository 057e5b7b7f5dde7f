import type { ReportKind } from '../../bindings';
import { humanize } from '../disputes/labels';

export type ReportKindInfo = {
  label: string;
  /** One line under the label in the rail. */
  description: string;
  /** The report groups its rows by day, week, month or quarter. */
  grain: boolean;
  /** The report has amounts, in one currency. */
  currency: boolean;
};

export const REPORT_KIND_INFO: Record<ReportKind, ReportKindInfo> = {
  commissions: {
    label: 'Commissions by vendor',
    description: 'What the platform earned from each vendor',
    grain: false,
    currency: true,
  },
  orders: {
    label: 'Orders',
    description: 'Orders by status and average order value',
    grain: true,
    currency: true,
  },
  products: {
    label: 'Top products',
    description: 'Best sellers by gross sales',
    grain: false,
    currency: true,
  },
  payouts: {
    label: 'Payout reconciliation',
    description: 'Payouts against the ledger and Stripe transfers',
    grain: false,
    currency: true,
  },
  users: {
    label: 'New users',
    description: 'Sign-ups and first-time buyers',
    grain: true,
    currency: false,
  },
  subscriptions: {
    label: 'Subscriptions',
    description: 'Recurring revenue and churn of vendor plans',
    grain: true,
    currency: true,
  },
};

/** The reports, in the order the rail lists them. */
export const REPORT_KINDS: readonly ReportKind[] = [
  'commissions',
  'orders',
  'products',
  'payouts',
  'users',
  'subscriptions',
];

/**
 * What a run in the history was: a report's name, 'Ledger entries' for ledger exports,
 * 'Vendor statement' for statements (which the core records as `vendors` runs).
 */
export function runKindLabel(kind: string): string {
  if (kind === 'transactions') return 'Ledger entries';
  if (kind === 'vendors') return 'Vendor statement';
  return (REPORT_KINDS as readonly string[]).includes(kind)
    ? REPORT_KIND_INFO[kind as ReportKind].label
    : humanize(kind);
}
