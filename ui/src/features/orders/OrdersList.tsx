import { useMemo, useState, type ReactNode } from 'react';
import { navigate, useLocation } from '../../app/router';
import { commands, type Order, type OrderFilter, type OrderSort, type OrderStatus } from '../../bindings';
import { DataGrid, gridColumnHelper, type GridSort } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { ListScreen } from '../../components/Layout';
import { MultiSelect } from '../../components/MultiSelect';
import { SearchInput } from '../../components/SearchInput';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime, formatMoney, formatRelative } from '../../lib/format';
import { queryKeys } from '../../lib/queryKeys';
import { useOpenRow, usePagedList } from '../../lib/useListScreen';
import { useMe } from '../session/session';
import { customerLabel } from './customer';
import { hasFacets, NO_FACETS, OrderFacetFilters, type OrderFacets } from './facets';
import { OrderPanel } from './OrderPanel';
import { ORDER_STATUS_LABELS, ORDER_STATUS_TONES } from './status';

const NO_STATUSES: readonly OrderStatus[] = [];
const ORDER_SORTS: readonly OrderSort[] = ['placed_at', 'total', 'number'];

const col = gridColumnHelper<Order>();

const columns = col.columns([
  col.accessor('number', {
    header: 'Order',
    meta: { sortKey: 'number', firstSortDir: 'desc', width: 120, numeric: true },
  }),
  col.accessor('customer_name', {
    header: 'Customer',
    meta: { width: 240 },
    cell: (info) => <span title={customerLabel(info.row.original)}>{customerLabel(info.row.original)}</span>,
  }),
  col.accessor('status', {
    header: 'Status',
    meta: { width: 150 },
    cell: (info) => (
      <StatusBadge status={info.getValue()} labels={ORDER_STATUS_LABELS} tones={ORDER_STATUS_TONES} />
    ),
  }),
  col.accessor('total_minor', {
    header: 'Total',
    meta: { sortKey: 'total', firstSortDir: 'desc', width: 120, align: 'end', numeric: true },
    cell: (info) => formatMoney(info.getValue(), info.row.original.currency),
  }),
  col.accessor('placed_at', {
    header: 'Placed',
    meta: { sortKey: 'placed_at', firstSortDir: 'desc', width: 180 },
    cell: (info) => <span title={formatRelative(info.getValue())}>{formatDateTime(info.getValue())}</span>,
  }),
]);

export type OrdersListProps = {
  /** 'orders' or 'fulfilment': the grid's test id is `grid-<name>`; also part of the query key. */
  name: string;
  /** The grid's accessible name. */
  label: string;
  /** The statuses the filter offers. */
  statusOptions: readonly OrderStatus[];
  /** Asked for when no status is chosen (empty: all). */
  baseStatuses?: readonly OrderStatus[];
  defaultSort: GridSort;
  emptyTitle: string;
  emptyDescription: string;
  /** Right end of the toolbar (links to related screens). */
  toolbarEnd?: ReactNode;
};

/** Orders from the core, with status and text filters, and the order panel beside them. */
export function OrdersList({
  name,
  label,
  statusOptions,
  baseStatuses = NO_STATUSES,
  defaultSort,
  emptyTitle,
  emptyDescription,
  toolbarEnd,
}: OrdersListProps) {
  const [statuses, setStatuses] = useState<OrderStatus[]>([]);
  const [search, setSearch] = useState('');
  const [facets, setFacets] = useState<OrderFacets>(NO_FACETS);
  const me = useMe();
  const { open, close, gridProps } = useOpenRow<Order>();
  // A link ('/orders?open=<id>': a notification, a customer's record) opens its order.
  const linked = useLocation().search.get('open');
  const panelId = open?.id ?? linked;

  const filter: OrderFilter = useMemo(
    () => ({
      statuses: statuses.length > 0 ? statuses : [...baseStatuses],
      customer_id: null,
      vendor_id: null,
      placed_from: null,
      placed_to: null,
      search: search === '' ? null : search,
      ...facets,
    }),
    [statuses, baseStatuses, search, facets],
  );

  const fetchPage = usePagedList(filter, commands.listOrders, ORDER_SORTS, 'placed_at');

  const filtered = statuses.length > 0 || search !== '' || hasFacets(facets);

  return (
    <ListScreen
      toolbarEnd={toolbarEnd}
      filters={
        <>
          <SearchInput
            label={`Search ${label.toLowerCase()}`}
            placeholder="Order number, customer or email"
            onSearch={setSearch}
          />
          <MultiSelect
            label="Status"
            data-testid="filter-status"
            options={statusOptions.map((s) => ({ value: s, label: ORDER_STATUS_LABELS[s] }))}
            value={statuses}
            onChange={setStatuses}
            anyLabel={baseStatuses.length > 0 ? 'Waiting to ship' : 'Any'}
          />
          <OrderFacetFilters role={me.role} value={facets} onChange={setFacets} />
        </>
      }
      detail={
        panelId && (
          <OrderPanel
            key={panelId}
            id={panelId}
            onClose={() => {
              if (linked !== null) navigate(`/${name}`, { replace: true });
              close();
            }}
          />
        )
      }
    >
      <DataGrid
        aria-label={label}
        data-testid={`grid-${name}`}
        className="min-h-0 flex-1"
        {...gridProps}
        columns={columns}
        queryKey={queryKeys.orderList(name, filter)}
        fetchPage={fetchPage}
        rowKey={(o) => o.id}
        defaultSort={defaultSort}
        emptyState={
          <EmptyState
            title={filtered ? 'No orders match these filters' : emptyTitle}
            description={filtered ? 'Try another status or search.' : emptyDescription}
          />
        }
      />
    </ListScreen>
  );
}
