import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { commands, type CatalogFile, type ProductFilter } from '../../bindings';
import { Button } from '../../components/Button';
import { ChevronDownIcon } from '../../components/icons';
import { Menu, MenuItem, MenuLabel, MenuSeparator } from '../../components/Menu';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { useMe } from '../session/session';
import { BulkEditDialog } from './BulkEditDialog';
import { ImportDialog } from './ImportDialog';

/**
 * The catalog's whole-list work, as this role may do it, in one menu: import products (vendors,
 * admins), import a stock count (and logistics), change every product of the list as filtered
 * now at once, and export it — every page, not only the rows on screen — in the shape the
 * import reads.
 */
export function CatalogFiles({ filter }: { filter: ProductFilter }) {
  const me = useMe();
  const [importing, setImporting] = useState<CatalogFile | null>(null);
  const [bulk, setBulk] = useState(false);
  const exportList = useMutation({
    mutationFn: () => unwrap(commands.exportCatalog(filter)),
    onSuccess: (done) =>
      toast.success(`Exported ${formatNumber(done.products)} products (${formatNumber(done.rows)} rows)`, {
        description: done.path,
      }),
    onError: (e) => toast.error(errorMessage(e), { description: 'Nothing was exported.' }),
  });
  const products = me.role === 'admin' || me.role === 'vendor';
  const counts = products || me.role === 'logistics';
  return (
    <>
      <Menu
        trigger={
          <Button data-testid="catalog-menu" loading={exportList.isPending}>
            Whole list <ChevronDownIcon size={14} />
          </Button>
        }
      >
        <MenuLabel>Every product the filters match</MenuLabel>
        {counts && (
          <MenuItem data-testid="bulk-edit" onSelect={() => setBulk(true)}>
            Change them all…
          </MenuItem>
        )}
        <MenuItem data-testid="export-products" onSelect={() => exportList.mutate()}>
          Export as CSV
        </MenuItem>
        {counts && <MenuSeparator />}
        {products && (
          <MenuItem data-testid="import-products" onSelect={() => setImporting('products')}>
            Import products from CSV…
          </MenuItem>
        )}
        {counts && (
          <MenuItem data-testid="import-stock-count" onSelect={() => setImporting('stock_count')}>
            Import a stock count…
          </MenuItem>
        )}
      </Menu>
      {importing && <ImportDialog kind={importing} onClose={() => setImporting(null)} />}
      {bulk && <BulkEditDialog filter={filter} onClose={() => setBulk(false)} />}
    </>
  );
}
