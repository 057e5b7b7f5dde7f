import { useCallback } from 'react';
import { commands, type PayoutBatch } from '../../bindings';
import { DataGrid, gridColumnHelper, type Page } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { WalletIcon } from '../../components/icons';
import { Screen, Toolbar } from '../../components/Layout';
import { ReasonCell } from '../../components/ReasonCell';
import { formatDateTime, formatMoney, formatNumber, formatRelative } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { approversOf, BatchStatusBadge } from './BatchSummary';

const col = gridColumnHelper<PayoutBatch>();
const columns = col.columns([
  col.accessor('status', {
    header: 'Status',
    meta: { width: 120 },
    cell: (info) => <BatchStatusBadge batch={info.row.original} />,
  }),
  col.accessor('currency', { header: 'Currency', meta: { width: 80 } }),
  col.accessor('total_minor', {
    header: 'Total',
    meta: { width: 130, align: 'end', numeric: true },
    cell: (info) => formatMoney(info.getValue(), info.row.original.currency),
  }),
  col.accessor('payout_count', {
    header: 'Payouts',
    meta: { width: 80, align: 'end', numeric: true },
    cell: (info) => formatNumber(info.getValue()),
  }),
  col.accessor('paid_count', {
    header: 'Paid · failed',
    meta: { width: 110, align: 'end', numeric: true },
    cell: (info) => `${formatNumber(info.getValue())} · ${formatNumber(info.row.original.failed_count)}`,
  }),
  col.accessor('created_by_name', { header: 'Prepared by', meta: { width: 150 } }),
  col.accessor('approved_by_name', {
    header: 'Approved by',
    meta: { width: 200 },
    cell: (info) => approversOf(info.row.original),
  }),
  col.accessor('created_at', {
    header: 'Created',
    meta: { width: 150 },
    cell: (info) => <span title={formatDateTime(info.getValue())}>{formatRelative(info.getValue())}</span>,
  }),
  col.accessor('failure_reason', {
    header: 'Failure reason',
    meta: { width: 240 },
    // A batch left unfinished can be run again: a warning, not a failure.
    cell: (info) => <ReasonCell reason={info.getValue()} tone="warning" />,
  }),
]);

/** Recent payout batches, newest first; a click or Enter opens one in the payout run. */
export function BatchesList({ onOpen }: { onOpen: (batch: PayoutBatch) => void }) {
  // The core sends the newest batches in one answer: no paging.
  const fetchPage = useCallback(
    (): Promise<Page<PayoutBatch>> =>
      unwrap(commands.listPayoutBatches()).then((items) => ({ items, next_cursor: null })),
    [],
  );
  return (
    <Screen>
      <Toolbar end="Newest first">
        <p className="text-sm text-fg-subtle">Open a batch to review, approve or execute it.</p>
      </Toolbar>
      <DataGrid
        aria-label="Payout batches"
        data-testid="grid-batches"
        className="min-h-0 flex-1"
        columns={columns}
        queryKey={[...queryKeys.payoutBatches, 'grid']}
        fetchPage={fetchPage}
        pageSize={200}
        rowKey={(b) => b.id}
        openOnClick
        onRowOpen={onOpen}
        emptyState={
          <EmptyState
            icon={<WalletIcon size={20} />}
            title="No payout batches yet"
            description="Prepare one from Run payouts."
          />
        }
      />
    </Screen>
  );
}
