import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  commands,
  type Carrier,
  type MethodRate,
  type MethodSpec,
  type ShippingMethod,
  type ShippingZone,
} from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Card, CardBody, CardHeader } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { FormDialog } from '../../components/FormDialog';
import { controlClasses, Field, Input } from '../../components/Input';
import { Screen } from '../../components/Layout';
import { Select } from '../../components/Select';
import { Skeleton } from '../../components/Skeleton';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { formatMoney } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { useMe } from '../session/session';
import { CarrierAccounts } from './CarrierAccounts';
import { draftOf, RateTableDialog, type RateDraft } from './RateTableDialog';

type ZoneDraft = { id: string | null; version: number | null; name: string; position: string; areas: string };

function ZoneDialog({ initial, onClose }: { initial: ZoneDraft; onClose: () => void }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState(initial);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        commands.saveShippingZone(draft.id, draft.version, {
          name: draft.name,
          position: Number.parseInt(draft.position, 10) || 0,
          areas: draft.areas.split('\n'),
        }),
      ),
    onSuccess: () => {
      toast.success('Zone saved', { description: draft.name });
      void client.invalidateQueries({ queryKey: queryKeys.shippingSetup });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <FormDialog
      title={draft.id ? 'Edit zone' : 'Add a zone'}
      description="Zones are tried from the lowest position up; the first that covers an address prices it."
      submitLabel="Save zone"
      submitTestId="zone-submit"
      pending={save.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <div className="grid grid-cols-3 gap-3">
        <Field label="Name" className="col-span-2">
          {(p) => (
            <Input
              {...p}
              autoFocus
              data-testid="zone-name"
              value={draft.name}
              onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            />
          )}
        </Field>
        <Field label="Position">
          {(p) => (
            <Input
              {...p}
              data-testid="zone-position"
              inputMode="numeric"
              value={draft.position}
              onChange={(e) => setDraft({ ...draft, position: e.target.value })}
            />
          )}
        </Field>
      </div>
      <Field
        label="Areas, one per line"
        hint="FR · US/CA (a region) · FR:75* (postcodes by prefix) · US/CA:94000..94999 (a range) · * (everywhere)"
      >
        {(p) => (
          <textarea
            {...p}
            data-testid="zone-areas"
            rows={5}
            className={`${controlClasses} h-auto py-2 font-mono`}
            value={draft.areas}
            onChange={(e) => setDraft({ ...draft, areas: e.target.value })}
          />
        )}
      </Field>
      {save.isError && (
        <p className="text-sm text-danger-text" role="alert" data-testid="zone-error">
          {errorMessage(save.error)}
        </p>
      )}
    </FormDialog>
  );
}

type MethodDraft = { id: string | null; version: number | null; spec: MethodSpec };

const CARRIERS: readonly { value: Carrier; label: string }[] = [
  { value: 'local', label: 'Local delivery' },
  { value: 'pickup', label: 'Pickup' },
  { value: 'fedex', label: 'FedEx' },
  { value: 'ups', label: 'UPS' },
];

