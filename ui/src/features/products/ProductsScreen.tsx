import { useMemo, useState } from 'react';
import { commands, type Product, type ProductFilter, type ProductStatus } from '../../bindings';
import { Button } from '../../components/Button';
import { Checkbox } from '../../components/Checkbox';
import { PlusIcon } from '../../components/icons';
import { DataGrid } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { FilterSelect } from '../../components/FilterSelect';
import { ListScreen } from '../../components/Layout';
import { NameOrId } from '../../components/NameOrId';
import { SearchInput } from '../../components/SearchInput';
import { DetailList, PanelSection, SidePanel } from '../../components/SidePanel';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime, formatMoney } from '../../lib/format';
import { queryKeys } from '../../lib/queryKeys';
import { useOpenRow, usePagedList } from '../../lib/useListScreen';
import { useMe } from '../session/session';
import { CatalogFiles } from './CatalogFiles';
import { CategoriesDialog } from './CategoriesDialog';
import { PRODUCT_SORTS, productColumns, productColumnsWithVendor } from './columns';
import { ProductActions } from './ProductActions';
import { ProductEditor, type EditorTarget } from './ProductEditor';
import { PRODUCT_STATUS_LABELS, PRODUCT_STATUS_TONES, PRODUCT_STATUSES } from './status';
import { Variants } from './Variants';

function ProductPanel({
  product,
  onClose,
  onEdit,
}: {
  product: Product;
  onClose: () => void;
  onEdit: () => void;
}) {
  const me = useMe();
  const editor = me.role === 'admin' || me.role === 'vendor';
  return (
    <SidePanel
      data-testid="product-detail"
      focusKey={product.id}
      title={product.name}
      description={<span className="font-mono">{product.slug}</span>}
      onClose={onClose}
      footer={editor ? <ProductActions product={product} onEdit={onEdit} onMoved={onClose} /> : undefined}
    >
      <DetailList
        items={[
          [
            'Status',
            <span key="s" className="flex items-center gap-2">
              <StatusBadge
                status={product.status}
                labels={PRODUCT_STATUS_LABELS}
                tones={PRODUCT_STATUS_TONES}
              />
              {product.hidden && (
                <span className="text-sm text-danger-text" data-testid="product-hidden">
                  Hidden: vendor suspended
                </span>
              )}
            </span>,
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
        <Variants productId={product.id} editable={me.role !== 'finance'} />
      </PanelSection>
    </SidePanel>
  );
}

/** The catalog: every product for admins, their own for vendors (the core scopes it). */
export function ProductsScreen() {
  const me = useMe();
  const [status, setStatus] = useState<ProductStatus | ''>('');
  const [search, setSearch] = useState('');
  const [lowStock, setLowStock] = useState(false);
  const { open, close, gridProps } = useOpenRow<Product>();
  const [editing, setEditing] = useState<EditorTarget | null>(null);
  const canCreate = me.role === 'vendor';
  const [categories, setCategories] = useState(false);

  const filter: ProductFilter = useMemo(
    () => ({
      vendor_id: null,
      category_id: null,
      status: status === '' ? null : status,
      search: search === '' ? null : search,
      low_stock: lowStock,
    }),
    [status, search, lowStock],
  );

  const fetchPage = usePagedList(filter, commands.listProducts, PRODUCT_SORTS, 'created_at');

  const filtered = status !== '' || search !== '' || lowStock;

  return (
    <ListScreen
      filters={
        <>
          <SearchInput label="Search products" placeholder="Name, SKU or vendor" onSearch={setSearch} />
          <FilterSelect
            label="Status"
            data-testid="filter-status"
            placeholder="Any status"
            value={status}
            onValueChange={setStatus}
            values={PRODUCT_STATUSES}
            labels={PRODUCT_STATUS_LABELS}
            className="w-44"
          />
          <Checkbox checked={lowStock} onChange={setLowStock} data-testid="filter-low-stock">
            Low stock only
          </Checkbox>
        </>
      }
      toolbarEnd={
        <>
          <CatalogFiles filter={filter} />
          {me.role === 'admin' && (
            <Button onClick={() => setCategories(true)} data-testid="open-categories">
              Categories…
            </Button>
          )}
          {canCreate && (
            <Button
              variant="primary"
              icon={<PlusIcon />}
              data-testid="new-product"
              onClick={() => setEditing({ kind: 'new' })}
            >
              New product
            </Button>
          )}
        </>
      }
      detail={
        open && (
          <ProductPanel
            key={open.id}
            product={open}
            onClose={close}
            onEdit={() => setEditing({ kind: 'edit', id: open.id })}
          />
        )
      }
    >
      {categories && <CategoriesDialog onClose={() => setCategories(false)} />}
      {editing && (
        <ProductEditor
          target={editing}
          onClose={(saved) => {
            setEditing(null);
            if (saved) close();
          }}
        />
      )}
      <DataGrid
        // A search starts ranked by the core's relevance; browsing, newest first.
        key={search === '' ? 'browse' : 'search'}
        aria-label="Products"
        data-testid="grid-products"
        className="min-h-0 flex-1"
        {...gridProps}
        columns={me.role === 'vendor' ? productColumns : productColumnsWithVendor}
        queryKey={queryKeys.productList('catalog', filter)}
        fetchPage={fetchPage}
        rowKey={(p) => p.id}
        defaultSort={search === '' ? { key: 'created_at', dir: 'desc' } : { key: 'relevance', dir: 'desc' }}
        emptyState={
          <EmptyState
            title={filtered ? 'No products match these filters' : 'No products yet'}
            description={
              filtered
                ? 'Try another status or search, or show more than what runs low.'
                : me.role === 'vendor'
                  ? 'Products you list appear here.'
                  : 'Products appear here as vendors list them.'
            }
          />
        }
      />
    </ListScreen>
  );
}
