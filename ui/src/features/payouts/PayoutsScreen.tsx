import { useMemo, useState } from 'react';
import { commands, type Payout, type PayoutFilter, type PayoutSort, type PayoutStatus } from '../../bindings';
import type { BadgeTone } from '../../components/Badge';
import { DataGrid, gridColumnHelper } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { Screen, Toolbar } from '../../components/Layout';
import { FilterSelect } from '../../components/FilterSelect';
import { StatusBadge } from '../../components/StatusBadge';
import { EMPTY, formatDateTime, formatMoney } from '../../lib/format';
import { queryKeys } from '../../lib/queryKeys';
import { usePagedList } from '../../lib/useListScreen';
import { useMe } from '../session/session';

const PAYOUT_SORTS: readonly PayoutSort[] = ['created_at', 'amount'];
const PAYOUT_STATUSES: readonly PayoutStatus[] = [
  'proposed',
  'approved',
  'processing',
  'paid',
  'failed',
  'cancelled',
  'reversed',
];
const STATUS_LABELS: Record<PayoutStatus, string> = {
  proposed: 'Proposed',
  approved: 'Approved',
  processing: 'Processing',
  paid: 'Paid',
  failed: 'Failed',
  cancelled: 'Cancelled',
  reversed: 'Reversed',
};
const STATUS_TONES: Record<PayoutStatus, BadgeTone> = {
  proposed: 'neutral',
  approved: 'info',
  processing: 'accent',
  paid: 'success',
  failed: 'danger',
  cancelled: 'neutral',
  reversed: 'warning',
};
export const CURRENCIES = ['USD', 'EUR'] as const;

const col = gridColumnHelper<Payout>();
const vendor = col.accessor('vendor_name', { header: 'Vendor', meta: { width: 200 } });
const rest = [
  col.accessor('amount_minor', {
    header: 'Amount',
    meta: { sortKey: 'amount', firstSortDir: 'desc', width: 130, align: 'end', numeric: true },
    cell: (info) => formatMoney(info.getValue(), info.row.original.currency),
  }),
  col.accessor('status', {
    header: 'Status',
    meta: { width: 120 },
    cell: (info) => <StatusBadge status={info.getValue()} labels={STATUS_LABELS} tones={STATUS_TONES} />,
  }),
  col.accessor('failure_reason', {
    header: 'Failure reason',
    meta: { width: 220 },
    cell: (info) => {
      const reason = info.getValue();
      return reason ? (
        <span title={reason} className="text-danger-text">
          {reason}
        </span>
      ) : (
        <span className="text-fg-faint">{EMPTY}</span>
      );
    },
  }),
  col.accessor('created_at', {
    header: 'Created',
    meta: { sortKey: 'created_at', firstSortDir: 'desc', width: 170 },
    cell: (info) => formatDateTime(info.getValue()),
  }),
  col.accessor('paid_at', {
    header: 'Paid',
    meta: { width: 170 },
    cell: (info) => formatDateTime(info.getValue()),
  }),
];
const allColumns = col.columns([vendor, ...rest]);
const ownColumns = col.columns(rest);

/** Payouts with status and currency filters: every vendor's, or (for a vendor) their own. */
export function PayoutsList({ className }: { className?: string }) {
  const me = useMe();
  const [status, setStatus] = useState<PayoutStatus | ''>('');
  const [currency, setCurrency] = useState<(typeof CURRENCIES)[number] | ''>('');

  const filter: PayoutFilter = useMemo(
    () => ({
      vendor_id: null,
      status: status === '' ? null : status,
      currency: currency === '' ? null : currency,
    }),
    [status, currency],
  );
  const fetchPage = usePagedList(filter, commands.listPayouts, PAYOUT_SORTS, 'created_at');
  const filtered = status !== '' || currency !== '';

  return (
    <Screen className={className}>
      <Toolbar>
        <FilterSelect
          label="Status"
          data-testid="filter-status"
          placeholder="Any status"
          value={status}
          onValueChange={setStatus}
          values={PAYOUT_STATUSES}
          labels={STATUS_LABELS}
          className="w-40"
        />
        <FilterSelect
          label="Currency"
          data-testid="filter-currency"
          placeholder="Any currency"
          value={currency}
          onValueChange={setCurrency}
          values={CURRENCIES}
          className="w-36"
        />
      </Toolbar>
      <DataGrid
        aria-label="Payouts"
        data-testid="grid-payouts"
        className="min-h-0 flex-1"
        columns={me.role === 'vendor' ? ownColumns : allColumns}
        queryKey={queryKeys.payoutList(me.role === 'vendor' ? 'own' : 'all', filter)}
        fetchPage={fetchPage}
        rowKey={(p) => p.id}
        defaultSort={{ key: 'created_at', dir: 'desc' }}
        emptyState={
          <EmptyState
            title={filtered ? 'No payouts match these filters' : 'No payouts yet'}
            description={filtered ? 'Try another status or currency.' : undefined}
          />
        }
      />
    </Screen>
  );
}

export function PayoutsScreen() {
  return <PayoutsList />;
}