function MethodDialog({ initial, onClose }: { initial: MethodDraft; onClose: () => void }) {
  const client = useQueryClient();
  const [spec, setSpec] = useState(initial.spec);
  const save = useMutation({
    mutationFn: () => unwrap(commands.saveShippingMethod(initial.id, initial.version, spec)),
    onSuccess: () => {
      toast.success('Method saved', { description: spec.name });
      void client.invalidateQueries({ queryKey: queryKeys.shippingSetup });
      onClose();
    },
  });
  const set = (patch: Partial<MethodSpec>) => setSpec((s) => ({ ...s, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const days = (text: string) => (text.trim() === '' ? -1 : Number(text));
  return (
    <FormDialog
      title={initial.id ? 'Edit method' : 'Add a method'}
      submitLabel="Save method"
      submitTestId="method-submit"
      pending={save.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <div className="grid grid-cols-2 gap-3">
        <Field label="Name">
          {(p) => (
            <Input
              {...p}
              autoFocus
              data-testid="method-name"
              value={spec.name}
              onChange={(e) => set({ name: e.target.value })}
            />
          )}
        </Field>
        <Field label="Code" hint="a-z, 0-9 and _">
          {(p) => (
            <Input
              {...p}
              data-testid="method-code"
              value={spec.code}
              onChange={(e) => set({ code: e.target.value })}
            />
          )}
        </Field>
        <Field label="Carrier">
          {(p) => (
            <Select
              {...p}
              data-testid="method-carrier"
              value={spec.carrier}
              onChange={(e) => set({ carrier: e.target.value as Carrier })}
              options={CARRIERS}
            />
          )}
        </Field>
        <Field label="Carrier's service code">
          {(p) => (
            <Input
              {...p}
              data-testid="method-service"
              value={spec.service_code}
              onChange={(e) => set({ service_code: e.target.value })}
            />
          )}
        </Field>
        <Field label="Fewest days">
          {(p) => (
            <Input
              {...p}
              inputMode="numeric"
              value={String(spec.min_days)}
              onChange={(e) => set({ min_days: days(e.target.value) })}
            />
          )}
        </Field>
        <Field label="Most days">
          {(p) => (
            <Input
              {...p}
              inputMode="numeric"
              value={String(spec.max_days)}
              onChange={(e) => set({ max_days: days(e.target.value) })}
            />
          )}
        </Field>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={spec.is_active}
          onChange={(e) => set({ is_active: e.target.checked })}
        />
        Offered
      </label>
      {save.isError && (
        <p className="text-sm text-danger-text" role="alert" data-testid="method-error">
          {errorMessage(save.error)}
        </p>
      )}
    </FormDialog>
  );
}

function describeTable(rate: MethodRate): string {
  const c = rate.currency;
  const plan = rate.table.plan;
  const price =
    plan.basis === 'flat'
      ? formatMoney(plan.amount_minor, c)
      : plan.basis === 'per_kg'
        ? `${formatMoney(plan.base_minor, c)} + ${formatMoney(plan.per_kg_minor, c)}/kg`
        : plan.bands
            .map((b) =>
              b.up_to_grams === null
                ? `heavier ${formatMoney(b.amount_minor, c)}`
                : `≤ ${b.up_to_grams.toLocaleString()} g ${formatMoney(b.amount_minor, c)}`,
            )
            .join(' · ');
  const free =
    rate.table.free_over_minor === null ? '' : ` · free over ${formatMoney(rate.table.free_over_minor, c)}`;
  return `${price}${free}`;
}

const NEW_METHOD: MethodSpec = {
  code: '',
  name: '',
  carrier: 'local',
  service_code: '',
  min_days: 1,
  max_days: 3,
  is_active: true,
};

/**
 * Shipping setup (admins): zones in the order they are tried, the methods on offer, and each
 * method's rate table per zone and currency. Logistics shops rates against what is set here.
 */
export function ShippingScreen() {
  const me = useMe();
  const client = useQueryClient();
  const setup = useQuery({
    queryKey: queryKeys.shippingSetup,
    queryFn: () => unwrap(commands.shippingSetup()),
  });
  const [zone, setZone] = useState<ZoneDraft | null>(null);
  const [method, setMethod] = useState<MethodDraft | null>(null);
  const [rate, setRate] = useState<RateDraft | null>(null);
  const [retiring, setRetiring] = useState<ShippingZone | null>(null);
  const retire = useMutation({
    mutationFn: (z: ShippingZone) => unwrap(commands.retireShippingZone(z.id)),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.shippingSetup }),
  });

  if (setup.isError)
    return <ErrorState message={errorMessage(setup.error)} onRetry={() => void setup.refetch()} />;
  if (!setup.data) return <Skeleton className="h-40" />;
  const { zones, methods, rates } = setup.data;
  const zoneName = (id: string) => zones.find((z) => z.id === id)?.name ?? '—';
  const editMethod = (m: ShippingMethod) =>
    setMethod({
      id: m.id,
      version: m.version,
      spec: {
        code: m.code,
        name: m.name,
        carrier: m.carrier,
        service_code: m.service_code,
        min_days: m.min_days,
        max_days: m.max_days,
        is_active: m.is_active,
      },
    });

  return (
    <Screen data-testid="shipping" className="overflow-y-auto">
      <CarrierAccounts canEdit={me.role === 'admin'} />
      <Card>
        <CardHeader
          title="Zones"
          description="Tried from the top; the first zone that covers a parcel's address prices it."
          actions={
            <Button
              variant="primary"
              data-testid="add-zone"
              onClick={() =>
                setZone({
                  id: null,
                  version: null,
                  name: '',
                  position: String((zones.at(-1)?.position ?? 0) + 10),
                  areas: '',
                })
              }
            >
              Add zone
            </Button>
          }
        />
        <CardBody>
          {zones.length === 0 ? (
            <EmptyState title="No zones yet" description="Without a zone no parcel has a table rate." />
          ) : (
            <ul className="flex flex-col divide-y divide-line" data-testid="zone-list">
              {zones.map((z) => (
                <li key={z.id} className="flex items-center gap-3 py-2" data-testid="zone-row">
                  <span className="w-12 text-right text-sm text-fg-subtle tabular-nums">{z.position}</span>
                  <span className="w-40 font-medium text-fg">{z.name}</span>
                  <span className="flex min-w-0 flex-1 flex-wrap gap-1">
                    {z.area_texts.map((text) => (
                      <Badge key={text} tone="neutral">
                        {text === '*' ? 'Everywhere' : text}
                      </Badge>
                    ))}
                  </span>
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() =>
                      setZone({
                        id: z.id,
                        version: z.version,
                        name: z.name,
                        position: String(z.position),
                        areas: z.area_texts.join('\n'),
                      })
                    }
                  >
                    Edit
                  </Button>
                  <Button size="sm" variant="ghost" onClick={() => setRetiring(z)}>
                    Remove
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </CardBody>
      </Card>
      <Card>
        <CardHeader
          title="Methods and rates"
          description="Each method is offered where it has a rate table for the zone and the order's currency."
          actions={
            <>
              <Button
                data-testid="add-method"
                onClick={() => setMethod({ id: null, version: null, spec: NEW_METHOD })}
              >
                Add method
              </Button>
              <Button
                variant="primary"
                data-testid="add-rate"
                disabled={methods.length === 0 || zones.length === 0}
                onClick={() => setRate(draftOf(null, methods[0]!.id, zones[0]!.id))}
              >
                Add rate table
              </Button>
            </>
          }
        />
        <CardBody>
          {methods.length === 0 ? (
            <EmptyState
              title="No methods yet"
              description="Add the ways parcels can go: a courier, FedEx Ground…"
            />
          ) : (
            <ul className="flex flex-col divide-y divide-line" data-testid="method-list">
              {methods.map((m) => (
                <li key={m.id} className="py-2" data-testid="method-row">
                  <div className="flex items-center gap-3">
                    <span className="font-medium text-fg">{m.name}</span>
                    <span className="font-mono text-xs text-fg-subtle">{m.code}</span>
                    <span className="text-sm text-fg-subtle">
                      {CARRIERS.find((c) => c.value === m.carrier)?.label} · {m.service_code} · {m.min_days}–
                      {m.max_days} days
                    </span>
                    {!m.is_active && <Badge tone="warning">Not offered</Badge>}
                    <Button size="sm" variant="ghost" className="ml-auto" onClick={() => editMethod(m)}>
                      Edit
                    </Button>
                  </div>
                  <ul className="mt-1 flex flex-col gap-0.5 pl-4 text-sm">
                    {rates
                      .filter((r) => r.method_id === m.id)
                      .map((r) => (
                        <li
                          key={`${r.zone_id}-${r.currency}`}
                          data-testid="rate-row"
                          className="flex items-center gap-2"
                        >
                          <span className="w-32 text-fg-muted">{zoneName(r.zone_id)}</span>
                          <span className="w-12 text-fg-subtle">{r.currency}</span>
                          <span className="min-w-0 flex-1 truncate tabular-nums">{describeTable(r)}</span>
                          <Button
                            size="sm"
                            variant="ghost"
                            onClick={() => setRate(draftOf(r, m.id, r.zone_id))}
                          >
                            Edit
                          </Button>
                        </li>
                      ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </CardBody>
      </Card>
      {zone && <ZoneDialog initial={zone} onClose={() => setZone(null)} />}
      {method && <MethodDialog initial={method} onClose={() => setMethod(null)} />}
      {rate && (
        <RateTableDialog initial={rate} methods={methods} zones={zones} onClose={() => setRate(null)} />
      )}
      <ConfirmDialog
        open={retiring !== null}
        onOpenChange={(open) => !open && setRetiring(null)}
        title={`Remove ${retiring?.name ?? 'zone'}?`}
        description="Its rate tables go with it; addresses it covered fall to the next zone."
        confirmLabel="Remove zone"
        tone="danger"
        onConfirm={() => (retiring ? retire.mutateAsync(retiring) : undefined)}
      />
    </Screen>
  );
}
