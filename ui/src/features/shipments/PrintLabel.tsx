import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { commands, type PrintJob } from '../../bindings';
import { Button } from '../../components/Button';
import { Select } from '../../components/Select';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { PrintJobList, announce } from '../printers/PrintJobs';

/**
 * Printing a shipment's label from its panel: on this workstation's label printer or one picked
 * here, drawn by the core for that printer's language and density; and the shipment's print log
 * with reprints. Failed jobs stay in the log with the reason, ready to reprint.
 */
export function PrintLabel({ shipmentId }: { shipmentId: string }) {
  const client = useQueryClient();
  const setup = useQuery({
    queryKey: queryKeys.printerSetup,
    queryFn: () => unwrap(commands.printerSetup()),
  });
  const log = useQuery({
    queryKey: queryKeys.printLog(shipmentId),
    queryFn: () => unwrap(commands.shipmentPrintLog(shipmentId)),
  });
  const labelDefault = setup.data?.defaults.find((d) => d.kind === 'label')?.printer_id ?? '';
  const [chosen, setChosen] = useState<string | null>(null);
  const printerId = chosen ?? labelDefault;
  const refresh = () => client.invalidateQueries({ queryKey: queryKeys.printLog(shipmentId) });

  const print = useMutation({
    mutationFn: () => unwrap(commands.printShippingLabel(shipmentId, printerId === '' ? null : printerId)),
    onSuccess: announce,
    onError: (e) => toast.error('Could not print the label', { description: errorMessage(e) }),
    onSettled: refresh,
  });
  const reprint = useMutation({
    mutationFn: (job: PrintJob) => unwrap(commands.reprintJob(job.id, null)),
    onSuccess: announce,
    onError: (e) => toast.error('Could not reprint', { description: errorMessage(e) }),
    onSettled: refresh,
  });

  const printers = setup.data?.printers ?? [];
  return (
    <section aria-labelledby="print-label" className="mt-5 border-t border-line pt-4">
      <h3 id="print-label" className="text-sm font-medium text-fg-subtle">
        Print
      </h3>
      {setup.isSuccess && printers.length === 0 ? (
        <p className="mt-2 text-sm text-fg-subtle" data-testid="no-printers">
          No printers on this workstation yet: add one under Printers.
        </p>
      ) : (
        <div className="mt-2 flex items-center gap-2">
          <Select
            aria-label="Printer"
            data-testid="print-printer"
            className="min-w-0 flex-1"
            value={printerId}
            placeholder={labelDefault === '' ? 'Choose a printer' : undefined}
            onChange={(e) => setChosen(e.target.value)}
            options={printers.map((p) => ({
              value: p.id,
              label: `${p.name} · ${p.dpi ? `ZPL ${p.dpi} dpi` : 'PDF'}${p.id === labelDefault ? ' (default)' : ''}`,
            }))}
          />
          <Button
            variant="primary"
            size="sm"
            data-testid="print-label"
            loading={print.isPending}
            disabled={print.isPending || printerId === ''}
            onClick={() => print.mutate()}
          >
            Print label
          </Button>
        </div>
      )}
      <div className="mt-3">
        {log.isError ? (
          <p className="text-sm text-danger-text">{errorMessage(log.error)}</p>
        ) : (
          <PrintJobList
            jobs={log.data ?? []}
            reprinting={reprint.isPending ? (reprint.variables?.id ?? null) : null}
            onReprint={(job) => reprint.mutate(job)}
          />
        )}
      </div>
    </section>
  );
}
