import { useCallback, useEffect, useRef, useState } from 'react';
import { commands, events, type ExportFormat, type ExportSummary, type LedgerFilter } from '../../bindings';
import { unwrap } from '../../lib/ipc';
import { once } from '../../lib/unlisten';

/** Where an export of the ledger stands. */
export type LedgerExport =
  { state: 'idle' } | { state: 'running'; format: ExportFormat; rows: number; cancelling: boolean };

/** A fresh id for one export, so it can be cancelled before it answers. */
function newExportId(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * Exports the ledger and follows it: listens for `export-progressed` of this export before
 * invoking `export_ledger`, keeps the rows written so far, and can ask the core to stop (the
 * export then answers `cancelled` and leaves no file). Resolves with the core's summary.
 */
export function useLedgerExport() {
  const [job, setJob] = useState<LedgerExport>({ state: 'idle' });
  const current = useRef<string | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const start = useCallback(
    async (filter: LedgerFilter, format: ExportFormat): Promise<ExportSummary | null> => {
      if (current.current !== null) return null;
      const id = newExportId();
      current.current = id;
      setJob({ state: 'running', format, rows: 0, cancelling: false });
      let unlisten: (() => void) | null = null;
      try {
        const raw = await events.exportProgressed.listen(({ payload }) => {
          if (!mounted.current || payload.export_id !== id) return;
          setJob((prev) =>
            prev.state === 'running' && payload.rows > prev.rows ? { ...prev, rows: payload.rows } : prev,
          );
        });
        unlisten = once(raw);
      } catch (e) {
        // The export does not depend on its progress: its summary still says what it wrote.
        console.warn('cannot follow the export', e);
      }
      try {
        return await unwrap(commands.exportLedger(filter, format, id));
      } finally {
        unlisten?.();
        current.current = null;
        if (mounted.current) setJob({ state: 'idle' });
      }
    },
    [],
  );

  const cancel = useCallback(() => {
    const id = current.current;
    if (id === null) return;
    setJob((prev) => (prev.state === 'running' ? { ...prev, cancelling: true } : prev));
    unwrap(commands.cancelExport(id)).catch((e: unknown) => console.warn('cannot cancel the export', e));
  }, []);

  return { job, start, cancel };
}
