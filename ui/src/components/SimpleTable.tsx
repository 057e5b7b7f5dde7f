import type { ReactNode } from 'react';
import { cn } from '../lib/cn';

export type SimpleTableColumn = {
  label: ReactNode;
  /** Padding and alignment of the header cell. */
  className?: string;
};

/**
 * A small plain table (not a DataGrid): a header row of `columns` above the caller's
 * `<tbody>` (and `<tfoot>`), for a handful of rows shown all at once.
 */
export function SimpleTable({
  columns,
  headClassName,
  'data-testid': testId,
  children,
}: {
  columns: readonly SimpleTableColumn[];
  headClassName?: string;
  'data-testid'?: string;
  children: ReactNode;
}) {
  return (
    <table className="w-full text-base" data-testid={testId}>
      <thead className={headClassName}>
        <tr className="border-b border-line text-left text-sm text-fg-subtle">
          {columns.map((c, i) => (
            <th key={i} className={cn('font-medium', c.className)}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      {children}
    </table>
  );
}

/**
 * A SimpleTable in a bordered box that scrolls past `maxHeight` (a Tailwind class) with its
 * header row kept in view: a report of many rows inside a dialog.
 */
export function ScrollingTable({
  maxHeight = 'max-h-72',
  ...props
}: Omit<Parameters<typeof SimpleTable>[0], 'headClassName'> & { maxHeight?: string }) {
  return (
    <div className={cn('overflow-y-auto rounded-md border border-line', maxHeight)}>
      <SimpleTable headClassName="sticky top-0 bg-surface" {...props} />
    </div>
  );
}
