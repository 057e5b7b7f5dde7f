import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { commands, type PackingPlan, type PackLine, type ParcelPlan } from '../../bindings';
import { Button } from '../../components/Button';
import { FormDialog } from '../../components/FormDialog';
import { Input } from '../../components/Input';
import { NameOrId } from '../../components/NameOrId';
import { Select } from '../../components/Select';
import { Spinner } from '../../components/Spinner';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity, queryKeys } from '../../lib/queryKeys';

/** A parcel as the bench edits it: units typed per line of its vendor. */
type Draft = { key: number; vendor_id: string; preset_id: string; units: Record<string, string> };

let drafts = 0;

function fromPlan(plan: ParcelPlan): Draft {
  drafts += 1;
  return {
    key: drafts,
    vendor_id: plan.vendor_id,
    preset_id: plan.preset_id ?? '',
    units: Object.fromEntries(plan.items.map((i) => [i.order_item_id, String(i.quantity)])),
  };
}

/**
 * What is sent to the core: every line given units (an empty field is none). Anything but a whole
 * number goes as -1, so the core's refusal names the line.
 */
function toPlan(d: Draft): ParcelPlan {
  return {
    vendor_id: d.vendor_id,
    preset_id: d.preset_id === '' ? null : d.preset_id,
    items: Object.entries(d.units)
      .map(([order_item_id, text]) => {
        const units = text.trim() === '' ? 0 : Number(text);
        return { order_item_id, quantity: Number.isInteger(units) ? units : -1 };
      })
      .filter((i) => i.quantity !== 0),
  };
}

function ParcelCard({
  n,
  draft,
  lines,
  plan,
  onChange,
  onSplit,
  onRemove,
}: {
  n: number;
  draft: Draft;
  lines: PackLine[];
  plan: PackingPlan;
  onChange: (d: Draft) => void;
  onSplit: () => void;
  onRemove?: () => void;
}) {
  const vendor = lines[0];
  return (
    <fieldset className="flex flex-col gap-2 rounded-lg border border-line p-3" data-testid={`parcel-${n}`}>
      <legend className="px-1 text-sm font-medium text-fg-muted">
        Parcel {n} · {vendor ? <NameOrId name={vendor.vendor_name} id={vendor.vendor_id} /> : null}
      </legend>
      <div className="flex items-center gap-2">
        <Select
          aria-label={`Box of parcel ${n}`}
          data-testid={`parcel-${n}-box`}
          placeholder="No box"
          value={draft.preset_id}
          onChange={(e) => onChange({ ...draft, preset_id: e.target.value })}
          options={plan.presets.map((b) => ({
            value: b.id,
            label: `${b.name} · ${b.length_mm}×${b.width_mm}×${b.height_mm} mm`,
          }))}
          className="flex-1"
        />
        <Button size="sm" variant="secondary" data-testid={`parcel-${n}-split`} onClick={onSplit}>
          Split
        </Button>
        {onRemove && (
          <Button size="sm" variant="ghost" data-testid={`parcel-${n}-remove`} onClick={onRemove}>
            Remove
          </Button>
        )}
      </div>
      {lines.map((line) => (
        <label key={line.order_item_id} className="flex items-center gap-2 text-base">
          <Input
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            aria-label={`Units of ${line.sku} in parcel ${n}`}
            data-testid={`parcel-${n}-units-${line.sku}`}
            value={draft.units[line.order_item_id] ?? ''}
            onChange={(e) =>
              onChange({ ...draft, units: { ...draft.units, [line.order_item_id]: e.target.value } })
            }
            className="w-20 text-right tabular-nums"
          />
          <span className="min-w-0 flex-1 truncate">
            {line.product_name} <span className="font-mono text-sm text-fg-subtle">{line.sku}</span>
          </span>
          <span className="text-sm text-fg-subtle tabular-nums">{formatNumber(line.left)} left</span>
        </label>
      ))}
    </fieldset>
  );
}

/**
 * Packing an order: a parcel per vendor to start from (everything left, in the first box), split
 * into more parcels, units moved between them and boxes chosen; the core checks and writes the
 * whole packing at once, or says what is wrong and writes nothing.
 */
export function PackDialog({ orderId, onClose }: { orderId: string; onClose: () => void }) {
  const client = useQueryClient();
  const plan = useQuery({
    queryKey: ['packing', orderId],
    queryFn: () => unwrap(commands.packingPlan(orderId)),
  });
  const [parcels, setParcels] = useState<Draft[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const proposal = useMemo(() => plan.data?.proposal.map(fromPlan) ?? [], [plan.data]);
  const current = parcels ?? proposal;

  const pack = useMutation({
    mutationFn: (list: ParcelPlan[]) => unwrap(commands.packOrder(orderId, list)),
    onSuccess: (made) => {
      toast.success(
        `${plan.data?.order_number ?? 'The order'} packed into ${made.length} parcel${made.length === 1 ? '' : 's'}`,
      );
      void client.invalidateQueries({ queryKey: queryKeys.orderDetail(orderId) });
      void client.invalidateQueries({ queryKey: ['packing', orderId] });
      void client.invalidateQueries({ queryKey: ['orders', 'list'] });
      void invalidateEntity(client, 'shipments');
      onClose();
    },
    onError: (e) => setProblem(errorMessage(e)),
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setProblem(null);
    pack.mutate(current.map(toPlan));
  };
  const update = (list: Draft[]) => {
    setParcels(list);
    setProblem(null);
  };
  const data = plan.data;
  const linesOf = (vendor: string) => (data?.lines ?? []).filter((l) => l.vendor_id === vendor && l.left > 0);

  return (
    <FormDialog
      title={data ? `Pack ${data.order_number}` : 'Pack order'}
      description="Each vendor's items ship in their own parcels. Split a parcel to spread units over several boxes."
      size="lg"
      submitLabel={`Pack into ${current.length} parcel${current.length === 1 ? '' : 's'}`}
      submitTestId="pack-submit"
      submitDisabled={!data?.packable || current.length === 0}
      pending={pack.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      {plan.isPending ? (
        <p className="flex items-center gap-2 text-sm text-fg-subtle">
          <Spinner /> Reading the order…
        </p>
      ) : plan.isError ? (
        <p role="alert" className="text-sm text-danger-text">
          {errorMessage(plan.error)}
        </p>
      ) : data && !data.packable ? (
        <p className="text-sm text-fg-subtle" data-testid="pack-nothing">
          Nothing is left to pack on {data.order_number}.
        </p>
      ) : (
        data &&
        current.map((draft, i) => (
          <ParcelCard
            key={draft.key}
            n={i + 1}
            draft={draft}
            plan={data}
            lines={linesOf(draft.vendor_id)}
            onChange={(d) => update(current.map((x) => (x.key === d.key ? d : x)))}
            onSplit={() => {
              const copy = fromPlan({
                vendor_id: draft.vendor_id,
                preset_id: draft.preset_id || null,
                items: [],
              });
              update([...current.slice(0, i + 1), copy, ...current.slice(i + 1)]);
            }}
            onRemove={
              current.filter((x) => x.vendor_id === draft.vendor_id).length > 1
                ? () => update(current.filter((x) => x.key !== draft.key))
                : undefined
            }
          />
        ))
      )}
      {problem && (
        <p role="alert" className="text-sm text-danger-text" data-testid="pack-problem">
          {problem}
        </p>
      )}
    </FormDialog>
  );
}
