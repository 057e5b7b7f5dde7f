import { useMemo, useState } from 'react';
import { navigate, useLocation } from '../../app/router';
import {
  commands,
  type Dispute,
  type DisputeFilter,
  type DisputeSort,
  type DisputeStatus,
} from '../../bindings';
import { Button } from '../../components/Button';
import { Checkbox } from '../../components/Checkbox';
import { DataGrid, gridColumnHelper } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { ListScreen } from '../../components/Layout';
import { MultiSelect } from '../../components/MultiSelect';
import { NameOrId } from '../../components/NameOrId';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime, formatMoney, formatNumber, formatRelative } from '../../lib/format';
import { queryKeys } from '../../lib/queryKeys';
import { useOpenRow, usePagedList } from '../../lib/useListScreen';
import { useMe } from '../session/session';
import { DisputePanel, DueCell } from './DisputePanel';
import { FiguresDialog } from './FiguresDialog';
import { DISPUTE_STATUSES, humanize, STATUS_LABELS, STATUS_TONES } from './labels';
import { OpenDisputeDialog } from './OpenDisputeDialog';

const DISPUTE_SORTS: readonly DisputeSort[] = ['opened_at', 'stage_due_at'];

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
  col.accessor('stage_due_at', {
    header: 'Stage ends',
    meta: { sortKey: 'stage_due_at', firstSortDir: 'asc', width: 150 },
    cell: (info) => <DueCell dispute={info.row.original} />,
  }),
  col.accessor('kind', { header: 'Reason', meta: { width: 130 }, cell: (info) => humanize(info.getValue()) }),
  col.accessor('subject', { header: 'Subject', meta: { width: 240 } }),
  col.accessor('amount_minor', {
    header: 'In question',
    meta: { width: 110, align: 'end', numeric: true },
    cell: (info) => {
      const { amount_minor: a, currency: c } = info.row.original;
      return a !== null && c !== null ? formatMoney(a, c) : '—';
    },
  }),
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
/** Staff see every dispute: with the vendor party. */
const columnsWithVendor = col.columns([orderColumn, vendorColumn, ...otherColumns]);

/**
 * Disputes: all for admins (with the clock's red for those past their time), refunds due for
 * finance, a vendor's own for vendors — each opened in a panel with its thread and the steps
 * the core allows this person now.
 */
export function DisputesScreen() {
  const me = useMe();
  const [statuses, setStatuses] = useState<DisputeStatus[]>([]);
  const [overdue, setOverdue] = useState(false);
  const [refundDue, setRefundDue] = useState(me.role === 'finance');
  const [opening, setOpening] = useState(false);
  const [figures, setFigures] = useState(false);
  const { open, setOpen, close, gridProps } = useOpenRow<Dispute>();
  const [openedId, setOpenedId] = useState<string | null>(null);
  // A notification's link opens its dispute ('/disputes?open=<id>').
  const linked = useLocation().search.get('open');

  const filter: DisputeFilter = useMemo(
    () => ({ statuses, vendor_id: null, assigned_to: null, overdue, refund_due: refundDue }),
    [statuses, overdue, refundDue],
  );
  const fetchPage = usePagedList(filter, commands.listDisputes, DISPUTE_SORTS, 'opened_at');
  const panelId = open?.id ?? openedId ?? linked;
  const filtered = statuses.length > 0 || overdue || refundDue;

  return (
    <ListScreen
      filters={
        <>
          <MultiSelect
            label="Status"
            data-testid="filter-status"
            options={DISPUTE_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
            value={statuses}
            onChange={setStatuses}
          />
          {me.role !== 'finance' && (
            <Checkbox checked={overdue} onChange={setOverdue} data-testid="filter-overdue">
              Overdue
            </Checkbox>
          )}
          {me.role !== 'vendor' && (
            <Checkbox checked={refundDue} onChange={setRefundDue} data-testid="filter-refund-due">
              Refund due
            </Checkbox>
          )}
        </>
      }
      toolbarEnd={
        <>
          {me.role === 'admin' && <Button onClick={() => setFigures(true)}>Figures</Button>}
          {me.role !== 'finance' && (
            <Button variant="primary" onClick={() => setOpening(true)} data-testid="open-dispute">
              New dispute
            </Button>
          )}
          {opening && (
            <OpenDisputeDialog
              onClose={() => setOpening(false)}
              onOpened={(id) => {
                setOpen(null);
                setOpenedId(id);
              }}
            />
          )}
          {figures && <FiguresDialog onClose={() => setFigures(false)} />}
        </>
      }
      detail={
        panelId && (
          <DisputePanel
            key={panelId}
            id={panelId}
            onClose={() => {
              setOpenedId(null);
              if (linked !== null) navigate('/disputes', { replace: true });
              close();
            }}
          />
        )
      }
    >
      <DataGrid
        aria-label="Disputes"
        data-testid="grid-disputes"
        className="min-h-0 flex-1"
        {...gridProps}
        onRowOpen={(row: Dispute) => {
          setOpenedId(null);
          gridProps.onRowOpen(row);
        }}
        columns={me.role === 'vendor' ? columns : columnsWithVendor}
        queryKey={queryKeys.disputeList(filter)}
        fetchPage={fetchPage}
        rowKey={(d) => d.id}
        defaultSort={{ key: 'opened_at', dir: 'desc' }}
        emptyState={
          <EmptyState
            title={filtered ? 'No disputes match' : 'No disputes'}
            description={filtered ? 'Try other filters.' : 'Buyers have not disputed any order.'}
          />
        }
      />
    </ListScreen>
  );
}
