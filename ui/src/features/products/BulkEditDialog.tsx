import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  commands,
  type BulkChange,
  type BulkReport,
  type ProductFilter,
  type ProductStep,
  type StockMovementKind,
} from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Dialog, DialogClose } from '../../components/Dialog';
import { Input } from '../../components/Input';
import { InlineError } from '../../components/InlineError';
import { Select } from '../../components/Select';
import { ScrollingTable } from '../../components/SimpleTable';
import { toast } from '../../components/toast';
import { formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { useMe } from '../session/session';
import { parseDelta } from './StockControls';

type Kind = BulkChange['kind'];

const KIND_LABELS: Record<Kind, string> = {
  price_percent: 'Move prices by a percentage',
  price_set: 'Set every price',
  category: 'File under a category',
  step: 'Send for review, archive or restore',
  stock: 'Move every variant’s stock',
};

const STEP_LABELS: Record<ProductStep, string> = {
  submit: 'Send for review',
  archive: 'Archive',
  restore: 'Restore',
};

/** '10', '-5', '+2.5' as basis points (1000, -500, 250), without floating point; null when not a percentage. */
export function percentToBps(text: string): number | null {
  const m = /^([+-]?)(\d{1,4})(?:[.,](\d{1,2}))?$/.exec(text.trim().replace('%', '').trim());
  if (!m) return null;
  const bps = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return bps === 0 ? null : m[1] === '-' ? -bps : bps;
}

/**
 * One change to every product of the list as filtered now (every page, not only the rows on
 * screen): the core previews how many products and variants change and which cannot, and the
 * change is made only for the number confirmed, all or nothing.
 */
export function BulkEditDialog({ filter, onClose }: { filter: ProductFilter; onClose: () => void }) {
  const me = useMe();
  const kinds: Kind[] =
    me.role === 'logistics' ? ['stock'] : ['price_percent', 'price_set', 'category', 'step', 'stock'];
  const [kind, setKind] = useState<Kind>(kinds[0] ?? 'stock');
  const [value, setValue] = useState('');
  const [category, setCategory] = useState('');
  const [step, setStep] = useState<ProductStep>('archive');
  const [reason, setReason] = useState<StockMovementKind>('received');
  const [note, setNote] = useState('');
  const [report, setReport] = useState<BulkReport | null>(null);
  const categories = useQuery({
    queryKey: ['products', 'categories'],
    queryFn: () => unwrap(commands.categoryChoices()),
    enabled: kind === 'category',
  });
  const reasons = useQuery({
    queryKey: queryKeys.stockReasons,
    queryFn: () => unwrap(commands.stockReasons()),
    staleTime: Infinity,
    enabled: kind === 'stock',
  });

  const change = ((): BulkChange | null => {
    switch (kind) {
      case 'price_percent': {
        const bps = percentToBps(value);
        return bps === null ? null : { kind, bps };
      }
      case 'price_set':
        return value.trim() === '' ? null : { kind, price: value.trim() };
      case 'category':
        return category === '' ? null : { kind, category_id: category };
      case 'step':
        return { kind, step };
      case 'stock': {
        const delta = parseDelta(value);
        return delta === null ? null : { kind, reason, delta, note: note.trim() === '' ? null : note.trim() };
      }
    }
  })();

  const edited = (fn: () => void) => {
    fn();
    setReport(null);
  };
  const preview = useMutation({
    mutationFn: (c: BulkChange) => unwrap(commands.bulkEditProducts(filter, c, false, null)),
    onSuccess: setReport,
  });
  const apply = useMutation({
    mutationFn: ({ c, expected }: { c: BulkChange; expected: number }) =>
      unwrap(commands.bulkEditProducts(filter, c, true, expected)),
    onSuccess: (r) => {
      if (r.applied) {
        toast.success(`${formatNumber(r.changed)} products changed`, {
          description: `${formatNumber(r.variants)} variants; ${formatNumber(r.unchanged)} were already so.`,
        });
        onClose();
      } else {
        setReport(r);
      }
    },
  });
  const failure = preview.error ?? apply.error;
  const ready = report !== null && report.refused === 0 && report.changed > 0 && change !== null;

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      size="lg"
      title="Change every product in this list"
      description="Every product the filters match now — not only the rows on screen. Preview first; the change is made for the number you confirm, to every product or none."
      footer={
        <>
          <DialogClose asChild>
            <Button data-testid="bulk-cancel">Cancel</Button>
          </DialogClose>
          <Button
            data-testid="bulk-preview"
            disabled={change === null}
            loading={preview.isPending}
            onClick={() => change && preview.mutate(change)}
          >
            Preview
          </Button>
          <Button
            variant="primary"
            data-testid="bulk-apply"
            disabled={!ready}
            loading={apply.isPending}
            onClick={() => report && change && apply.mutate({ c: change, expected: report.matched })}
          >
            {ready ? `Change ${formatNumber(report.changed)} products` : 'Change'}
          </Button>
        </>
      }
    >
      <div className="grid grid-cols-[10rem_1fr] items-center gap-x-3 gap-y-2">
        <label htmlFor="bulk-kind" className="text-sm text-fg-muted">
          Change
        </label>
        <Select
          id="bulk-kind"
          data-testid="bulk-kind"
          value={kind}
          onChange={(e) => edited(() => setKind(e.target.value as Kind))}
          options={kinds.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
        />
        {(kind === 'price_percent' || kind === 'price_set' || kind === 'stock') && (
          <>
            <label htmlFor="bulk-value" className="text-sm text-fg-muted">
              {kind === 'price_percent' ? 'By (%)' : kind === 'price_set' ? 'Price' : 'Units (+5, −2)'}
            </label>
            <Input
              id="bulk-value"
              data-testid="bulk-value"
              inputMode="decimal"
              value={value}
              placeholder={kind === 'price_percent' ? '10 or -5' : kind === 'price_set' ? '12.50' : '+5'}
              onChange={(e) => edited(() => setValue(e.target.value))}
            />
          </>
        )}
        {kind === 'category' && (
          <>
            <label htmlFor="bulk-category" className="text-sm text-fg-muted">
              Category
            </label>
            <Select
              id="bulk-category"
              data-testid="bulk-category"
              value={category}
              placeholder="Choose a category"
              onChange={(e) => edited(() => setCategory(e.target.value))}
              options={(categories.data ?? []).map((c) => ({
                value: c.id,
                label: `${'\u2003'.repeat(Number(c.depth))}${c.name}`,
              }))}
            />
          </>
        )}
        {kind === 'step' && (
          <>
            <label htmlFor="bulk-step" className="text-sm text-fg-muted">
              Step
            </label>
            <Select
              id="bulk-step"
              data-testid="bulk-step"
              value={step}
              onChange={(e) => edited(() => setStep(e.target.value as ProductStep))}
              options={(['submit', 'archive', 'restore'] as const).map((s) => ({
                value: s,
                label: STEP_LABELS[s],
              }))}
            />
          </>
        )}
        {kind === 'stock' && (
          <>
            <label htmlFor="bulk-reason" className="text-sm text-fg-muted">
              Reason
            </label>
            <Select
              id="bulk-reason"
              data-testid="bulk-reason"
              value={reason}
              onChange={(e) => edited(() => setReason(e.target.value as StockMovementKind))}
              options={(reasons.data ?? []).map((r) => ({ value: r.kind, label: r.label }))}
            />
            <label htmlFor="bulk-note" className="text-sm text-fg-muted">
              Note
            </label>
            <Input id="bulk-note" value={note} onChange={(e) => edited(() => setNote(e.target.value))} />
          </>
        )}
      </div>
      {failure && (
        <div className="mt-3">
          <InlineError error={failure} title="The change could not be previewed" />
        </div>
      )}
      {report && (
        <div className="mt-4" data-testid="bulk-report">
          <p className="text-base" data-testid="bulk-summary">
            {formatNumber(report.matched)} products match: {formatNumber(report.changed)} change (
            {formatNumber(report.variants)} variants), {formatNumber(report.unchanged)} already so
            {report.refused > 0 ? `, ${formatNumber(report.refused)} cannot change` : ''}.
          </p>
          {report.refused > 0 && (
            <p className="mt-1 text-sm text-danger">Nothing will change until every product can.</p>
          )}
          <div className="mt-2">
            <ScrollingTable
              maxHeight="max-h-64"
              data-testid="bulk-outcomes"
              columns={[
                { label: 'Product', className: 'px-2 py-1' },
                { label: '', className: 'w-24 px-2 py-1' },
                { label: 'What happens', className: 'px-2 py-1' },
              ]}
            >
              <tbody>
                {report.outcomes.map((o) => (
                  <tr key={o.product_id} className="border-b border-line/60 last:border-0">
                    <td className="px-2 py-1">{o.name}</td>
                    <td className="px-2 py-1">
                      <Badge
                        tone={o.action === 'refused' ? 'danger' : o.action === 'update' ? 'info' : 'neutral'}
                      >
                        {o.action === 'refused' ? 'Cannot' : o.action === 'update' ? 'Changes' : 'As is'}
                      </Badge>
                    </td>
                    <td className="px-2 py-1 text-fg-muted">{o.detail}</td>
                  </tr>
                ))}
              </tbody>
            </ScrollingTable>
          </div>
        </div>
      )}
    </Dialog>
  );
}
