import { useState, type KeyboardEvent } from 'react';
import type { ProductOption, VariantDraft } from '../../bindings';
import { Input } from '../../components/Input';
import { cn } from '../../lib/cn';
import { currencyDigits, parseMoney } from '../../lib/format';

/** The editable columns, in the order the arrow keys walk them. */
const COLUMNS = [
  { key: 'sku', label: 'SKU', width: 'w-32' },
  { key: 'barcode', label: 'Barcode', width: 'w-36' },
  { key: 'price_minor', label: 'Price', width: 'w-24' },
  { key: 'compare_at_price_minor', label: 'Was', width: 'w-24' },
  { key: 'weight_grams', label: 'Weight g', width: 'w-20' },
  { key: 'length_mm', label: 'L mm', width: 'w-16' },
  { key: 'width_mm', label: 'W mm', width: 'w-16' },
  { key: 'height_mm', label: 'H mm', width: 'w-16' },
  { key: 'low_stock_threshold', label: 'Low at', width: 'w-16' },
  { key: 'initial_stock', label: 'Stock', width: 'w-16' },
] as const;

type ColumnKey = (typeof COLUMNS)[number]['key'];
const MONEY = new Set<ColumnKey>(['price_minor', 'compare_at_price_minor']);
const OPTIONAL = new Set<ColumnKey>([
  'barcode',
  'compare_at_price_minor',
  'length_mm',
  'width_mm',
  'height_mm',
]);

/** Minor units as a person types the amount: 1500 → '15.00' (no symbol, no grouping). */
function plainAmount(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${minor < 0 ? '-' : ''}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

function shown(v: VariantDraft, key: ColumnKey, currency: string): string {
  const value = v[key];
  if (value === null || value === undefined) return '';
  if (MONEY.has(key)) return plainAmount(value as number, currency);
  return String(value);
}

/** What typed text becomes in the draft, or `undefined` when it is not a value of that column. */
function read(key: ColumnKey, text: string, currency: string): VariantDraft[ColumnKey] | undefined {
  const t = text.trim();
  if (t === '' && OPTIONAL.has(key)) return null;
  if (key === 'sku' || key === 'barcode') return t;
  if (MONEY.has(key)) return parseMoney(t, currency) ?? undefined;
  return /^-?\d{1,9}$/.test(t) ? Number(t) : undefined;
}

/** The row's label: its option values in the options' order. */
export function variantLabel(options: readonly ProductOption[], v: VariantDraft): string {
  const parts = options.map((o) => v.options[o.name.trim()]).filter((x): x is string => !!x);
  return parts.length ? parts.join(' / ') : 'Default';
}

function Cell({
  variant,
  column,
  row,
  col,
  currency,
  problem,
  existing,
  onChange,
}: {
  variant: VariantDraft;
  column: (typeof COLUMNS)[number];
  row: number;
  col: number;
  currency: string;
  problem: string | undefined;
  existing: boolean;
  onChange: (value: VariantDraft[ColumnKey]) => void;
}) {
  const [text, setText] = useState<string | null>(null);
  const value = text ?? shown(variant, column.key, currency);
  const unreadable = text !== null && read(column.key, text, currency) === undefined;
  const readOnly = column.key === 'initial_stock' && existing;
  const move = (e: KeyboardEvent<HTMLInputElement>) => {
    const step =
      e.key === 'ArrowDown' || (e.key === 'Enter' && !e.shiftKey) ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    if (step === 0) return;
    const next = document.querySelector<HTMLInputElement>(`[data-cell="${row + step}:${col}"]`);
    if (next) {
      e.preventDefault();
      next.focus();
      next.select();
    }
  };
  return (
    <td className="px-1 py-0.5">
      <Input
        aria-label={`${column.label}, row ${row + 1}`}
        data-cell={`${row}:${col}`}
        data-testid={`variant-${row}-${column.key}`}
        className={cn('h-7 px-1.5 font-mono text-sm', column.width)}
        value={value}
        readOnly={readOnly}
        title={
          readOnly ? 'Stock of an existing variant changes by adjustments, from the product panel' : problem
        }
        invalid={unreadable || !!problem}
        inputMode={column.key === 'sku' || column.key === 'barcode' ? undefined : 'decimal'}
        onKeyDown={move}
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => {
          setText(e.target.value);
          const parsed = read(column.key, e.target.value, currency);
          if (parsed !== undefined) onChange(parsed);
        }}
        onBlur={() => {
          if (!unreadable) setText(null);
        }}
      />
    </td>
  );
}

/**
 * The variants as a grid edited by keyboard: Tab walks a row, ↑/↓ and Enter walk a column.
 * Problems the core found are marked on their cells and listed under the grid.
 */
export function VariantGrid({
  options,
  variants,
  currency,
  existingIds,
  problems,
  onChange,
}: {
  options: readonly ProductOption[];
  variants: readonly VariantDraft[];
  currency: string;
  existingIds: ReadonlySet<string>;
  problems: ReadonlyMap<string, string>;
  onChange: (index: number, next: VariantDraft) => void;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-line">
      <table className="w-full text-sm" data-testid="variant-grid">
        <thead className="bg-raised text-left text-xs text-fg-muted">
          <tr>
            <th className="px-2 py-1 font-medium">Variant</th>
            {COLUMNS.map((c) => (
              <th key={c.key} className="px-1 py-1 font-medium">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {variants.map((v, row) => (
            <tr key={v.id} className="border-t border-line">
              <th scope="row" className="px-2 py-0.5 text-left font-medium whitespace-nowrap">
                {variantLabel(options, v)}
              </th>
              {COLUMNS.map((column, col) => (
                <Cell
                  key={column.key}
                  variant={v}
                  column={column}
                  row={row}
                  col={col}
                  currency={currency}
                  existing={existingIds.has(v.id)}
                  problem={problems.get(`variants[${row}].${column.key}`)}
                  onChange={(value) => onChange(row, { ...v, [column.key]: value })}
                />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
