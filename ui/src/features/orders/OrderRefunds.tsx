import type { OrderDetail, RefundRow } from '../../bindings';
import { Badge } from '../../components/Badge';
import { QueryErrorState } from '../../components/ErrorState';
import { Skeleton } from '../../components/Skeleton';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime, formatMoney, formatNumber } from '../../lib/format';
import {
  isRefundStatus,
  REFUND_STATUS_LABELS,
  REFUND_STATUS_TONES,
  refundReasonLabel,
  useOrderRefunds,
} from './refunds';

export function RefundStatusBadge({ status }: { status: string }) {
  return isRefundStatus(status) ? (
    <StatusBadge status={status} labels={REFUND_STATUS_LABELS} tones={REFUND_STATUS_TONES}>
      <span data-testid="refund-status">{REFUND_STATUS_LABELS[status]}</span>
    </StatusBadge>
  ) : (
    <Badge dot>
      <span data-testid="refund-status">{status}</span>
    </Badge>
  );
}

/** One refund: amount, units of which line, status; reason, when, Stripe's id; why it failed. */
export function RefundItem({ row, detail }: { row: RefundRow; detail: OrderDetail }) {
  const item = detail.items.find((i) => i.id === row.order_item_id);
  const units = row.quantity === null ? null : `${formatNumber(row.quantity)} × `;
  return (
    <li
      data-testid="refund-row"
      data-status={row.status}
      className="flex flex-col gap-0.5 border-b border-line py-2 last:border-b-0"
    >
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <span className="font-semibold tabular-nums">{formatMoney(row.amount_minor, row.currency)}</span>
          <span className="text-fg-muted">
            {' · '}
            {units}
            {item ? item.product_name : 'order'}
            {item && <span className="font-mono text-sm text-fg-subtle"> {item.sku}</span>}
          </span>
        </div>
        <RefundStatusBadge status={row.status} />
      </div>
      <div className="text-sm text-fg-subtle">
        {refundReasonLabel(row.reason)} · {formatDateTime(row.created_at)}
        {row.provider_refund_id && (
          <>
            {' · '}
            <span className="font-mono" title="Stripe refund id">
              {row.provider_refund_id}
            </span>
          </>
        )}
      </div>
      {row.failure_reason && (
        <p className="text-sm break-words text-danger-text" data-testid="refund-failure">
          {row.failure_reason}
        </p>
      )}
    </li>
  );
}

/** The refunds of an order, oldest first, in its side panel (finance). */
export function OrderRefunds({ detail }: { detail: OrderDetail }) {
  const query = useOrderRefunds(detail.order.id);
  if (query.isPending) {
    return (
      <div className="flex flex-col gap-2" aria-busy="true" aria-label="Loading the refunds">
        <Skeleton className="w-full" />
        <Skeleton className="w-2/3" />
      </div>
    );
  }
  if (query.isError) {
    return <QueryErrorState query={query} title="Could not load the refunds" className="py-4" />;
  }
  if (query.data.length === 0) {
    return (
      <p className="text-base text-fg-subtle" data-testid="refunds-empty">
        No refunds on this order.
      </p>
    );
  }
  return (
    <ul data-testid="order-refunds" className="text-base">
      {query.data.map((row) => (
        <RefundItem key={row.id} row={row} detail={detail} />
      ))}
    </ul>
  );
}
