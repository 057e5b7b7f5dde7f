import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  commands,
  type MethodRate,
  type RatePlan,
  type RateTable,
  type ShippingMethod,
  type ShippingZone,
} from '../../bindings';
import { Button } from '../../components/Button';
import { FormDialog } from '../../components/FormDialog';
import { Field, Input } from '../../components/Input';
import { Select } from '../../components/Select';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { currencyDigits, parseMoney } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';

type Basis = RatePlan['basis'];
type Band = { upTo: string; price: string };

export type RateDraft = {
  methodId: string;
  zoneId: string;
  currency: string;
  basis: Basis;
  amount: string;
  perKg: string;
  bands: Band[];
  freeOver: string;
};

/** Minor units as a person types the amount in this locale (no symbol, no grouping). */
function money(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  return new Intl.NumberFormat(undefined, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: false,
  }).format(minor / 10 ** digits);
}

/** A draft of the table `rate` holds (or an empty one for a new table). */
export function draftOf(rate: MethodRate | null, methodId: string, zoneId: string): RateDraft {
  if (!rate) {
    return {
      methodId,
      zoneId,
      currency: 'EUR',
      basis: 'flat',
      amount: '',
      perKg: '',
      bands: [],
      freeOver: '',
    };
  }
  const c = rate.currency;
  const plan = rate.table.plan;
  return {
    methodId: rate.method_id,
    zoneId: rate.zone_id,
    currency: c,
    basis: plan.basis,
    amount:
      plan.basis === 'flat'
        ? money(plan.amount_minor, c)
        : plan.basis === 'per_kg'
          ? money(plan.base_minor, c)
          : '',
    perKg: plan.basis === 'per_kg' ? money(plan.per_kg_minor, c) : '',
    bands:
      plan.basis === 'weight_bands'
        ? plan.bands.map((b) => ({ upTo: b.up_to_grams?.toString() ?? '', price: money(b.amount_minor, c) }))
        : [],
    freeOver: rate.table.free_over_minor === null ? '' : money(rate.table.free_over_minor, c),
  };
}

/** Reads the typed amounts into a table, or says which field is not an amount. */
function toTable(d: RateDraft): RateTable | string {
  const amount = (text: string, what: string): number | string => {
    const v = parseMoney(text, d.currency);
    return v === null ? `${what}: “${text}” is not an amount in ${d.currency}` : v;
  };
  let plan: RatePlan;
  if (d.basis === 'flat') {
    const a = amount(d.amount, 'Price');
    if (typeof a === 'string') return a;
    plan = { basis: 'flat', amount_minor: a };
  } else if (d.basis === 'per_kg') {
    const base = amount(d.amount, 'Base price');
    const kg = amount(d.perKg, 'Price per kg');
    if (typeof base === 'string') return base;
    if (typeof kg === 'string') return kg;
    plan = { basis: 'per_kg', base_minor: base, per_kg_minor: kg };
  } else {
    const bands = [];
    for (const [i, b] of d.bands.entries()) {
      const price = amount(b.price, `Band ${i + 1}`);
      if (typeof price === 'string') return price;
      const limit = b.upTo.trim() === '' ? null : Number(b.upTo);
      if (limit !== null && !Number.isInteger(limit)) return `Band ${i + 1}: “${b.upTo}” is not grams`;
      bands.push({ up_to_grams: limit, amount_minor: price });
    }
    plan = { basis: 'weight_bands', bands };
  }
  let free: number | null = null;
  if (d.freeOver.trim() !== '') {
    const f = amount(d.freeOver, 'Free over');
    if (typeof f === 'string') return f;
    free = f;
  }
  return { plan, free_over_minor: free };
}

/**
 * A method's rate table in one zone and currency: flat, base plus per kg, or weight bands
 * (lightest first; an empty limit takes any heavier parcel), free over an order value. The
 * core checks the table and refuses it whole.
 */
