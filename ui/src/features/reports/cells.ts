import type { ColumnKind, ReportColumn, ReportSort, ReportValue } from '../../bindings';
import { formatBasisPoints, formatMoney, formatNumber } from '../../lib/format';

/** One cell of a report table; null when empty. */
export type Cell = ReportValue | null;

/** The column of the payout reconciliation naming what is wrong with a payout (empty when nothing). */
export const ISSUE_COLUMN = 'issue';

/** Counts, money and rates: right-aligned, and sorted largest first on a first click. */
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

/** The sort after a click on `column`'s header: the other direction, or (a new column) numbers largest first. */
export function nextSort(current: ReportSort | null, column: ReportColumn): ReportSort {
  if (current?.key === column.key) return { key: column.key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key: column.key, dir: isNumeric(column.kind) ? 'desc' : 'asc' };
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
