import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  commands,
  events,
  type ExecutionReport,
  type PayoutProgress,
  type PayoutStatus,
} from '../../bindings';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity } from '../../lib/queryKeys';
import { once } from '../../lib/unlisten';

/** One payout of the running batch, as its last progress event left it. */
export type LiveRow = {
  payout_id: string;
  vendor_name: string;
  status: PayoutStatus;
  failure_reason: string | null;
};

/** The last execution started from this screen. */
export type Execution =
  | { state: 'idle' }
  | {
      state: 'running' | 'finished' | 'failed';
      batchId: string;
      /** One row per payout, in the order the core reached them. */
      rows: LiveRow[];
      /** Payouts handled so far in this run, and how many it has (null before the first event). */
      done: number;
      total: number | null;
      report: ExecutionReport | null;
      error: unknown;
    };

/**
 * Events can reach the page a little after the command's answer (they travel another way):
 * listen that much longer once the run has finished, so the last payouts' rows are not stale.
 */
const LATE_EVENTS_MS = 250;

function applyProgress(rows: readonly LiveRow[], p: PayoutProgress): LiveRow[] {
  const row: LiveRow = {
    payout_id: p.payout_id,
    vendor_name: p.vendor_name,
    status: p.status,
    failure_reason: p.failure_reason,
  };
  const at = rows.findIndex((r) => r.payout_id === p.payout_id);
  if (at < 0) return [...rows, row];
  const next = [...rows];
  next[at] = row;
  return next;
}

/**
 * Executes a payout batch and follows it: listens for `payout-progressed` before invoking
 * `execute_payout_batch`, keeps one live row per payout, and stops listening when the run
 * ends or the screen goes away. `onReport` gets the batch as the run left it.
 */
export function useExecution(onReport: (report: ExecutionReport) => void) {
  const client = useQueryClient();
  const [execution, setExecution] = useState<Execution>({ state: 'idle' });
  const running = useRef(false);
  const mounted = useRef(true);
  /** The listeners still in place (one per run, until shortly after it ends). */
  const listeners = useRef(new Set<() => void>());
  const reportTo = useRef(onReport);
  useEffect(() => {
    reportTo.current = onReport;
  }, [onReport]);

  useEffect(() => {
    mounted.current = true;
    const active = listeners.current;
    return () => {
      mounted.current = false;
      active.forEach((unlisten) => unlisten());
      active.clear();
    };
  }, []);

  const execute = useCallback(
    async (batchId: string) => {
      if (running.current) return;
      running.current = true;
      setExecution({ state: 'running', batchId, rows: [], done: 0, total: null, report: null, error: null });
      const update = (change: (e: Extract<Execution, { batchId: string }>) => Execution) =>
        setExecution((prev) => (prev.state !== 'idle' && prev.batchId === batchId ? change(prev) : prev));

      let unlisten: (() => void) | null = null;
      try {
        const raw = await events.payoutProgressed.listen(({ payload: { progress } }) => {
          if (progress.batch_id !== batchId || !mounted.current) return;
          update((prev) => ({
            ...prev,
            rows: applyProgress(prev.rows, progress),
            done: Math.max(prev.done, progress.done),
            total: progress.total,
          }));
        });
        unlisten = once(raw);
        if (mounted.current) listeners.current.add(unlisten);
        else unlisten();
      } catch (e) {
        // The run itself does not depend on the live rows: the report still says how it went.
        console.warn('cannot follow the payout run', e);
      }

      try {
        const report = await unwrap(commands.executePayoutBatch(batchId));
        if (mounted.current) {
          update((prev) => ({ ...prev, state: 'finished', report }));
          reportTo.current(report);
        }
      } catch (error) {
        if (mounted.current) update((prev) => ({ ...prev, state: 'failed', error }));
      } finally {
        running.current = false;
        void invalidateEntity(client, 'payouts');
        if (unlisten) {
          const done = unlisten;
          window.setTimeout(() => {
            listeners.current.delete(done);
            done();
          }, LATE_EVENTS_MS);
        }
      }
    },
    [client],
  );

  return { execution, execute };
}
