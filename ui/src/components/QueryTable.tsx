import type { ReactNode } from 'react';
import type { EmptyStateProps } from './EmptyState';
import { QueryList, type ListQuery } from './QueryList';
import { SimpleTable, type SimpleTableColumn } from './SimpleTable';

export type QueryTableProps<T> = {
  /** The query the rows came from: its loading and error states are shown for it. */
  query: ListQuery;
  /** The rows it gave (all of them: a small list shown at once). */
  rows: readonly T[];
  /** The skeleton's label while it loads, e.g. 'Reading the boxes'. */
  loadingLabel: string;
  /** The error state's title when it fails. */
  errorTitle: ReactNode;
  /** Shown when there are no rows. */
  empty: EmptyStateProps;
  columns: readonly SimpleTableColumn[];
  /** One `<tr>` per row, keyed. */
  renderRow: (row: T) => ReactNode;
  'data-testid'?: string;
};

/**
 * A small list read by one query, as a plain table: a skeleton while it loads, its error, an
 * empty state, else a header of `columns` above a row per item. For the settings-style lists of
 * dialogs (boxes, bins, day closes); long lists that page use a DataGrid.
 */
export function QueryTable<T>({
  query,
  rows,
  loadingLabel,
  errorTitle,
  empty,
  columns,
  renderRow,
  'data-testid': testId,
}: QueryTableProps<T>) {
  return (
    <QueryList
      query={query}
      loadingLabel={loadingLabel}
      errorTitle={errorTitle}
      total={rows.length}
      empty={empty}
    >
      <SimpleTable columns={columns} data-testid={testId}>
        <tbody>{rows.map(renderRow)}</tbody>
      </SimpleTable>
    </QueryList>
  );
}
