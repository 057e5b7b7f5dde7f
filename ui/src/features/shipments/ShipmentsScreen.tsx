import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import {
  commands,
  type Shipment,
  type ShipmentFilter,
  type ShipmentSort,
  type ShipmentStatus,
} from '../../bindings';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataGrid, gridColumnHelper } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { ListScreen } from '../../components/Layout';
import { MultiSelect } from '../../components/MultiSelect';
import { NameOrId } from '../../components/NameOrId';
import { SearchInput } from '../../components/SearchInput';
import { Select } from '../../components/Select';
import { DetailList, SidePanel } from '../../components/SidePanel';
import { StatusBadge } from '../../components/StatusBadge';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { EMPTY, formatDateTime } from '../../lib/format';
import { isErrorKind, unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { useOpenRow, usePagedList } from '../../lib/useListScreen';
import { useMe } from '../session/session';
import { LabelActions } from './LabelActions';
import { LabelBatchDialog } from './LabelBatchDialog';
import { CarrierLabel } from './CarrierLabel';
import { PrintLabel } from './PrintLabel';
import { RateShopping } from './RateShopping';
import {
  SHIPMENT_ACTION_LABELS as ACTION_LABELS,
  SHIPMENT_STATUSES,
  SHIPMENT_STATUS_LABELS,
  SHIPMENT_STATUS_TONES as STATUS_TONES,
  manualMoves,
} from './statuses';
import { TrackingTimeline } from './TrackingTimeline';
import { ManifestDialog, PackingSlip, SheetButtons } from './WarehouseSheets';

const SHIPMENT_SORTS: readonly ShipmentSort[] = ['created_at'];
const CARRIERS = [
  { value: 'fedex', label: 'FedEx' },
  { value: 'ups', label: 'UPS' },
  { value: 'local', label: 'Local courier' },
  { value: 'pickup', label: 'Pickup' },
];
const carrierLabel = (code: string) => CARRIERS.find((c) => c.value === code)?.label ?? code;

const col = gridColumnHelper<Shipment>();
const orderColumn = col.accessor('order_number', { header: 'Order', meta: { width: 120, numeric: true } });
const vendorColumn = col.accessor('vendor_name', {
  header: 'Vendor',
  meta: { width: 170 },
  cell: (info) => <NameOrId name={info.getValue()} id={info.row.original.vendor_id} />,
});
const otherColumns = col.columns([
  col.accessor('carrier', {
    header: 'Carrier',
    meta: { width: 110 },
    cell: (info) => carrierLabel(info.getValue()),
  }),
  col.accessor('tracking_number', {
    header: 'Tracking',
    meta: { width: 190 },
    cell: (info) => <span className="font-mono">{info.getValue() ?? EMPTY}</span>,
  }),
  col.accessor('status', {
    header: 'Status',
    meta: { width: 140 },
    cell: (info) => (
      <StatusBadge status={info.getValue()} labels={SHIPMENT_STATUS_LABELS} tones={STATUS_TONES} />
    ),
  }),
  col.accessor('shipped_at', {
    header: 'Shipped',
    meta: { width: 160 },
    cell: (info) => formatDateTime(info.getValue()),
  }),
  col.accessor('delivered_at', {
    header: 'Delivered',
    meta: { width: 160 },
    cell: (info) => formatDateTime(info.getValue()),
  }),
  col.accessor('created_at', {
    header: 'Created',
    meta: { sortKey: 'created_at', firstSortDir: 'desc', width: 160 },
    cell: (info) => formatDateTime(info.getValue()),
  }),
]);
/** A vendor's own shipments. */
const columns = col.columns([orderColumn, ...otherColumns]);
/** Logistics and admins see every vendor's shipments: with the vendor. */
const columnsWithVendor = col.columns([orderColumn, vendorColumn, ...otherColumns]);

function ShipmentPanel({
  shipment,
  onClose,
  onChanged,
}: {
  shipment: Shipment;
  onClose: () => void;
  onChanged: (s: Shipment) => void;
}) {
  const me = useMe();
  const client = useQueryClient();
  const canMove = me.role === 'logistics' || me.role === 'admin';
  const [target, setTarget] = useState<ShipmentStatus | null>(null);

  const move = useMutation({
    mutationFn: (status: ShipmentStatus) =>
      unwrap(commands.setShipmentStatus(shipment.id, shipment.version, status)),
    onSettled: () => client.invalidateQueries({ queryKey: ['shipments', 'list'] }),
  });

  const confirm = async () => {
    if (!target) return;
    try {
      const version = await move.mutateAsync(target);
      const now = new Date().toISOString();
      onChanged({
        ...shipment,
        version,
        status: target,
        shipped_at: target === 'in_transit' ? (shipment.shipped_at ?? now) : shipment.shipped_at,
        delivered_at: target === 'delivered' ? now : shipment.delivered_at,
      });
      toast.success(`Shipment for ${shipment.order_number}: ${SHIPMENT_STATUS_LABELS[target].toLowerCase()}`);
    } catch (e) {
      toast.error(errorMessage(e), {
        description: isErrorKind(e, 'conflict')
          ? 'The list has been reloaded: open the shipment again.'
          : undefined,
      });
      if (isErrorKind(e, 'conflict')) onClose();
    }
  };

  const next = manualMoves(shipment.status);

  return (
    <SidePanel
      data-testid="shipment-detail"
      focusKey={shipment.id}
      title={`Shipment for ${shipment.order_number}`}
      description={carrierLabel(shipment.carrier)}
      onClose={onClose}
      footer={
        canMove && next.length > 0 ? (
          <>
            {next.map((s) => (
              <Button
                key={s}
                size="sm"
                variant={s === 'cancelled' ? 'danger' : 'secondary'}
                data-testid={`shipment-action-${s}`}
                disabled={move.isPending}
                onClick={() => setTarget(s)}
              >
                {ACTION_LABELS[s]}
              </Button>
            ))}
          </>
        ) : undefined
      }
    >
      <DetailList
        items={[
          [
            'Tracking number',
            <span key="t" data-testid="tracking-number" className="font-mono select-all">
              {shipment.tracking_number ?? 'No label yet'}
            </span>,
          ],
          [
            'Status',
            <StatusBadge
              key="s"
              status={shipment.status}
              labels={SHIPMENT_STATUS_LABELS}
              tones={STATUS_TONES}
            >
              <span data-testid="shipment-status">{SHIPMENT_STATUS_LABELS[shipment.status]}</span>
            </StatusBadge>,
          ],
          ['Carrier', carrierLabel(shipment.carrier)],
          ['Order', shipment.order_number],
          ...(me.role === 'vendor'
            ? []
            : [
                ['Vendor', <NameOrId key="v" name={shipment.vendor_name} id={shipment.vendor_id} />] as const,
              ]),
          ['Created', formatDateTime(shipment.created_at)],
          ['Shipped', formatDateTime(shipment.shipped_at)],
          ['Delivered', formatDateTime(shipment.delivered_at)],
        ]}
      />
      {me.role === 'logistics' && shipment.status === 'pending' && <RateShopping shipment={shipment} />}
      {me.role === 'logistics' && <CarrierLabel shipment={shipment} />}
      {canMove && <PrintLabel shipmentId={shipment.id} />}
      {canMove && <LabelActions shipmentId={shipment.id} />}
      {canMove && <PackingSlip shipmentId={shipment.id} />}
      <TrackingTimeline shipmentId={shipment.id} />
      <ConfirmDialog
        open={target !== null}
        onOpenChange={(open) => !open && setTarget(null)}
        title={target ? `${ACTION_LABELS[target]}?` : ''}
        description={
          target
            ? `The shipment for ${shipment.order_number} goes from ${SHIPMENT_STATUS_LABELS[shipment.status]} to ${SHIPMENT_STATUS_LABELS[target]}.`
            : undefined
        }
        confirmLabel={target ? ACTION_LABELS[target] : 'Confirm'}
        tone={target === 'cancelled' ? 'danger' : 'primary'}
        onConfirm={confirm}
      />
    </SidePanel>
  );
}

/** Shipments: all for logistics, a vendor's own for vendors. */
export function ShipmentsScreen() {
  const me = useMe();
  const [statuses, setStatuses] = useState<ShipmentStatus[]>([]);
  const [carrier, setCarrier] = useState('');
  const [search, setSearch] = useState('');
  const { open, setOpen, close, gridProps } = useOpenRow<Shipment>();

  const filter: ShipmentFilter = useMemo(
    () => ({
      statuses,
      carrier: carrier === '' ? null : carrier,
      vendor_id: null,
      order_id: null,
      search: search === '' ? null : search,
    }),
    [statuses, carrier, search],
  );
  const fetchPage = usePagedList(filter, commands.listShipments, SHIPMENT_SORTS, 'created_at');
  const filtered = statuses.length > 0 || carrier !== '' || search !== '';
  const [manifest, setManifest] = useState(false);
  const [batch, setBatch] = useState(false);
  const warehouse = me.role === 'logistics' || me.role === 'admin';

  return (
    <ListScreen
      toolbarEnd={
        warehouse ? (
          <>
            {me.role === 'logistics' && (
              <Button
                size="sm"
                variant="primary"
                data-testid="open-label-batch"
                onClick={() => setBatch(true)}
              >
                Buy &amp; print…
              </Button>
            )}
            <SheetButtons request={{ kind: 'pick_list_for', filter }} label="pick list" testId="pick-list" />
            <Button
              size="sm"
              variant="secondary"
              data-testid="open-manifest"
              onClick={() => setManifest(true)}
            >
              Manifest…
            </Button>
            {manifest && <ManifestDialog onClose={() => setManifest(false)} />}
            {batch && <LabelBatchDialog filter={filter} onClose={() => setBatch(false)} />}
          </>
        ) : undefined
      }
      filters={
        <>
          <SearchInput label="Search shipments" placeholder="Tracking or order number" onSearch={setSearch} />
          <MultiSelect
            label="Status"
            data-testid="filter-status"
            options={SHIPMENT_STATUSES.map((s) => ({ value: s, label: SHIPMENT_STATUS_LABELS[s] }))}
            value={statuses}
            onChange={setStatuses}
          />
          <Select
            aria-label="Carrier"
            data-testid="filter-carrier"
            placeholder="Any carrier"
            value={carrier}
            onChange={(e) => setCarrier(e.target.value)}
            options={CARRIERS}
            className="w-40"
          />
        </>
      }
      detail={open && <ShipmentPanel key={open.id} shipment={open} onClose={close} onChanged={setOpen} />}
    >
      <DataGrid
        aria-label="Shipments"
        data-testid="grid-shipments"
        className="min-h-0 flex-1"
        {...gridProps}
        columns={me.role === 'vendor' ? columns : columnsWithVendor}
        queryKey={queryKeys.shipmentList(filter)}
        fetchPage={fetchPage}
        rowKey={(s) => s.id}
        defaultSort={{ key: 'created_at', dir: 'desc' }}
        emptyState={
          <EmptyState
            title={filtered ? 'No shipments match these filters' : 'No shipments yet'}
            description={
              filtered ? 'Try another status, carrier or search.' : 'Shipments appear as orders are packed.'
            }
          />
        }
      />
    </ListScreen>
  );
}
