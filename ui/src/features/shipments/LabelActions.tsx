import { useMutation } from '@tanstack/react-query';
import { commands, type LabelFormat } from '../../bindings';
import { Button } from '../../components/Button';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { unwrap } from '../../lib/ipc';

const FORMATS: readonly { id: string; label: string; hint: string; format: LabelFormat }[] = [
  {
    id: 'zpl-203',
    label: 'ZPL 203 dpi',
    hint: 'Thermal printer, 8 dots/mm',
    format: { kind: 'zpl', density: '203' },
  },
  {
    id: 'zpl-300',
    label: 'ZPL 300 dpi',
    hint: 'Thermal printer, 12 dots/mm',
    format: { kind: 'zpl', density: '300' },
  },
  { id: 'pdf', label: 'PDF 4×6', hint: 'Laser or inkjet printer', format: { kind: 'pdf' } },
];

/**
 * A shipment's 4×6 label, drawn on this computer by the core into the Downloads folder:
 * ZPL sized for the thermal printer's density, or a PDF page. Works offline.
 */
export function LabelActions({ shipmentId }: { shipmentId: string }) {
  const save = useMutation({
    mutationFn: (format: LabelFormat) => unwrap(commands.saveShippingLabel(shipmentId, format)),
    onSuccess: (saved) => toast.success('Label saved', { description: saved.path }),
    onError: (e) => toast.error('Could not draw the label', { description: errorMessage(e) }),
  });
  return (
    <section aria-labelledby="label-actions" className="mt-5 border-t border-line pt-4">
      <h3 id="label-actions" className="text-sm font-medium text-fg-subtle">
        Label
      </h3>
      <div className="mt-2 flex flex-wrap gap-2">
        {FORMATS.map(({ id, label, hint, format }) => (
          <Button
            key={id}
            size="sm"
            variant="secondary"
            title={hint}
            data-testid={`save-label-${id}`}
            loading={save.isPending && save.variables === format}
            disabled={save.isPending}
            onClick={() => save.mutate(format)}
          >
            {label}
          </Button>
        ))}
      </div>
    </section>
  );
}
