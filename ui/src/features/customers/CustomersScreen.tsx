import { useMemo, useState } from 'react';
import {
  commands,
  type Customer,
  type CustomerFilter,
  type CustomerSort,
  type CustomerStatus,
} from '../../bindings';
import { DataGrid, gridColumnHelper } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { FilterSelect } from '../../components/FilterSelect';
import { Input } from '../../components/Input';
import { ListScreen } from '../../components/Layout';
import { SearchInput } from '../../components/SearchInput';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime, formatNumber, formatRelative } from '../../lib/format';
import { queryKeys } from '../../lib/queryKeys';
import { useOpenRow, usePagedList } from '../../lib/useListScreen';
import { CustomerPanel } from './CustomerPanel';
import { CUSTOMER_STATUSES, STATUS_LABELS, STATUS_TONES } from './labels';

const CUSTOMER_SORTS: readonly CustomerSort[] = ['created_at', 'email', 'name'];

const col = gridColumnHelper<Customer>();
const columns = col.columns([
  col.accessor('display_name', { header: 'Name', meta: { sortKey: 'name', width: 190 } }),
  col.accessor('email', { header: 'Email', meta: { sortKey: 'email', width: 260 } }),
  col.accessor('status', {
    header: 'Status',
    meta: { width: 100 },
    cell: (info) => <StatusBadge status={info.getValue()} labels={STATUS_LABELS} tones={STATUS_TONES} />,
  }),
  col.accessor('order_count', {
    header: 'Orders',
    meta: { width: 90, align: 'end', numeric: true },
    cell: (info) => formatNumber(info.getValue()),
  }),
  col.accessor('last_order_at', {
    header: 'Last order',
    meta: { width: 140 },
    cell: (info) => {
      const at = info.getValue();
      return at ? (
        <span title={formatDateTime(at)}>{formatRelative(at)}</span>
      ) : (
        <span className="text-fg-faint">Never</span>
      );
    },
  }),
  col.accessor('created_at', {
    header: 'Customer since',
    meta: { sortKey: 'created_at', firstSortDir: 'desc', width: 170 },
    cell: (info) => formatDateTime(info.getValue()),
  }),
]);

/**
 * The marketplace's buyers (admins and finance): searched by name or e-mail, narrowed by status
 * and country, each opened in a panel with their lifetime value, addresses, orders and notes.
 */
export function CustomersScreen() {
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<CustomerStatus | ''>('');
  const [country, setCountry] = useState('');
  const { open, close, gridProps } = useOpenRow<Customer>();
  const filter: CustomerFilter = useMemo(
    () => ({
      search: search === '' ? null : search,
      status: status === '' ? null : status,
      country: country.length === 2 ? country : null,
    }),
    [search, status, country],
  );
  const fetchPage = usePagedList(filter, commands.listCustomers, CUSTOMER_SORTS, 'created_at');
  const filtered = search !== '' || status !== '' || country.length === 2;
  return (
    <ListScreen
      filters={
        <>
          <SearchInput label="Search customers" placeholder="Name or e-mail" onSearch={setSearch} />
          <FilterSelect
            label="Status"
            data-testid="filter-status"
            placeholder="Any status"
            value={status}
            onValueChange={setStatus}
            values={CUSTOMER_STATUSES}
            labels={STATUS_LABELS}
            className="w-36"
          />
          <Input
            aria-label="Country"
            data-testid="filter-country"
            placeholder="Country"
            maxLength={2}
            className="w-24 uppercase"
            value={country}
            onChange={(e) => setCountry(e.target.value.toUpperCase().replace(/[^A-Z]/g, ''))}
          />
        </>
      }
      detail={open && <CustomerPanel key={open.id} id={open.id} onClose={close} />}
    >
      <DataGrid
        aria-label="Customers"
        data-testid="grid-customers"
        className="min-h-0 flex-1"
        {...gridProps}
        columns={columns}
        queryKey={queryKeys.customerList(filter)}
        fetchPage={fetchPage}
        rowKey={(c) => c.id}
        defaultSort={{ key: 'created_at', dir: 'desc' }}
        emptyState={
          <EmptyState
            title={filtered ? 'No customers match' : 'No customers yet'}
            description={filtered ? 'Try another search, status or country.' : undefined}
          />
        }
      />
    </ListScreen>
  );
}
