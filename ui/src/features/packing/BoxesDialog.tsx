import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { commands, type PackagePreset, type PresetSpec } from '../../bindings';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { Field, Input } from '../../components/Input';
import { QueryTable } from '../../components/QueryTable';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { unwrap } from '../../lib/ipc';

const BOXES = ['packing', 'boxes'] as const;

/** Whole numbers as typed; anything else goes as -1 for the core to refuse by name. */
const whole = (text: string) => {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(n) ? n : -1;
};

const EMPTY_FORM = { name: '', length: '', width: '', height: '', tare: '', max: '' };

function AddBox() {
  const client = useQueryClient();
  const [form, setForm] = useState(EMPTY_FORM);
  const [problem, setProblem] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: (spec: PresetSpec) => unwrap(commands.addPackagePreset(spec)),
    onSuccess: (b) => {
      toast.success(`${b.name} added`);
      setForm(EMPTY_FORM);
      void client.invalidateQueries({ queryKey: BOXES });
      void client.invalidateQueries({ queryKey: ['packing'] });
    },
    onError: (e) => setProblem(errorMessage(e)),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setProblem(null);
    add.mutate({
      name: form.name,
      length_mm: whole(form.length),
      width_mm: whole(form.width),
      height_mm: whole(form.height),
      tare_grams: form.tare.trim() === '' ? 0 : whole(form.tare),
      max_weight_grams: form.max.trim() === '' ? null : whole(form.max),
    });
  };
  const field = (key: keyof typeof EMPTY_FORM, label: string, hint?: string) => (
    <Field label={label} hint={hint}>
      {(p) => (
        <Input
          {...p}
          data-testid={`box-${key}`}
          inputMode={key === 'name' ? 'text' : 'numeric'}
          value={form[key]}
          onChange={(e) => setForm({ ...form, [key]: e.target.value })}
        />
      )}
    </Field>
  );
  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-3 border-t border-line pt-3">
      <div className="grid grid-cols-3 gap-2">
        {field('name', 'Name')}
        {field('tare', 'Empty weight (g)')}
        {field('max', 'Carries at most (g)', 'Empty: no limit')}
        {field('length', 'Length (mm)')}
        {field('width', 'Width (mm)')}
        {field('height', 'Height (mm)')}
      </div>
      {problem && (
        <p role="alert" className="text-sm text-danger-text" data-testid="box-problem">
          {problem}
        </p>
      )}
      <Button
        type="submit"
        size="sm"
        variant="primary"
        className="self-end"
        loading={add.isPending}
        data-testid="box-add"
      >
        Add box
      </Button>
    </form>
  );
}

/** The warehouse's boxes: what packing offers, each with its size, empty weight and limit. */
export function BoxesDialog({ onClose }: { onClose: () => void }) {
  const client = useQueryClient();
  const boxes = useQuery({ queryKey: BOXES, queryFn: () => unwrap(commands.packagePresets()) });
  const retire = useMutation({
    mutationFn: (b: PackagePreset) => unwrap(commands.retirePackagePreset(b.id, b.version)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: BOXES });
      void client.invalidateQueries({ queryKey: ['packing'] });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title="Boxes" size="lg">
      <div className="flex flex-col gap-3" data-testid="boxes">
        <QueryTable
          query={boxes}
          rows={boxes.data ?? []}
          loadingLabel="Reading the boxes"
          errorTitle="Could not read the boxes"
          empty={{
            title: 'No boxes yet',
            description: 'Parcels weigh what their items weigh. Add the boxes the bench uses.',
          }}
          columns={[
            { label: 'Box', className: 'py-1.5 pr-2' },
            { label: 'Inside (mm)', className: 'px-2 py-1.5' },
            { label: 'Empty', className: 'px-2 py-1.5 text-right' },
            { label: 'Carries', className: 'px-2 py-1.5 text-right' },
            { label: '', className: 'py-1.5 pl-2' },
          ]}
          renderRow={(b) => (
            <tr key={b.id} className="border-b border-line last:border-b-0" data-testid="box-row">
              <td className="py-2 pr-2">{b.name}</td>
              <td className="px-2 py-2 tabular-nums">
                {b.length_mm}×{b.width_mm}×{b.height_mm}
              </td>
              <td className="px-2 py-2 text-right tabular-nums">{b.tare_grams} g</td>
              <td className="px-2 py-2 text-right tabular-nums">
                {b.max_weight_grams === null ? 'No limit' : `${b.max_weight_grams} g`}
              </td>
              <td className="py-2 pl-2 text-right">
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={() => retire.mutate(b)}
                  disabled={retire.isPending}
                >
                  Retire
                </Button>
              </td>
            </tr>
          )}
        />
        <AddBox />
      </div>
    </Dialog>
  );
}
