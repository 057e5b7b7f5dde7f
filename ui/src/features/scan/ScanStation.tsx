import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { commands, type BatchRow, type Shipment } from '../../bindings';
import { Badge } from '../../components/Badge';
import { ProgressBar } from '../../components/ProgressBar';
import { errorMessage } from '../../lib/errors';
import { unwrap } from '../../lib/ipc';
import { BATCH_OUTCOMES, useLabelBatch } from '../shipments/labelBatch';
import { SHIPMENT_STATUS_LABELS } from '../shipments/statuses';

type Scan = { code: string; parcels: Shipment[]; rows: BatchRow[] | null; error: string | null };

/**
 * The packing bench's scan station: one large input that always has the focus. A scanned order
 * number, parcel reference or tracking number (the scanner types it and presses Enter) looks the
 * order's parcels up and prints every label not printed yet on this workstation's label printer —
 * buying carrier labels or issuing the local carrier's as needed — then clears for the next scan.
 * Readable from a step away, usable by keyboard alone.
 */
export function ScanStation() {
  const input = useRef<HTMLInputElement>(null);
  const [code, setCode] = useState('');
  const [scan, setScan] = useState<Scan | null>(null);
  const batch = useLabelBatch();

  const run = useMutation({
    mutationFn: async (scanned: string): Promise<Scan> => {
      const parcels = await unwrap(commands.scanParcels(scanned));
      if (parcels.length === 0) {
        return { code: scanned, parcels, rows: null, error: `Nothing matches “${scanned}”.` };
      }
      const rows = await batch.run(parcels.map((p) => p.id));
      return { code: scanned, parcels, rows, error: null };
    },
    onSuccess: setScan,
    onError: (e, scanned) => setScan({ code: scanned, parcels: [], rows: null, error: errorMessage(e) }),
    onSettled: () => {
      setCode('');
      input.current?.focus();
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const scanned = code.trim();
    if (scanned === '' || run.isPending) return;
    run.mutate(scanned);
  };

  const rowOf = (id: string) => scan?.rows?.find((r) => r.shipment_id === id);
  return (
    <div className="mx-auto flex w-full max-w-4xl flex-col gap-6 p-8" data-testid="scan-station">
      <form onSubmit={submit}>
        <label htmlFor="scan-input" className="block text-lg font-medium text-fg-subtle">
          Scan an order, parcel or tracking number
        </label>
        <input
          id="scan-input"
          ref={input}
          data-testid="scan-input"
          autoFocus
          autoComplete="off"
          spellCheck={false}
          value={code}
          disabled={run.isPending}
          onChange={(e) => setCode(e.target.value)}
          onBlur={() => setTimeout(() => input.current?.focus(), 0)}
          className="mt-2 h-20 w-full rounded-lg border-2 border-line-strong bg-surface px-5 font-mono text-4xl text-fg focus-visible:border-accent focus-visible:outline-none"
          placeholder="MD-000123"
        />
        <p className="mt-2 text-base text-fg-subtle">
          Enter prints every label of the order not printed yet.
        </p>
      </form>
      {run.isPending && (
        <ProgressBar
          label="Printing labels"
          value={batch.progress?.done ?? null}
          max={batch.progress?.total ?? 1}
          detail={
            batch.progress
              ? `${batch.progress.done} of ${batch.progress.total} parcels`
              : 'Looking the order up…'
          }
        />
      )}
      {scan && (
        <section aria-live="polite" data-testid="scan-result" className="rounded-lg border border-line p-6">
          {scan.error ? (
            <p className="text-2xl text-danger-text" data-testid="scan-error">
              {scan.error}
            </p>
          ) : (
            <>
              <h2 className="text-3xl font-semibold" data-testid="scan-order">
                {scan.parcels[0]?.order_number}
              </h2>
              <ul className="mt-4 space-y-3">
                {scan.parcels.map((p, i) => {
                  const row = rowOf(p.id);
                  const outcome = row ? BATCH_OUTCOMES[row.outcome] : null;
                  return (
                    <li
                      key={p.id}
                      data-testid="scan-parcel"
                      data-outcome={row?.outcome ?? ''}
                      className="flex flex-wrap items-center gap-4 text-xl"
                    >
                      <span className="font-medium">
                        Parcel {i + 1} of {scan.parcels.length}
                      </span>
                      <span className="text-fg-subtle">{p.vendor_name}</span>
                      <span className="font-mono">{row?.tracking_number ?? p.tracking_number ?? '—'}</span>
                      {outcome ? (
                        <Badge tone={outcome.tone}>{outcome.label}</Badge>
                      ) : (
                        <span className="text-fg-subtle">{SHIPMENT_STATUS_LABELS[p.status]}</span>
                      )}
                      {row?.message && (
                        <span className="w-full text-base text-danger-text">{row.message}</span>
                      )}
                    </li>
                  );
                })}
              </ul>
            </>
          )}
        </section>
      )}
    </div>
  );
}
