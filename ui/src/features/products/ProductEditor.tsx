import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import {
  commands,
  type DraftProblem,
  type ProductDraft,
  type ProductOption,
  type ProductSave,
} from '../../bindings';
import { Button } from '../../components/Button';
import { Dialog, DialogClose } from '../../components/Dialog';
import { QueryErrorState } from '../../components/ErrorState';
import { PlusIcon } from '../../components/icons';
import { controlClasses, Field, Input } from '../../components/Input';
import { Select } from '../../components/Select';
import { Skeleton } from '../../components/Skeleton';
import { toast } from '../../components/toast';
import { cn } from '../../lib/cn';
import { errorMessage } from '../../lib/errors';
import { unwrap } from '../../lib/ipc';
import { ProductImages } from './ProductImages';
import { VariantGrid, variantLabel } from './VariantGrid';

/** What the editor opens: an existing product by id, or a new one for the signed-in vendor. */
export type EditorTarget = { kind: 'edit'; id: string } | { kind: 'new' };

const FIELD_LABELS: Record<string, string> = {
  sku: 'SKU',
  barcode: 'barcode',
  price_minor: 'price',
  compare_at_price_minor: '“was” price',
  weight_grams: 'weight',
  length_mm: 'length',
  width_mm: 'width',
  height_mm: 'height',
  low_stock_threshold: 'low-stock level',
  initial_stock: 'stock',
  options: 'option values',
  id: 'row',
};

/** A problem's field in words: `variants[2].sku` → 'S / Red: SKU'. */
function problemLabel(draft: ProductDraft, field: string): string {
  const row = /^variants\[(\d+)\]\.(\w+)$/.exec(field);
  if (row) {
    const v = draft.variants[Number(row[1])];
    const where = v ? variantLabel(draft.options, v) : `Row ${Number(row[1]) + 1}`;
    return `${where}: ${FIELD_LABELS[row[2] ?? ''] ?? row[2]}`;
  }
  const option = /^options\[(\d+)\]\.(\w+)$/.exec(field);
  if (option) return `Option ${Number(option[1]) + 1}: ${option[2] === 'name' ? 'name' : 'values'}`;
  return field.replace('_id', '').replace(/^\w/, (c) => c.toUpperCase());
}

type OptionText = { name: string; values: string };

function committed(rows: readonly OptionText[]): ProductOption[] {
  return rows.map((r) => ({
    name: r.name.trim(),
    values: r.values
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== ''),
  }));
}

/**
 * The options as typed; they are handed on (and the variants made again by the core) when a
 * field is left, not on every key.
 */
function OptionsEditor({
  options,
  problems,
  onChange,
}: {
  options: readonly ProductOption[];
  problems: ReadonlyMap<string, string>;
  onChange: (next: ProductOption[]) => void;
}) {
  const [rows, setRows] = useState<OptionText[]>(() =>
    options.map((o) => ({ name: o.name, values: o.values.join(', ') })),
  );
  const edit = (i: number, next: Partial<OptionText>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...next } : r)));
  const commit = (next: readonly OptionText[] = rows) => {
    const made = committed(next);
    if (JSON.stringify(made) !== JSON.stringify(options)) onChange(made);
  };
  return (
    <div className="flex flex-col gap-2" data-testid="product-options">
      {rows.map((r, i) => (
        <div key={i} className="flex items-start gap-2">
          <Field label={`Option ${i + 1}`} error={problems.get(`options[${i}].name`)} className="w-40">
            {(p) => (
              <Input
                {...p}
                data-testid={`option-${i}-name`}
                value={r.name}
                placeholder="Size"
                onChange={(e) => edit(i, { name: e.target.value })}
                onBlur={() => commit()}
              />
            )}
          </Field>
          <Field
            label="Values, separated by commas"
            error={problems.get(`options[${i}].values`)}
            className="flex-1"
          >
            {(p) => (
              <Input
                {...p}
                data-testid={`option-${i}-values`}
                value={r.values}
                placeholder="S, M, L"
                onChange={(e) => edit(i, { values: e.target.value })}
                onBlur={() => commit()}
              />
            )}
          </Field>
          <Button
            variant="ghost"
            className="mt-6"
            aria-label={`Remove option ${i + 1}`}
            onClick={() => {
              const next = rows.filter((_, j) => j !== i);
              setRows(next);
              commit(next);
            }}
          >
            Remove
          </Button>
        </div>
      ))}
      {rows.length < 3 && (
        <Button
          variant="secondary"
          size="sm"
          icon={<PlusIcon />}
          className="self-start"
          data-testid="add-option"
          onClick={() => setRows([...rows, { name: '', values: '' }])}
        >
          Add option
        </Button>
      )}
    </div>
  );
}

