import type { ReportColumn, ReportSort, ReportTable } from '../../bindings';
import { ariaSort, SortIndicator } from '../../components/SortIndicator';
import { cn } from '../../lib/cn';
import { type Cell, formatCell, hasIssue, ISSUE_COLUMN, isNumeric, nextSort } from './cells';

function cellClass(column: ReportColumn, first: boolean, last: boolean) {
  return cn(
    'px-2 py-1.5 whitespace-nowrap',
    first && 'pl-4',
    last && 'pr-4',
    isNumeric(column.kind) ? 'text-right tabular-nums' : 'max-w-80 truncate text-left',
  );
}

function Row({
  cells,
  table,
  className,
  ...props
}: {
  cells: readonly Cell[];
  table: ReportTable;
  className?: string;
  'data-testid'?: string;
  'data-issue'?: boolean;
}) {
  const { columns, currency } = table;
  return (
    <tr className={className} {...props}>
      {columns.map((column, c) => {
        const text = formatCell(cells[c] ?? null, column.kind, currency);
        return (
          <td
            key={column.key}
            data-col={column.key}
            title={isNumeric(column.kind) || text === '' ? undefined : text}
            className={cellClass(column, c === 0, c === columns.length - 1)}
          >
            {text}
          </td>
        );
      })}
    </tr>
  );
}

/**
 * A report's table: one column per `columns` (numbers right-aligned), its rows in the order
 * the core returned them — a click on a header asks the core for another order (`onSort`) —
 * and the totals row kept in view at the bottom. Rows naming an issue (payout
 * reconciliation) are highlighted.
 */
export function ReportGrid({
  table,
  sort,
  onSort,
  labelledBy,
}: {
  table: ReportTable;
  sort: ReportSort | null;
  onSort: (sort: ReportSort) => void;
  labelledBy?: string;
}) {
  const { columns } = table;
  const issueAt = columns.findIndex((c) => c.key === ISSUE_COLUMN);

  return (
    <table
      data-testid="report-table"
      aria-labelledby={labelledBy}
      className="w-full border-separate border-spacing-0 text-base"
    >
      <thead>
        <tr>
          {columns.map((column, c) => {
            const dir = sort?.key === column.key ? sort.dir : null;
            const numeric = isNumeric(column.kind);
            return (
              <th
                key={column.key}
                scope="col"
                data-col={column.key}
                aria-sort={ariaSort(dir)}
                className={cn(
                  cellClass(column, c === 0, c === columns.length - 1),
                  'sticky top-0 z-10 border-b border-line bg-surface py-1 text-sm font-medium text-fg-subtle',
                )}
              >
                <button
                  type="button"
                  data-testid={`report-sort-${column.key}`}
                  onClick={() => onSort(nextSort(sort, column))}
                  className={cn(
                    '-mx-1.5 inline-flex items-center gap-1 rounded-sm px-1.5 py-0.5 hover:bg-raised hover:text-fg',
                    dir && 'text-fg',
                    numeric && 'flex-row-reverse',
                  )}
                >
                  <span className="whitespace-nowrap">{column.label}</span>
                  <SortIndicator dir={dir} />
                </button>
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row, index) => {
          const issue = hasIssue(row, issueAt);
          return (
            <Row
              key={index}
              cells={row}
              table={table}
              data-testid="report-row"
              data-issue={issue || undefined}
              className={cn(
                '[&>td]:border-b [&>td]:border-line',
                issue ? 'bg-warning-soft text-fg [&>td[data-col=issue]]:text-warning' : 'hover:bg-raised',
              )}
            />
          );
        })}
      </tbody>
      {table.totals && (
        <tfoot>
          <Row
            cells={table.totals}
            table={table}
            data-testid="report-total-row"
            className="font-semibold [&>td]:sticky [&>td]:bottom-0 [&>td]:border-t [&>td]:border-line-strong [&>td]:bg-canvas"
          />
        </tfoot>
      )}
    </table>
  );
}