export function RateTableDialog({
  initial,
  methods,
  zones,
  onClose,
}: {
  initial: RateDraft;
  methods: ShippingMethod[];
  zones: ShippingZone[];
  onClose: () => void;
}) {
  const client = useQueryClient();
  const [draft, setDraft] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const set = (patch: Partial<RateDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const save = useMutation({
    mutationFn: (table: RateTable | null) =>
      unwrap(commands.setShippingRateTable(draft.methodId, draft.zoneId, draft.currency, table)),
    onSuccess: (_, table) => {
      toast.success(table ? 'Rate table saved' : 'Method no longer offered in that zone');
      void client.invalidateQueries({ queryKey: queryKeys.shippingSetup });
      onClose();
    },
    onError: (e) => setProblem(errorMessage(e)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const table = toTable(draft);
    if (typeof table === 'string') {
      setProblem(table);
      return;
    }
    setProblem(null);
    save.mutate(table);
  };
  const setBand = (i: number, patch: Partial<Band>) =>
    set({ bands: draft.bands.map((b, j) => (j === i ? { ...b, ...patch } : b)) });

  return (
    <FormDialog
      title="Rate table"
      description="What the method costs in this zone and currency."
      submitLabel="Save table"
      submitTestId="rate-table-submit"
      pending={save.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <div className="grid grid-cols-3 gap-3">
        <Field label="Method">
          {(p) => (
            <Select
              {...p}
              data-testid="rate-method"
              value={draft.methodId}
              onChange={(e) => set({ methodId: e.target.value })}
              options={methods.map((m) => ({ value: m.id, label: m.name }))}
            />
          )}
        </Field>
        <Field label="Zone">
          {(p) => (
            <Select
              {...p}
              data-testid="rate-zone"
              value={draft.zoneId}
              onChange={(e) => set({ zoneId: e.target.value })}
              options={zones.map((z) => ({ value: z.id, label: z.name }))}
            />
          )}
        </Field>
        <Field label="Currency">
          {(p) => (
            <Input
              {...p}
              data-testid="rate-currency"
              maxLength={3}
              value={draft.currency}
              onChange={(e) => set({ currency: e.target.value.toUpperCase() })}
            />
          )}
        </Field>
      </div>
      <Field label="Priced">
        {(p) => (
          <Select
            {...p}
            data-testid="rate-basis"
            value={draft.basis}
            onChange={(e) => set({ basis: e.target.value as Basis })}
            options={[
              { value: 'flat', label: 'One price' },
              { value: 'per_kg', label: 'Base price plus a price per kg' },
              { value: 'weight_bands', label: 'By weight band' },
            ]}
          />
        )}
      </Field>
      {draft.basis !== 'weight_bands' ? (
        <div className="grid grid-cols-2 gap-3">
          <Field label={draft.basis === 'flat' ? 'Price' : 'Base price'}>
            {(p) => (
              <Input
                {...p}
                data-testid="rate-amount"
                inputMode="decimal"
                value={draft.amount}
                onChange={(e) => set({ amount: e.target.value })}
              />
            )}
          </Field>
          {draft.basis === 'per_kg' && (
            <Field label="Per kg" hint="Charged to the gram, rounded up">
              {(p) => (
                <Input
                  {...p}
                  data-testid="rate-per-kg"
                  inputMode="decimal"
                  value={draft.perKg}
                  onChange={(e) => set({ perKg: e.target.value })}
                />
              )}
            </Field>
          )}
        </div>
      ) : (
        <fieldset className="flex flex-col gap-2" data-testid="rate-bands">
          <legend className="text-sm font-medium text-fg-muted">Bands, lightest first</legend>
          {draft.bands.map((b, i) => (
            <div key={i} className="flex items-center gap-2">
              <Input
                aria-label={`Band ${i + 1} up to grams`}
                placeholder="Up to g (empty: any heavier)"
                inputMode="numeric"
                value={b.upTo}
                onChange={(e) => setBand(i, { upTo: e.target.value })}
              />
              <Input
                aria-label={`Band ${i + 1} price`}
                placeholder="Price"
                inputMode="decimal"
                value={b.price}
                onChange={(e) => setBand(i, { price: e.target.value })}
              />
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Remove band ${i + 1}`}
                onClick={() => set({ bands: draft.bands.filter((_, j) => j !== i) })}
              >
                ×
              </Button>
            </div>
          ))}
          <Button
            size="sm"
            variant="secondary"
            data-testid="add-band"
            onClick={() => set({ bands: [...draft.bands, { upTo: '', price: '' }] })}
          >
            Add band
          </Button>
        </fieldset>
      )}
      <Field label="Free over" hint="Goods worth at least this ship free (empty: never)">
        {(p) => (
          <Input
            {...p}
            data-testid="rate-free-over"
            inputMode="decimal"
            value={draft.freeOver}
            onChange={(e) => set({ freeOver: e.target.value })}
          />
        )}
      </Field>
      {problem && (
        <p className="text-sm text-danger-text" role="alert" data-testid="rate-table-error">
          {problem}
        </p>
      )}
      <Button
        size="sm"
        variant="ghost"
        className="self-start text-danger-text"
        data-testid="rate-table-remove"
        disabled={save.isPending}
        onClick={() => save.mutate(null)}
      >
        Stop offering it here
      </Button>
    </FormDialog>
  );
}
