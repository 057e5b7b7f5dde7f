import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type KeyboardEvent } from 'react';
import { commands, type Shipment, type ShipmentFilter, type ShipmentStatus } from '../../bindings';
import { Button } from '../../components/Button';
import { DataGrid } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { ListScreen } from '../../components/Layout';
import { MultiSelect } from '../../components/MultiSelect';
import { SearchInput } from '../../components/SearchInput';
import { Select } from '../../components/Select';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { useOpenRow, usePagedList } from '../../lib/useListScreen';
import { BinsDialog } from '../packing/BinsDialog';
import { BoxesDialog } from '../packing/BoxesDialog';
import { DayCloseDialog } from './DayCloseDialog';
import { useMe } from '../session/session';
import { LabelBatchDialog } from './LabelBatchDialog';
import { useSelection } from './selection';
import { ShipmentPanel } from './ShipmentPanel';
import { CARRIERS, SHIPMENT_SORTS, staffColumns, vendorColumns } from './shipmentColumns';
import { SHIPMENT_STATUSES, SHIPMENT_STATUS_LABELS } from './statuses';
import { ManifestDialog, SheetButtons } from './WarehouseSheets';

const DAY_MS = 86_400_000;
/** How long a parcel's order has waited, as the "Waiting" filter offers it. */
const AGES = [
  { value: '1', label: 'Over a day' },
  { value: '2', label: 'Over 2 days' },
  { value: '3', label: 'Over 3 days' },
  { value: '7', label: 'Over a week' },
];

/** Staff's extra filters: by vendor (the core's list), by destination (the core's countries). */
function useStaffChoices(enabled: boolean) {
  const vendors = useQuery({
    queryKey: queryKeys.vendors,
    queryFn: () => unwrap(commands.listVendors()),
    enabled,
  });
  const countries = useQuery({
    queryKey: ['shipments', 'destinations'],
    queryFn: () => unwrap(commands.shipmentDestinations()),
    enabled,
  });
  return {
    vendors: (vendors.data ?? []).map((v) => ({ value: v.id, label: v.name })),
    countries: (countries.data ?? []).map((c) => ({ value: c, label: c })),
  };
}

/**
 * Shipments: all for logistics (the fulfilment bench: filter by status, carrier, vendor, how
 * long the order has waited and destination; pick parcels by hand and buy, print and list
 * them together), a vendor's own for vendors.
 */
