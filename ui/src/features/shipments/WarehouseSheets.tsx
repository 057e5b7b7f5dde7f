import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { commands, type Carrier, type SheetMade, type SheetRequest } from '../../bindings';
import { Button } from '../../components/Button';
import { FormDialog } from '../../components/FormDialog';
import { Field, Input } from '../../components/Input';
import { Select } from '../../components/Select';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { unwrap } from '../../lib/ipc';

type Output = { print: boolean };

/** Says what became of a sheet: saved where, or printed (or why not). */
function announce(made: SheetMade) {
  if (made.path !== null) {
    toast.success(`${made.summary} saved`, { description: made.path });
  } else if (made.job?.state === 'failed') {
    toast.error(`${made.summary} did not print`, { description: made.job.failure ?? undefined });
  } else {
    toast.success(`${made.summary} sent to ${made.job?.printer_name ?? 'the printer'}`);
  }
}

function useSheet() {
  return useMutation({
    mutationFn: ({ request, print }: { request: SheetRequest } & Output) =>
      unwrap(commands.makeWarehouseSheet(request, print, null)),
    onSuccess: announce,
    onError: (e) => toast.error('Could not make the sheet', { description: errorMessage(e) }),
  });
}

/** Print or save one sheet; the core draws it and picks the printer for its kind. */
export function SheetButtons({
  request,
  label,
  testId,
}: {
  request: SheetRequest;
  label: string;
  testId: string;
}) {
  const sheet = useSheet();
  return (
    <div className="flex items-center gap-2">
      <Button
        size="sm"
        variant="secondary"
        data-testid={`${testId}-print`}
        loading={sheet.isPending && sheet.variables.print}
        disabled={sheet.isPending}
        onClick={() => sheet.mutate({ request, print: true })}
      >
        Print {label}
      </Button>
      <Button
        size="sm"
        variant="ghost"
        data-testid={`${testId}-save`}
        loading={sheet.isPending && !sheet.variables.print}
        disabled={sheet.isPending}
        onClick={() => sheet.mutate({ request, print: false })}
      >
        Save PDF
      </Button>
    </div>
  );
}

/** A parcel's packing slip, in its panel. */
export function PackingSlip({ shipmentId }: { shipmentId: string }) {
  return (
    <section aria-labelledby="packing-slip" className="mt-5 border-t border-line pt-4">
      <h3 id="packing-slip" className="mb-2 text-sm font-medium text-fg-subtle">
        Packing slip
      </h3>
      <SheetButtons
        request={{ kind: 'packing_slip', shipment_id: shipmentId }}
        label="packing slip"
        testId="packing-slip"
      />
    </section>
  );
}

const CARRIERS: readonly { value: Carrier; label: string }[] = [
  { value: 'fedex', label: 'FedEx' },
  { value: 'ups', label: 'UPS' },
  { value: 'local', label: 'Local delivery' },
  { value: 'pickup', label: 'Pickup' },
];

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** This computer's local day `day` (YYYY-MM-DD) as an instant span, for the core. */
function localDay(day: string): { from: string; to: string } | null {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return null;
  const from = new Date(y, m - 1, d);
  const to = new Date(y, m - 1, d + 1);
  return { from: from.toISOString(), to: to.toISOString() };
}

/**
 * The end-of-day manifest of one carrier: every parcel handed over to it on a day (this
 * computer's day), with a line for the driver's signature.
 */
export function ManifestDialog({ onClose }: { onClose: () => void }) {
  const [carrier, setCarrier] = useState<Carrier>('fedex');
  const [day, setDay] = useState(today());
  const [print, setPrint] = useState(true);
  const sheet = useSheet();
  const span = localDay(day);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!span) return;
    sheet.mutate(
      { request: { kind: 'manifest', carrier, from: span.from, to: span.to }, print },
      { onSuccess: onClose },
    );
  };
  return (
    <FormDialog
      title="End-of-day manifest"
      description="Every parcel handed over to the carrier that day, for the driver to sign."
      submitLabel={print ? 'Print manifest' : 'Save PDF'}
      submitTestId="manifest-submit"
      submitDisabled={!span}
      pending={sheet.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <div className="grid grid-cols-2 gap-3">
        <Field label="Carrier">
          {(p) => (
            <Select
              {...p}
              data-testid="manifest-carrier"
              value={carrier}
              onChange={(e) => setCarrier(e.target.value as Carrier)}
              options={CARRIERS}
            />
          )}
        </Field>
        <Field label="Day">
          {(p) => (
            <Input
              {...p}
              type="date"
              data-testid="manifest-day"
              value={day}
              onChange={(e) => setDay(e.target.value)}
            />
          )}
        </Field>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={print} onChange={(e) => setPrint(e.target.checked)} />
        Print it (otherwise save the PDF in Downloads)
      </label>
    </FormDialog>
  );
}
