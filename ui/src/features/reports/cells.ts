import type { ColumnKind, ReportColumn, ReportValue } from '../../bindings';
import { formatBasisPoints, formatMoney, formatNumber } from '../../lib/format';

/** One cell of a report table; null when empty. */
export type Cell = ReportValue | null;

/** The column of the payout reconciliation naming what is wrong with a payout (empty when nothing). */
export const ISSUE_COLUMN = 'issue';

/** Counts, money and rates: right-aligned, sorted as numbers. */
export const isNumeric = (kind: ColumnKind): boolean => kind !== 'text';

/**
 * A cell as shown: money (minor units) in the table's currency, rates (basis points) as
 * percentages, counts with the locale's grouping, text as it is; '' for an empty cell.
 */
export function formatCell(value: Cell, kind: ColumnKind, currency: string | null): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  switch (kind) {
    case 'money':
      return currency === null ? formatNumber(value) : formatMoney(value, currency);
    case 'percent':
      return formatBasisPoints(value);
    case 'count':
      return formatNumber(value);
    case 'text':
      return String(value);
  }
}

export type TableSort = { key: string; dir: 'asc' | 'desc' };

/** The sort after a click on `column`'s header: the other direction, or (a new column) numbers largest first. */
export function nextSort(current: TableSort | null, column: ReportColumn): TableSort {
  if (current?.key === column.key) return { key: column.key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key: column.key, dir: isNumeric(column.kind) ? 'desc' : 'asc' };
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Numbers before text; numbers by value, text in the locale's order. */
function compareValues(a: ReportValue, b: ReportValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return collator.compare(a, b);
}

export type IndexedRow = { row: readonly Cell[]; index: number };

/**
 * The rows with their place in the report, sorted by a column (in the report's own order
 * without one). Empty cells go last either way; ties keep the report's order.
 */
export function sortRows(
  rows: readonly (readonly Cell[])[],
  columns: readonly ReportColumn[],
  sort: TableSort | null,
): IndexedRow[] {
  const indexed = rows.map((row, index) => ({ row, index }));
  const at = sort ? columns.findIndex((c) => c.key === sort.key) : -1;
  if (!sort || at < 0) return indexed;
  const sign = sort.dir === 'asc' ? 1 : -1;
  return indexed.sort((x, y) => {
    const a = x.row[at] ?? null;
    const b = y.row[at] ?? null;
    if (a === null || b === null) return a === b ? x.index - y.index : a === null ? 1 : -1;
    return sign * compareValues(a, b) || x.index - y.index;
  });
}

/** How many rows name an issue (the payout reconciliation); null for a table without an issue column. */
export function issueCount(
  columns: readonly ReportColumn[],
  rows: readonly (readonly Cell[])[],
): number | null {
  const at = columns.findIndex((c) => c.key === ISSUE_COLUMN);
  if (at < 0) return null;
  return rows.filter((row) => hasIssue(row, at)).length;
}

/** Whether the row names an issue in column `at` (-1: the table has no issue column). */
export function hasIssue(row: readonly Cell[], at: number): boolean {
  const cell = at < 0 ? null : (row[at] ?? null);
  return cell !== null && cell !== '';
}
