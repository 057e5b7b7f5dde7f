import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { commands, type CatalogFile, type ProductFilter } from '../../bindings';
import { Button } from '../../components/Button';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { useMe } from '../session/session';
import { ImportDialog } from './ImportDialog';

/**
 * The catalog as CSV files, as this role may use them: import products (vendors, admins), import
 * a stock count (and logistics), and export the list as filtered now — every page, not only the
 * rows on screen — in the shape the import reads.
 */
export function CatalogFiles({ filter }: { filter: ProductFilter }) {
  const me = useMe();
  const [importing, setImporting] = useState<CatalogFile | null>(null);
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
      {products && (
        <Button data-testid="import-products" onClick={() => setImporting('products')}>
          Import…
        </Button>
      )}
      {counts && (
        <Button data-testid="import-stock-count" onClick={() => setImporting('stock_count')}>
          Stock count…
        </Button>
      )}
      <Button
        data-testid="export-products"
        loading={exportList.isPending}
        onClick={() => exportList.mutate()}
      >
        Export CSV
      </Button>
      {importing && <ImportDialog kind={importing} onClose={() => setImporting(null)} />}
    </>
  );
}