function EditorForm({
  start,
  existingIds,
  reviewNote,
  imagesOf,
  onSaved,
}: {
  start: ProductSave;
  existingIds: ReadonlySet<string>;
  reviewNote: string | null;
  /** The saved product whose gallery to show (a new product gets images once saved). */
  imagesOf: string | null;
  onSaved: (version: number) => void;
}) {
  const client = useQueryClient();
  const [save, setSave] = useState(start);
  const [problems, setProblems] = useState<DraftProblem[]>([]);
  const draft = save.draft;
  const categories = useQuery({
    queryKey: ['products', 'categories'],
    queryFn: () => unwrap(commands.categoryChoices()),
  });
  const byField = useMemo(() => new Map(problems.map((p) => [p.field, p.message])), [problems]);
  const setDraft = (next: Partial<ProductDraft>) =>
    setSave((s) => ({ ...s, draft: { ...s.draft, ...next } }));

  const regenerate = async (options: ProductOption[]) => {
    const stem = draft.variants[0]?.sku.split('-')[0] || draft.name.slice(0, 8);
    try {
      const variants = await unwrap(commands.productVariantsForOptions(options, draft.variants, stem));
      setDraft({ options, variants });
    } catch (e) {
      toast.error(errorMessage(e));
    }
  };

  const submit = useMutation({
    mutationFn: async () => {
      const found = await unwrap(commands.checkProduct(save));
      setProblems(found);
      if (found.length > 0) return null;
      return unwrap(commands.saveProduct(save));
    },
    onSuccess: (version) => {
      if (version === null) return;
      void client.invalidateQueries({ queryKey: ['products'] });
      onSaved(version);
    },
    onError: (e) => toast.error(errorMessage(e), { description: 'Nothing was saved.' }),
  });

  return (
    <form
      id="product-editor"
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        submit.mutate();
      }}
    >
      {reviewNote && (
        <p className="rounded-md bg-warning-soft px-3 py-2 text-sm" data-testid="review-note">
          <span className="font-medium">The reviewer asked: </span>
          {reviewNote}
        </p>
      )}
      <div className="grid grid-cols-[1fr_14rem_6rem] gap-3">
        <Field label="Name" error={byField.get('name')}>
          {(p) => (
            <Input
              {...p}
              autoFocus
              data-testid="product-name"
              value={draft.name}
              onChange={(e) => setDraft({ name: e.target.value })}
            />
          )}
        </Field>
        <Field label="Category" error={byField.get('category_id')}>
          {(p) => (
            <Select
              {...p}
              data-testid="product-category"
              value={draft.category_id}
              disabled={!categories.data}
              onChange={(e) => setDraft({ category_id: e.target.value })}
              options={(categories.data ?? []).map((c) => ({
                value: c.id,
                label: `${'  '.repeat(Number(c.depth))}${c.name}`,
              }))}
            />
          )}
        </Field>
        <Field label="Currency">
          {(p) => (
            <Input
              {...p}
              maxLength={3}
              value={draft.currency}
              onChange={(e) => setDraft({ currency: e.target.value.toUpperCase() })}
            />
          )}
        </Field>
      </div>
      <Field label="Description" error={byField.get('description')}>
        {(p) => (
          <textarea
            {...p}
            rows={3}
            data-testid="product-description"
            value={draft.description}
            onChange={(e) => setDraft({ description: e.target.value })}
            className={cn(controlClasses, 'h-auto py-1.5')}
          />
        )}
      </Field>
      {imagesOf ? (
        <ProductImages productId={imagesOf} />
      ) : (
        <p className="text-sm text-fg-subtle">Save the product to add its images.</p>
      )}
      <section className="flex flex-col gap-2">
        <h3 className="text-sm font-semibold">Options</h3>
        <OptionsEditor options={draft.options} problems={byField} onChange={(o) => void regenerate(o)} />
      </section>
      <section className="flex flex-col gap-2">
        <h3 className="text-sm font-semibold">
          Variants <span className="font-normal text-fg-muted">({draft.variants.length})</span>
        </h3>
        <VariantGrid
          options={draft.options}
          variants={draft.variants}
          currency={draft.currency}
          existingIds={existingIds}
          problems={byField}
          onChange={(i, v) => setDraft({ variants: draft.variants.map((x, j) => (j === i ? v : x)) })}
        />
      </section>
      {problems.length > 0 && (
        <div
          role="alert"
          className="rounded-md bg-danger-soft px-3 py-2 text-sm text-danger-text"
          data-testid="product-problems"
        >
          <p className="font-medium">
            {problems.length === 1 ? 'One thing to fix' : `${problems.length} things to fix`} before saving:
          </p>
          <ul className="mt-1 list-disc pl-5">
            {problems.map((p) => (
              <li key={`${p.field}|${p.message}`}>
                <span className="font-medium">{problemLabel(draft, p.field)}</span> — {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <SaveFooter pending={submit.isPending} />
    </form>
  );
}

function SaveFooter({ pending }: { pending: boolean }) {
  return (
    <div className="flex justify-end gap-2 border-t border-line pt-3">
      <DialogClose asChild>
        <Button disabled={pending}>Cancel</Button>
      </DialogClose>
      <Button variant="primary" type="submit" loading={pending} data-testid="product-save">
        Save
      </Button>
    </div>
  );
}

/** The product editor: name, category, description, options and the variants they make. */
export function ProductEditor({
  target,
  onClose,
}: {
  target: EditorTarget;
  onClose: (saved: boolean) => void;
}) {
  const opened = useQuery({
    queryKey: ['products', 'editor', target.kind === 'edit' ? target.id : 'new'],
    queryFn: async () => {
      if (target.kind === 'new') {
        const save = await unwrap(commands.newProduct(null));
        return { save, existing: new Set<string>(), note: null, title: 'New product' };
      }
      const edit = await unwrap(commands.productForEditing(target.id));
      return {
        save: { product_id: edit.product_id, version: edit.version, draft: edit.draft } satisfies ProductSave,
        existing: new Set(edit.draft.variants.map((v) => v.id)),
        note: edit.review_note,
        title: `Edit “${edit.draft.name}”`,
      };
    },
    staleTime: Infinity,
    gcTime: 0,
  });

  return (
    <Dialog
      open
      size="xl"
      onOpenChange={(open) => !open && onClose(false)}
      title={opened.data?.title ?? 'Product'}
      description="Saved products stay drafts until you send them for review."
    >
      {opened.isPending ? (
        <Skeleton className="h-64" />
      ) : opened.isError ? (
        <QueryErrorState query={opened} />
      ) : (
        <EditorForm
          start={opened.data.save}
          existingIds={opened.data.existing}
          reviewNote={opened.data.note}
          imagesOf={target.kind === 'edit' ? target.id : null}
          onSaved={() => {
            toast.success(target.kind === 'new' ? 'Product created' : 'Product saved', {
              description:
                target.kind === 'new' ? 'It is a draft: send it for review when it is ready.' : undefined,
            });
            onClose(true);
          }}
        />
      )}
    </Dialog>
  );
}
