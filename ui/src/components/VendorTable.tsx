import type { ReactNode } from 'react';
import { cn } from '../lib/cn';
import type { EmptyStateProps } from './EmptyState';
import { UsersIcon } from './icons';
import { QueryList, type ListQuery } from './QueryList';
import { SimpleTable, type SimpleTableColumn } from './SimpleTable';

/**
 * A list of every vendor as the core answered it: a skeleton, its error, “No vendors yet”,
 * the screen's own no-match state, else the table — dimmed while the next answer loads.
 */
export function VendorTable({
  query,
  total,
  matching,
  noMatch,
  columns,
  'data-testid': testId,
  children,
}: {
  query: ListQuery & { isPlaceholderData: boolean };
  total: number;
  matching: number;
  noMatch: EmptyStateProps;
  columns: readonly SimpleTableColumn[];
  'data-testid': string;
  /** The table's rows. */
  children: ReactNode;
}) {
  return (
    <QueryList
      query={query}
      loadingLabel="Loading vendors"
      errorTitle="Could not load the vendors"
      total={total}
      empty={{
        icon: <UsersIcon size={20} />,
        title: 'No vendors yet',
        description: 'Vendors appear here once they have signed up.',
      }}
      matching={matching}
      noMatch={noMatch}
    >
      <div
        className={cn('overflow-x-auto', query.isPlaceholderData && 'opacity-60 transition-opacity')}
        aria-busy={query.isPlaceholderData || undefined}
      >
        <SimpleTable data-testid={testId} columns={columns}>
          <tbody>{children}</tbody>
        </SimpleTable>
      </div>
    </QueryList>
  );
}