export function ShipmentsScreen() {
  const me = useMe();
  const staff = me.role !== 'vendor';
  const [statuses, setStatuses] = useState<ShipmentStatus[]>([]);
  const [carrier, setCarrier] = useState('');
  const [vendor, setVendor] = useState('');
  const [age, setAge] = useState<{ days: string; before: string | null }>({ days: '', before: null });
  const [country, setCountry] = useState('');
  const [search, setSearch] = useState('');
  const { open, setOpen, close, gridProps } = useOpenRow<Shipment>();
  const [active, setActive] = useState<Shipment | null>(null);
  const selection = useSelection();
  const choices = useStaffChoices(staff);

  const filter: ShipmentFilter = useMemo(
    () => ({
      statuses,
      carrier: carrier === '' ? null : carrier,
      vendor_id: vendor === '' ? null : vendor,
      order_id: null,
      search: search === '' ? null : search,
      ids: [],
      placed_before: age.before,
      country: country === '' ? null : country,
    }),
    [statuses, carrier, vendor, search, age, country],
  );
  // The warehouse's actions work on the parcels picked by hand, else on what the filters show.
  const target: ShipmentFilter = useMemo(
    () => (selection.ids.length > 0 ? { ...filter, ids: [...selection.ids] } : filter),
    [filter, selection.ids],
  );
  const fetchPage = usePagedList(filter, commands.listShipments, SHIPMENT_SORTS, 'created_at');
  const filtered =
    statuses.length > 0 ||
    carrier !== '' ||
    vendor !== '' ||
    age.before !== null ||
    country !== '' ||
    search !== '';
  const [manifest, setManifest] = useState(false);
  const [batch, setBatch] = useState(false);
  const [boxes, setBoxes] = useState(false);
  const [bins, setBins] = useState(false);
  const [dayClose, setDayClose] = useState(false);
  const warehouse = me.role === 'logistics' || me.role === 'admin';
  const picked = selection.ids.length;
  const columns = useMemo(
    () => (staff ? staffColumns(warehouse ? selection : undefined) : vendorColumns),
    [staff, warehouse, selection],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const onGrid = (event.target as HTMLElement).getAttribute('role') === 'grid';
    if (warehouse && event.key === ' ' && active && onGrid) {
      event.preventDefault();
      selection.toggle(active.id);
    }
  };

  return (
    <ListScreen
      toolbarEnd={
        warehouse ? (
          <>
            {picked > 0 && (
              <span className="flex items-center gap-2 text-sm text-fg-muted" data-testid="selection-count">
                {picked} selected
                <Button size="sm" variant="ghost" data-testid="clear-selection" onClick={selection.clear}>
                  Clear
                </Button>
              </span>
            )}
            {me.role === 'logistics' && (
              <Button
                size="sm"
                variant="primary"
                data-testid="open-label-batch"
                onClick={() => setBatch(true)}
              >
                {picked > 0 ? `Buy & print ${picked}…` : 'Buy & print…'}
              </Button>
            )}
            <SheetButtons
              request={{ kind: 'pick_list_for', filter: target }}
              label="pick list"
              testId="pick-list"
            />
            <Button
              size="sm"
              variant="secondary"
              data-testid="open-manifest"
              onClick={() => setManifest(true)}
            >
              Manifest…
            </Button>
            <Button
              size="sm"
              variant="secondary"
              data-testid="open-day-close"
              onClick={() => setDayClose(true)}
            >
              Close day…
            </Button>
            <Button size="sm" variant="secondary" data-testid="open-boxes" onClick={() => setBoxes(true)}>
              Boxes…
            </Button>
            <Button size="sm" variant="secondary" data-testid="open-bins" onClick={() => setBins(true)}>
              Bins…
            </Button>
            {manifest && <ManifestDialog onClose={() => setManifest(false)} />}
            {dayClose && <DayCloseDialog onClose={() => setDayClose(false)} />}
            {boxes && <BoxesDialog onClose={() => setBoxes(false)} />}
            {bins && <BinsDialog onClose={() => setBins(false)} />}
            {batch && <LabelBatchDialog filter={target} onClose={() => setBatch(false)} />}
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
            className="w-36"
          />
          {staff && (
            <>
              <Select
                aria-label="Vendor"
                data-testid="filter-vendor"
                placeholder="Any vendor"
                value={vendor}
                onChange={(e) => setVendor(e.target.value)}
                options={choices.vendors}
                className="w-44"
              />
              <Select
                aria-label="Waiting"
                data-testid="filter-age"
                placeholder="Any age"
                value={age.days}
                onChange={(e) => {
                  const days = e.target.value;
                  setAge({
                    days,
                    before: days === '' ? null : new Date(Date.now() - Number(days) * DAY_MS).toISOString(),
                  });
                }}
                options={AGES}
                className="w-36"
              />
              <Select
                aria-label="Destination"
                data-testid="filter-country"
                placeholder="Anywhere"
                value={country}
                onChange={(e) => setCountry(e.target.value)}
                options={choices.countries}
                className="w-32"
              />
            </>
          )}
        </>
      }
      detail={open && <ShipmentPanel key={open.id} shipment={open} onClose={close} onChanged={setOpen} />}
    >
      <div className="flex min-h-0 flex-1 flex-col" onKeyDown={onKeyDown}>
        <DataGrid
          aria-label="Shipments"
          data-testid="grid-shipments"
          className="min-h-0 flex-1"
          {...gridProps}
          onActiveRowChange={setActive}
          columns={columns}
          queryKey={queryKeys.shipmentList(filter)}
          fetchPage={fetchPage}
          rowKey={(s) => s.id}
          defaultSort={{ key: 'created_at', dir: 'desc' }}
          emptyState={
            <EmptyState
              title={filtered ? 'No shipments match these filters' : 'No shipments yet'}
              description={
                filtered
                  ? 'Try another status, carrier, vendor, age, destination or search.'
                  : 'Shipments appear as orders are packed.'
              }
            />
          }
        />
      </div>
    </ListScreen>
  );
}
