import type { Payout, PayoutSort } from '../../bindings';
import { gridColumnHelper } from '../../components/DataGrid';
import { ReasonCell } from '../../components/ReasonCell';
import { StatusBadge } from '../../components/StatusBadge';
import { formatMoney } from '../../lib/format';
import { PAYOUT_STATUS_LABELS, PAYOUT_STATUS_TONES } from './status';

/** The orders the core sorts payouts in. */
export const PAYOUT_SORTS: readonly PayoutSort[] = ['created_at', 'amount'];

export const payoutCol = gridColumnHelper<Payout>();

export const payoutVendorColumn = payoutCol.accessor('vendor_name', {
  header: 'Vendor',
  meta: { width: 220 },
});
export const payoutAmountColumn = payoutCol.accessor('amount_minor', {
  header: 'Amount',
  meta: { sortKey: 'amount', firstSortDir: 'desc', width: 130, align: 'end', numeric: true },
  cell: (info) => formatMoney(info.getValue(), info.row.original.currency),
});
export const payoutStatusColumn = payoutCol.accessor('status', {
  header: 'Status',
  meta: { width: 120 },
  cell: (info) => (
    <StatusBadge status={info.getValue()} labels={PAYOUT_STATUS_LABELS} tones={PAYOUT_STATUS_TONES} />
  ),
});
export const payoutReasonColumn = payoutCol.accessor('failure_reason', {
  header: 'Failure reason',
  meta: { width: 240 },
  cell: (info) => <ReasonCell reason={info.getValue()} />,
});
