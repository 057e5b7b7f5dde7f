import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import {
  commands,
  type Dispute,
  type DisputeFilter,
  type DisputeSort,
  type DisputeStatus,
} from '../../bindings';
import { Badge, type BadgeTone } from '../../components/Badge';
import { DataGrid, gridColumnHelper } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { QueryErrorState } from '../../components/ErrorState';
import { ListScreen } from '../../components/Layout';
import { MultiSelect } from '../../components/MultiSelect';
import { NameOrId } from '../../components/NameOrId';
import { DetailList, PanelSection, SidePanel } from '../../components/SidePanel';
import { Skeleton } from '../../components/Skeleton';
import { StatusBadge } from '../../components/StatusBadge';
import { cn } from '../../lib/cn';
import { formatDateTime, formatNumber, formatRelative } from '../../lib/format';
import { shortId } from '../../lib/ids';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { useOpenRow, usePagedList } from '../../lib/useListScreen';
import { useMe } from '../session/session';

const DISPUTE_SORTS: readonly DisputeSort[] = ['opened_at'];
const DISPUTE_STATUSES: readonly DisputeStatus[] = [
  'open',
  'awaiting_vendor',
  'awaiting_customer',
  'under_review',
  'escalated',
  'resolved',
  'closed',
];
const STATUS_LABELS: Record<DisputeStatus, string> = {
  open: 'Open',
  awaiting_vendor: 'Awaiting vendor',
  awaiting_customer: 'Awaiting customer',
  under_review: 'Under review',
  resolved: 'Resolved',
  closed: 'Closed',
  escalated: 'Escalated',
};
const STATUS_TONES: Record<DisputeStatus, BadgeTone> = {
  open: 'warning',
  awaiting_vendor: 'info',
  awaiting_customer: 'info',
  under_review: 'accent',
  resolved: 'success',
  closed: 'neutral',
  escalated: 'danger',
};

