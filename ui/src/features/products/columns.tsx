import type { Product, ProductSort } from '../../bindings';
import { gridColumnHelper } from '../../components/DataGrid';
import { NameOrId } from '../../components/NameOrId';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime, formatMoney, formatNumber, formatRelative } from '../../lib/format';
import { PRODUCT_STATUS_LABELS, PRODUCT_STATUS_TONES } from './status';

export const PRODUCT_SORTS: readonly ProductSort[] = ['created_at', 'name', 'price', 'relevance'];

const col = gridColumnHelper<Product>();

const name = col.accessor('name', { header: 'Name', meta: { sortKey: 'name', width: 260 } });
const status = col.accessor('status', {
  header: 'Status',
  meta: { width: 140 },
  cell: (info) =>
    info.row.original.hidden ? (
      <span title="Hidden from buyers while its vendor is suspended" className="text-danger-text">
        Hidden
      </span>
    ) : (
      <StatusBadge status={info.getValue()} labels={PRODUCT_STATUS_LABELS} tones={PRODUCT_STATUS_TONES} />
    ),
});
const price = col.accessor('base_price_minor', {
  header: 'Price',
  meta: { sortKey: 'price', firstSortDir: 'desc', width: 110, align: 'end', numeric: true },
  cell: (info) => formatMoney(info.getValue(), info.row.original.currency),
});
const stock = col.accessor('stock_on_hand', {
  header: 'Stock',
  meta: { width: 80, align: 'end', numeric: true },
  cell: (info) => formatNumber(info.getValue()),
});
const variants = col.accessor('variant_count', {
  header: 'Variants',
  meta: { width: 80, align: 'end', numeric: true },
});
const vendor = col.accessor('vendor_name', {
  header: 'Vendor',
  meta: { width: 170 },
  cell: (info) => <NameOrId name={info.getValue()} id={info.row.original.vendor_id} />,
});
const category = col.accessor('category_name', {
  header: 'Category',
  meta: { width: 150 },
  cell: (info) => <NameOrId name={info.getValue()} id={info.row.original.category_id} />,
});
const created = col.accessor('created_at', {
  header: 'Created',
  meta: { sortKey: 'created_at', firstSortDir: 'desc', width: 170 },
  cell: (info) => <span title={formatRelative(info.getValue())}>{formatDateTime(info.getValue())}</span>,
});

export const productColumns = col.columns([name, status, price, variants, stock, created]);
/** Admins see every vendor's products: with the vendor and the category. */
export const productColumnsWithVendor = col.columns([
  name,
  vendor,
  category,
  status,
  price,
  variants,
  stock,
  created,
]);
export const approvalColumns = col.columns([name, vendor, category, price, variants, created]);
