import type { ReactNode } from 'react';
import { EmptyState, type EmptyStateProps } from './EmptyState';
import { QueryErrorState, type FailedQuery } from './ErrorState';
import { TableSkeleton } from './Skeleton';

/** What QueryList needs of a TanStack query. */
export type ListQuery = FailedQuery & { isPending: boolean; isError: boolean };

export type QueryListProps = {
  query: ListQuery;
  /** The skeleton's label while it loads, e.g. 'Loading vendors'. */
  loadingLabel: string;
  /** The error state's title when it fails, e.g. 'Could not load the vendors'. */
  errorTitle: ReactNode;
  /** How many items the query gave. */
  total: number;
  /** Shown when there are none at all. */
  empty: EmptyStateProps;
  /** The table, once there is something to show. */
  children: ReactNode;
} & (
  | {
      /** How many are left after the screen's search and filters. */
      matching: number;
      /** Shown when there are some but none of them match. */
      noMatch: EmptyStateProps;
    }
  | { matching?: never; noMatch?: never }
);

/** A query's list: a skeleton while it loads, its error, an empty state, else the table. */
export function QueryList({
  query,
  loadingLabel,
  errorTitle,
  total,
  empty,
  matching,
  noMatch,
  children,
}: QueryListProps) {
  if (query.isPending) return <TableSkeleton label={loadingLabel} />;
  if (query.isError) return <QueryErrorState query={query} title={errorTitle} />;
  if (total === 0) return <EmptyState {...empty} />;
  if (noMatch && matching === 0) return <EmptyState {...noMatch} />;
  return children;
}
