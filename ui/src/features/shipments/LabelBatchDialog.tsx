import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { commands, type BatchRow, type ShipmentFilter } from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ProgressBar } from '../../components/ProgressBar';
import { Spinner } from '../../components/Spinner';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { unwrap } from '../../lib/ipc';
import { BATCH_OUTCOMES, useLabelBatch } from './labelBatch';

/**
 * Buy and print the labels of every parcel picked on the Shipments screen (or, when none is
 * picked, every parcel its filters show) that still needs one (the core decides which): several purchases in flight, a progress bar, Cancel between
 * parcels, and each parcel's result at the end. Running it again finishes what is left.
 */
export function LabelBatchDialog({ filter, onClose }: { filter: ShipmentFilter; onClose: () => void }) {
  const client = useQueryClient();
  const parcels = useQuery({
    queryKey: ['shipments', 'to-label', filter],
    queryFn: () => unwrap(commands.parcelsToLabel(filter)),
  });
  const batch = useLabelBatch();
  const start = useMutation({
    mutationFn: (ids: string[]) => batch.run(ids),
    onSuccess: (rows) => {
      const failed = rows.filter(
        (r) => r.outcome === 'not_bought' || r.outcome === 'bought_not_printed',
      ).length;
      if (failed > 0) toast.error(`${failed} of ${rows.length} parcels need a look`);
      else toast.success(`${rows.length} parcels done`);
    },
    onError: (e) => toast.error('The batch stopped', { description: errorMessage(e) }),
    onSettled: () => void client.invalidateQueries({ queryKey: ['shipments'] }),
  });
  const list = parcels.data ?? [];
  const orderOf = (row: BatchRow) =>
    list.find((p) => p.id === row.shipment_id)?.order_number ?? row.shipment_id;

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && !start.isPending && onClose()}
      title="Buy and print labels"
      description="Every parcel picked (or shown, when none is picked) that still needs its label: carrier labels are bought, the local carrier's issued, each printed on this workstation's label printer."
      size="lg"
    >
      <div className="flex flex-col gap-3" data-testid="label-batch">
        {parcels.isPending ? (
          <p className="flex items-center gap-2 text-sm text-fg-subtle">
            <Spinner /> Finding the parcels…
          </p>
        ) : parcels.isError ? (
          <p className="text-sm text-danger-text" role="alert">
            {errorMessage(parcels.error)}
          </p>
        ) : list.length === 0 ? (
          <p className="text-sm text-fg-subtle" data-testid="label-batch-empty">
            No parcel shown needs a label.
          </p>
        ) : (
          <p className="text-sm" data-testid="label-batch-count">
            {list.length} parcels to label.
          </p>
        )}
        {start.isPending && (
          <ProgressBar
            label="Labels"
            value={batch.progress?.done ?? null}
            max={batch.progress?.total ?? list.length}
            detail={
              batch.progress
                ? `${batch.progress.done} of ${batch.progress.total} · ${batch.progress.printed} printed · ${batch.progress.failed} need a look`
                : 'Starting…'
            }
          />
        )}
        {start.data && (
          <ul className="max-h-72 space-y-1 overflow-y-auto text-sm" aria-label="Results">
            {start.data.map((r) => (
              <li
                key={r.shipment_id}
                data-testid="label-batch-row"
                data-outcome={r.outcome}
                className="flex gap-2"
              >
                <span className="w-28 font-medium">{orderOf(r)}</span>
                <Badge tone={BATCH_OUTCOMES[r.outcome].tone}>{BATCH_OUTCOMES[r.outcome].label}</Badge>
                <span className="font-mono">{r.tracking_number ?? ''}</span>
                {r.message && <span className="min-w-0 flex-1 truncate text-danger-text">{r.message}</span>}
              </li>
            ))}
          </ul>
        )}
        <div className="flex justify-end gap-2">
          {start.isPending ? (
            <Button variant="danger" data-testid="label-batch-cancel" onClick={batch.cancel}>
              Cancel after this parcel
            </Button>
          ) : (
            <>
              <Button variant="ghost" onClick={onClose}>
                Close
              </Button>
              <Button
                variant="primary"
                data-testid="label-batch-start"
                disabled={list.length === 0}
                onClick={() => start.mutate(list.map((p) => p.id))}
              >
                {start.data ? 'Run again' : `Buy and print ${list.length}`}
              </Button>
            </>
          )}
        </div>
      </div>
    </Dialog>
  );
}