/** `not_received` → 'Not received'. */
export function humanize(code: string): string {
  const text = code.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const col = gridColumnHelper<Dispute>();
const orderColumn = col.accessor('order_number', { header: 'Order', meta: { width: 120, numeric: true } });
const vendorColumn = col.accessor('vendor_name', {
  header: 'Vendor',
  meta: { width: 170 },
  cell: (info) =>
    info.row.original.vendor_id === null ? (
      <span className="text-fg-subtle">Whole order</span>
    ) : (
      <NameOrId name={info.getValue()} id={info.row.original.vendor_id} />
    ),
});
const otherColumns = col.columns([
  col.accessor('status', {
    header: 'Status',
    meta: { width: 150 },
    cell: (info) => <StatusBadge status={info.getValue()} labels={STATUS_LABELS} tones={STATUS_TONES} />,
  }),
  col.accessor('kind', { header: 'Reason', meta: { width: 130 }, cell: (info) => humanize(info.getValue()) }),
  col.accessor('subject', { header: 'Subject', meta: { width: 260 } }),
  col.accessor('message_count', {
    header: 'Messages',
    meta: { width: 90, align: 'end', numeric: true },
    cell: (info) => formatNumber(info.getValue()),
  }),
  col.accessor('opened_at', {
    header: 'Opened',
    meta: { sortKey: 'opened_at', firstSortDir: 'desc', width: 170 },
    cell: (info) => <span title={formatRelative(info.getValue())}>{formatDateTime(info.getValue())}</span>,
  }),
]);
/** A vendor's own disputes. */
const columns = col.columns([orderColumn, ...otherColumns]);
/** Admins see every dispute: with the vendor party. */
const columnsWithVendor = col.columns([orderColumn, vendorColumn, ...otherColumns]);

function Thread({ disputeId }: { disputeId: string }) {
  const me = useMe();
  const query = useQuery({
    queryKey: queryKeys.disputeMessages(disputeId),
    queryFn: () => unwrap(commands.disputeMessages(disputeId)),
  });
  if (query.isPending) {
    return (
      <div className="flex flex-col gap-3" aria-busy="true" aria-label="Loading the thread">
        <Skeleton className="h-12 w-full" />
        <Skeleton className="h-12 w-4/5" />
      </div>
    );
  }
  if (query.isError) {
    return <QueryErrorState query={query} />;
  }
  if (query.data.length === 0) return <EmptyState title="No messages yet" />;
  return (
    <ol className="flex flex-col gap-2" data-testid="dispute-thread">
      {query.data.map((m) => (
        <li
          key={m.id}
          className={cn(
            'rounded-md border px-3 py-2',
            m.is_internal ? 'border-warning/40 bg-warning-soft' : 'border-line bg-canvas',
            m.author_id === me.id && 'ml-6',
          )}
        >
          <div className="mb-1 flex items-center gap-2 text-sm text-fg-subtle">
            <span className="font-medium text-fg-muted">
              {m.author_id === me.id ? 'You' : <NameOrId name={m.author_name} id={m.author_id} />}
            </span>
            {m.is_internal && <Badge tone="warning">Internal note</Badge>}
            <span className="ml-auto" title={formatDateTime(m.created_at)}>
              {formatRelative(m.created_at)}
            </span>
          </div>
          <p className="text-base break-words whitespace-pre-wrap text-fg">{m.body}</p>
        </li>
      ))}
    </ol>
  );
}

function DisputePanel({ dispute, onClose }: { dispute: Dispute; onClose: () => void }) {
  return (
    <SidePanel
      data-testid="dispute-detail"
      focusKey={dispute.id}
      title={dispute.subject}
      description={`Order ${dispute.order_number} · ${humanize(dispute.kind)}`}
      onClose={onClose}
    >
      <DetailList
        items={[
          [
            'Status',
            <StatusBadge key="s" status={dispute.status} labels={STATUS_LABELS} tones={STATUS_TONES} />,
          ],
          ['Opened', formatDateTime(dispute.opened_at)],
          [
            'Vendor',
            dispute.vendor_id ? (
              <NameOrId key="v" name={dispute.vendor_name} id={dispute.vendor_id} />
            ) : (
              'Whole order'
            ),
          ],
          [
            'Assigned to',
            dispute.assigned_to ? (
              <span key="a" className="font-mono">
                {shortId(dispute.assigned_to)}
              </span>
            ) : (
              'No one yet'
            ),
          ],
        ]}
      />
      <PanelSection title={`Thread (${formatNumber(dispute.message_count)})`}>
        <Thread disputeId={dispute.id} />
      </PanelSection>
    </SidePanel>
  );
}

/** Disputes: all for admins, those a vendor is party to for vendors. */
export function DisputesScreen() {
  const me = useMe();
  const [statuses, setStatuses] = useState<DisputeStatus[]>([]);
  const { open, close, gridProps } = useOpenRow<Dispute>();

  const filter: DisputeFilter = useMemo(() => ({ statuses, vendor_id: null, assigned_to: null }), [statuses]);
  const fetchPage = usePagedList(filter, commands.listDisputes, DISPUTE_SORTS, 'opened_at');

  return (
    <ListScreen
      filters={
        <MultiSelect
          label="Status"
          data-testid="filter-status"
          options={DISPUTE_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
          value={statuses}
          onChange={setStatuses}
        />
      }
      detail={open && <DisputePanel key={open.id} dispute={open} onClose={close} />}
    >
      <DataGrid
        aria-label="Disputes"
        data-testid="grid-disputes"
        className="min-h-0 flex-1"
        {...gridProps}
        columns={me.role === 'vendor' ? columns : columnsWithVendor}
        queryKey={queryKeys.disputeList(filter)}
        fetchPage={fetchPage}
        rowKey={(d) => d.id}
        defaultSort={{ key: 'opened_at', dir: 'desc' }}
        emptyState={
          <EmptyState
            title={statuses.length > 0 ? 'No disputes with these statuses' : 'No disputes'}
            description={statuses.length > 0 ? 'Try other statuses.' : 'Buyers have not disputed any order.'}
          />
        }
      />
    </ListScreen>
  );
}
