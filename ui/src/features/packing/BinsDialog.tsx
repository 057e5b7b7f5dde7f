import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { commands, type BinRow, type BinSheetResult } from '../../bindings';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { Field, Input } from '../../components/Input';
import { QueryTable } from '../../components/QueryTable';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { unwrap } from '../../lib/ipc';

const BINS = ['packing', 'bins'] as const;

/** One variant's bin: typed (or scanned) and kept with Enter. */
function BinCell({ row }: { row: BinRow }) {
  const client = useQueryClient();
  const [bin, setBin] = useState(row.bin_location ?? '');
  const save = useMutation({
    mutationFn: () => unwrap(commands.setVariantBin(row.variant_id, bin)),
    onSuccess: (kept) => {
      setBin(kept ?? '');
      toast.success(kept ? `${row.sku} is in bin ${kept}` : `${row.sku} is in no bin now`);
      void client.invalidateQueries({ queryKey: BINS });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      save.mutate();
    }
  };
  return (
    <div className="flex items-center gap-2">
      <Input
        aria-label={`Bin of ${row.sku} (${row.vendor_name})`}
        data-testid="bin-input"
        className="w-32 font-mono uppercase"
        value={bin}
        onChange={(e) => setBin(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <Button size="sm" variant="secondary" loading={save.isPending} onClick={() => save.mutate()}>
        Keep
      </Button>
    </div>
  );
}

/** A `sku,bin[,vendor]` sheet pasted in: every line kept, or none with each bad line named. */
function BinSheet() {
  const client = useQueryClient();
  const [sheet, setSheet] = useState('');
  const [result, setResult] = useState<BinSheetResult | null>(null);
  const apply = useMutation({
    mutationFn: () => unwrap(commands.applyBinSheet(sheet)),
    onSuccess: (done) => {
      setResult(done);
      if (done.problems.length === 0) {
        toast.success(`${done.updated} bins set`);
        setSheet('');
        void client.invalidateQueries({ queryKey: BINS });
      }
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  return (
    <div className="flex flex-col gap-2 border-t border-line pt-3">
      <label className="text-sm font-medium" htmlFor="bin-sheet">
        Many at once: one <code>sku,bin</code> per line (add the vendor when two sell the same SKU)
      </label>
      <textarea
        id="bin-sheet"
        data-testid="bin-sheet"
        rows={5}
        className="rounded border border-line bg-surface p-2 font-mono text-sm"
        placeholder={'sku,bin\nMUG-BLUE,A-03-2'}
        value={sheet}
        onChange={(e) => setSheet(e.target.value)}
      />
      {result && result.problems.length > 0 && (
        <ul role="alert" className="text-sm text-danger-text" data-testid="bin-sheet-problems">
          <li>Nothing was changed. Fix these lines and apply again:</li>
          {result.problems.map((p) => (
            <li key={p.line}>
              Line {p.line}: {p.reason}
            </li>
          ))}
        </ul>
      )}
      <Button
        size="sm"
        variant="secondary"
        className="self-end"
        disabled={sheet.trim() === ''}
        loading={apply.isPending}
        data-testid="bin-sheet-apply"
        onClick={() => apply.mutate()}
      >
        Apply sheet
      </Button>
    </div>
  );
}

/**
 * Bins: where each variant sits on the shelves, so pick lists walk the aisles in order. Find a
 * SKU (type or scan it), give it a bin, or paste a whole sheet.
 */
export function BinsDialog({ onClose }: { onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const [sku, setSku] = useState('');
  const found = useQuery({
    queryKey: [...BINS, sku],
    queryFn: () => unwrap(commands.variantBins(sku)),
    enabled: sku !== '',
  });
  const find = (event: FormEvent) => {
    event.preventDefault();
    setSku(typed.trim());
  };
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title="Bins" size="lg">
      <div className="flex flex-col gap-3" data-testid="bins">
        <form onSubmit={find} className="flex items-end gap-2">
          <Field label="SKU" className="flex-1">
            {(p) => (
              <Input
                {...p}
                autoFocus
                data-testid="bin-sku"
                placeholder="Type or scan a SKU, then Enter"
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
              />
            )}
          </Field>
          <Button type="submit" variant="primary" data-testid="bin-find">
            Find
          </Button>
        </form>
        {sku !== '' && (
          <QueryTable
            query={found}
            rows={found.data ?? []}
            loadingLabel="Looking the SKU up"
            errorTitle="Could not look the SKU up"
            empty={{
              title: `No live variant has SKU ${sku}`,
              description: 'Check the SKU on the shelf label.',
            }}
            columns={[
              { label: 'SKU', className: 'py-1.5 pr-2' },
              { label: 'Vendor', className: 'px-2 py-1.5' },
              { label: 'Product', className: 'px-2 py-1.5' },
              { label: 'Bin', className: 'py-1.5 pl-2' },
            ]}
            renderRow={(r) => (
              <tr key={r.variant_id} className="border-b border-line last:border-b-0" data-testid="bin-row">
                <td className="py-2 pr-2 font-mono">{r.sku}</td>
                <td className="px-2 py-2">{r.vendor_name}</td>
                <td className="px-2 py-2">
                  {r.product_name}
                  {r.variant_name && <span className="text-fg-muted"> · {r.variant_name}</span>}
                </td>
                <td className="py-2 pl-2">
                  <BinCell row={r} />
                </td>
              </tr>
            )}
          />
        )}
        <BinSheet />
      </div>
    </Dialog>
  );
}
