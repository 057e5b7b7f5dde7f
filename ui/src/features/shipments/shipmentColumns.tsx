import type { Shipment, ShipmentSort } from '../../bindings';
import { gridColumnHelper } from '../../components/DataGrid';
import { NameOrId } from '../../components/NameOrId';
import { StatusBadge } from '../../components/StatusBadge';
import { EMPTY, formatDateTime, formatRelative } from '../../lib/format';
import { SHIPMENT_STATUS_LABELS, SHIPMENT_STATUS_TONES as STATUS_TONES } from './statuses';

export const SHIPMENT_SORTS: readonly ShipmentSort[] = ['created_at'];

export const CARRIERS = [
  { value: 'fedex', label: 'FedEx' },
  { value: 'ups', label: 'UPS' },
  { value: 'local', label: 'Local courier' },
  { value: 'pickup', label: 'Pickup' },
];

/** A carrier code in words. */
export const carrierLabel = (code: string) => CARRIERS.find((c) => c.value === code)?.label ?? code;

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
  col.accessor('ship_to_country', {
    header: 'To',
    meta: { width: 60 },
    cell: (info) => info.getValue() ?? EMPTY,
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
  col.accessor('placed_at', {
    header: 'Ordered',
    meta: { width: 130 },
    cell: (info) => <span title={formatDateTime(info.getValue())}>{formatRelative(info.getValue())}</span>,
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
export const vendorColumns = col.columns([orderColumn, ...otherColumns]);

/**
 * Logistics and admins see every vendor's shipments, with the vendor; `selection` adds a
 * first column of checkboxes (Space toggles the row under the cursor too).
 */
export function staffColumns(selection?: { has: (id: string) => boolean; toggle: (id: string) => void }) {
  if (!selection) return col.columns([orderColumn, vendorColumn, ...otherColumns]);
  const pick = col.display({
    id: 'select',
    header: () => <span className="sr-only">Selected</span>,
    meta: { width: 40 },
    cell: (info) => {
      const s = info.row.original;
      return (
        <input
          type="checkbox"
          aria-label={`Select ${s.order_number}`}
          data-testid={`select-${s.id}`}
          tabIndex={-1}
          checked={selection.has(s.id)}
          onClick={(e) => e.stopPropagation()}
          onChange={() => selection.toggle(s.id)}
          className="size-4 accent-accent"
        />
      );
    },
  });
  return col.columns([pick, orderColumn, vendorColumn, ...otherColumns]);
}
