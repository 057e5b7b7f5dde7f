import { useState } from 'react';
import { commands, events, type BatchProgress, type BatchRow } from '../../bindings';
import type { BadgeTone } from '../../components/Badge';
import { unwrap } from '../../lib/ipc';

/** How each parcel of a batch ended, in words and colour. */
export const BATCH_OUTCOMES: Record<BatchRow['outcome'], { label: string; tone: BadgeTone }> = {
  printed: { label: 'Printed', tone: 'success' },
  bought_not_printed: { label: 'Not printed', tone: 'danger' },
  already_done: { label: 'Printed before', tone: 'neutral' },
  not_bought: { label: 'No label', tone: 'danger' },
  skipped: { label: 'Skipped', tone: 'neutral' },
};

let batches = 0;

/**
 * Runs the core's label batch (buy or issue, then print, several in flight) for a list of
 * parcels, following its progress events; `cancel` asks it to stop before its next parcel.
 */
export function useLabelBatch() {
  const [progress, setProgress] = useState<BatchProgress | null>(null);
  const [batchId, setBatchId] = useState<string | null>(null);

  const run = async (shipmentIds: string[]): Promise<BatchRow[]> => {
    const id = `batch-${Date.now()}-${(batches += 1)}`;
    setBatchId(id);
    const unlisten = await events.labelBatchProgressed
      .listen(({ payload }) => {
        if (payload.batch_id === id) setProgress(payload.progress);
      })
      .catch(() => null);
    try {
      return await unwrap(commands.buyAndPrintLabels(id, shipmentIds, 'zpl', null));
    } finally {
      unlisten?.();
      setProgress(null);
      setBatchId(null);
    }
  };

  const cancel = () => {
    if (batchId !== null) void commands.cancelLabelBatch(batchId);
  };

  return { run, cancel, progress, running: batchId !== null };
}
