import { useDeferredValue, useState } from 'react';
import { Badge, type BadgeTone } from '../components/Badge';
import { DataGrid, gridColumnHelper } from '../components/DataGrid';
import { Dialog } from '../components/Dialog';
import { Input } from '../components/Input';
import { Select } from '../components/Select';
import { formatDateTime, formatMoney, formatRelative } from '../lib/format';
import { fetchDemoOrders, ORDER_STATUSES, type DemoOrder, type OrderStatus } from './fakeOrders';

const statusTone: Record<OrderStatus, BadgeTone> = {
  pending: 'warning',
  paid: 'info',
  shipped: 'accent',
  delivered: 'success',
  cancelled: 'neutral',
  disputed: 'danger',
};

const col = gridColumnHelper<DemoOrder>();

const columns = col.columns([
  col.accessor('number', {
    header: 'Order',
    meta: { sortKey: 'number', firstSortDir: 'desc', width: 100, numeric: true },
    cell: (info) => `#${info.getValue()}`,
  }),
  col.accessor('created_at', {
    header: 'Placed',
    meta: { sortKey: 'created_at', firstSortDir: 'desc', width: 170 },
    cell: (info) => <span title={formatRelative(info.getValue())}>{formatDateTime(info.getValue())}</span>,
  }),
  col.accessor('vendor', { header: 'Vendor', meta: { sortKey: 'vendor', width: 180 } }),
  col.accessor('customer', { header: 'Customer', meta: { width: 150 } }),
  col.accessor('status', {
    header: 'Status',
    meta: { sortKey: 'status', width: 110 },
    cell: (info) => (
      <Badge tone={statusTone[info.getValue()]} dot>
        {info.getValue()}
      </Badge>
    ),
  }),
  col.accessor('items', { header: 'Items', meta: { width: 70, align: 'end', numeric: true } }),
  col.accessor('total_minor', {
    header: 'Total',
    meta: { sortKey: 'total', firstSortDir: 'desc', width: 120, align: 'end', numeric: true },
    cell: (info) => formatMoney(info.getValue(), info.row.original.currency),
  }),
]);

export function OrdersDemo() {
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('');
  const [fail, setFail] = useState(false);
  const [open, setOpen] = useState<DemoOrder | null>(null);
  const filter = { search: useDeferredValue(search), status, fail };

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <Input
          type="search"
          placeholder="Search vendor, customer or number"
          aria-label="Search orders"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          className="w-72"
        />
        <Select
          aria-label="Status"
          placeholder="Any status"
          value={status}
          onChange={(e) => setStatus(e.target.value)}
          options={ORDER_STATUSES.map((s) => ({ value: s, label: s[0]?.toUpperCase() + s.slice(1) }))}
          className="w-40"
        />
        <label className="ml-auto flex items-center gap-2 text-sm text-fg-muted">
          <input type="checkbox" checked={fail} onChange={(e) => setFail(e.target.checked)} />
          Simulate a core error
        </label>
      </div>
      <DataGrid
        aria-label="Orders"
        data-testid="orders-grid"
        className="min-h-0 flex-1"
        columns={columns}
        queryKey={['demo-orders', filter]}
        fetchPage={(request, signal) => fetchDemoOrders(request, filter, signal)}
        rowKey={(o) => o.id}
        defaultSort={{ key: 'created_at', dir: 'desc' }}
        onRowOpen={setOpen}
      />
      <Dialog
        open={open !== null}
        onOpenChange={(next) => !next && setOpen(null)}
        title={open ? `Order #${open.number}` : ''}
        description={open ? `${open.vendor} · placed ${formatRelative(open.created_at)}` : undefined}
      >
        {open && (
          <dl className="grid grid-cols-[120px_1fr] gap-y-2 text-base">
            <dt className="text-fg-subtle">Customer</dt>
            <dd>{open.customer}</dd>
            <dt className="text-fg-subtle">Status</dt>
            <dd>
              <Badge tone={statusTone[open.status]} dot>
                {open.status}
              </Badge>
            </dd>
            <dt className="text-fg-subtle">Items</dt>
            <dd className="tabular-nums">{open.items}</dd>
            <dt className="text-fg-subtle">Total</dt>
            <dd className="tabular-nums">{formatMoney(open.total_minor, open.currency)}</dd>
            <dt className="text-fg-subtle">Placed</dt>
            <dd>{formatDateTime(open.created_at)}</dd>
          </dl>
        )}
      </Dialog>
    </div>
  );
}
