import {
  DISPUTE_FACET_READERS,
  FULFILMENT_FACET_READERS,
  PAYMENT_FACET_READERS,
  REFUND_FACET_READERS,
  type DisputeState,
  type FulfilmentState,
  type OrderFilter,
  type PaymentState,
  type RefundState,
  type Role,
} from '../../bindings';
import { MultiSelect } from '../../components/MultiSelect';

/** The states chosen in each dimension besides the order status (the filter's fields). */
export type OrderFacets = Required<Pick<OrderFilter, 'payment' | 'fulfilment' | 'refund' | 'dispute'>>;

/** No state chosen in any dimension. */
export const NO_FACETS: OrderFacets = { payment: [], fulfilment: [], refund: [], dispute: [] };

const PAYMENT_LABELS: Record<PaymentState, string> = { paid: 'Paid', unpaid: 'Unpaid', failed: 'Failed' };
const FULFILMENT_LABELS: Record<FulfilmentState, string> = {
  unfulfilled: 'Not shipped',
  in_progress: 'On its way',
  delivered: 'Delivered',
  problem: 'Problem',
};
const REFUND_LABELS: Record<RefundState, string> = {
  not_refunded: 'Not refunded',
  partly_refunded: 'Partly refunded',
  fully_refunded: 'Fully refunded',
};
const DISPUTE_LABELS: Record<DisputeState, string> = {
  undisputed: 'No dispute',
  open: 'Open dispute',
  settled: 'Settled dispute',
};

function options<V extends string>(labels: Record<V, string>) {
  return (Object.keys(labels) as V[]).map((value) => ({ value, label: labels[value] }));
}

/** Whether any dimension has a state chosen. */
export function hasFacets(f: OrderFacets): boolean {
  return f.payment.length + f.fulfilment.length + f.refund.length + f.dispute.length > 0;
}

/**
 * Filters by payment, parcels, refunds and disputes: only the dimensions the
 * core lets `role` read are offered.
 */
export function OrderFacetFilters({
  role,
  value,
  onChange,
}: {
  role: Role;
  value: OrderFacets;
  onChange: (next: OrderFacets) => void;
}) {
  const may = (readers: readonly Role[]) => readers.includes(role);
  return (
    <>
      {may(PAYMENT_FACET_READERS) && (
        <MultiSelect
          label="Payment"
          data-testid="filter-payment"
          options={options(PAYMENT_LABELS)}
          value={value.payment}
          onChange={(payment) => onChange({ ...value, payment })}
        />
      )}
      {may(FULFILMENT_FACET_READERS) && (
        <MultiSelect
          label="Parcels"
          data-testid="filter-fulfilment"
          options={options(FULFILMENT_LABELS)}
          value={value.fulfilment}
          onChange={(fulfilment) => onChange({ ...value, fulfilment })}
        />
      )}
      {may(REFUND_FACET_READERS) && (
        <MultiSelect
          label="Refunds"
          data-testid="filter-refund"
          options={options(REFUND_LABELS)}
          value={value.refund}
          onChange={(refund) => onChange({ ...value, refund })}
        />
      )}
      {may(DISPUTE_FACET_READERS) && (
        <MultiSelect
          label="Disputes"
          data-testid="filter-dispute"
          options={options(DISPUTE_LABELS)}
          value={value.dispute}
          onChange={(dispute) => onChange({ ...value, dispute })}
        />
      )}
    </>
  );
}
