import { useCallback, useMemo, useRef, useState } from 'react';
import { commands, type Product, type ProductFilter, type ProductStatus } from '../../bindings';
import { Badge } from '../../components/Badge';
import { DataGrid, type PageRequest } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { MasterDetail, Screen, Toolbar } from '../../components/Layout';
import { NameOrId } from '../../components/NameOrId';
import { SearchInput } from '../../components/SearchInput';
import { Select } from '../../components/Select';
import { DetailList, PanelSection, SidePanel } from '../../components/SidePanel';
import { formatDateTime, formatMoney } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { pageRequest } from '../../lib/paging';
import { queryKeys } from '../../lib/queryKeys';
import { useMe } from '../session/session';
import { PRODUCT_SORTS, productColumns, productColumnsWithVendor } from './columns';
import { PRODUCT_STATUS_LABELS, PRODUCT_STATUS_TONES, PRODUCT_STATUSES } from './status';
import { Variants } from './Variants';

function ProductPanel({ product, onClose }: { product: Product; onClose: () => void }) {
  const me = useMe();
  return (
    <SidePanel
      data-testid="product-detail"
      focusKey={product.id}
      title={product.name}
      description={<span className="font-mono">{product.slug}</span>}
      onClose={onClose}
    >
      <DetailList
        items={[
          [
            'Status',
            <Badge key="s" tone={PRODUCT_STATUS_TONES[product.status]} dot>
              {PRODUCT_STATUS_LABELS[product.status]}
            </Badge>,
          ],
          ['Base price', formatMoney(product.base_price_minor, product.currency)],
          ...(me.role === 'vendor'
            ? []
            : [['Vendor', <NameOrId key="v" name={product.vendor_name} id={product.vendor_id} />] as const]),
          ['Category', <NameOrId key="c" name={product.category_name} id={product.category_id} />],
          ['Created', formatDateTime(product.created_at)],
          ['Updated', formatDateTime(product.updated_at)],
        ]}
      />
      <PanelSection title="Variants and stock">
        <Variants productId={product.id} editable={me.role === 'admin' || me.role === 'vendor'} />
      </PanelSection>
    </SidePanel>
  );
}

/** The catalog: every product for admins, their own for vendors (the core scopes it). */
export function ProductsScreen() {
  const me = useMe();
  const [status, setStatus] = useState<ProductStatus | ''>('');
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState<Product | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);

  const filter: ProductFilter = useMemo(
    () => ({
      vendor_id: null,
      category_id: null,
      status: status === '' ? null : status,
      search: search === '' ? null : search,
    }),
    [status, search],
  );

  const fetchPage = useCallback(
    (request: PageRequest) =>
      unwrap(commands.listProducts(filter, pageRequest(request, PRODUCT_SORTS, 'created_at'))),
    [filter],
  );
  const close = useCallback(() => {
    setOpen(null);
    gridRef.current?.focus();
  }, []);

  const filtered = status !== '' || search !== '';

  return (
    <Screen>
      <Toolbar>
        <SearchInput label="Search products" placeholder="Product name" onSearch={setSearch} />
        <Select
          aria-label="Status"
          data-testid="filter-status"
          placeholder="Any status"
          value={status}
          onChange={(e) => setStatus(e.target.value as ProductStatus | '')}
          options={PRODUCT_STATUSES.map((s) => ({ value: s, label: PRODUCT_STATUS_LABELS[s] }))}
          className="w-44"
        />
      </Toolbar>
      <MasterDetail detail={open && <ProductPanel key={open.id} product={open} onClose={close} />}>
        <DataGrid
          aria-label="Products"
          data-testid="grid-products"
          className="min-h-0 flex-1"
          gridRef={gridRef}
          columns={me.role === 'vendor' ? productColumns : productColumnsWithVendor}
          queryKey={queryKeys.productList('catalog', filter)}
          fetchPage={fetchPage}
          rowKey={(p) => p.id}
          defaultSort={{ key: 'created_at', dir: 'desc' }}
          openOnClick
          selectedKey={open?.id ?? null}
          onRowOpen={setOpen}
          emptyState={
            <EmptyState
              title={filtered ? 'No products match these filters' : 'No products yet'}
              description={
                filtered
                  ? 'Try another status or search.'
                  : me.role === 'vendor'
                    ? 'Products you list appear here.'
                    : 'Products appear here as vendors list them.'
              }
            />
          }
        />
      </MasterDetail>
    </Screen>
  );
}
