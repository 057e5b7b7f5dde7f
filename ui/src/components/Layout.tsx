import type { ReactNode } from 'react';
import { cn } from '../lib/cn';

/** A screen: toolbar on top, content filling the rest. */
export function Screen({
  className,
  children,
  ...props
}: {
  className?: string;
  children: ReactNode;
  'data-testid'?: string;
}) {
  return (
    <div className={cn('flex min-h-0 flex-1 flex-col gap-3', className)} {...props}>
      {children}
    </div>
  );
}

/** Filters and search above a list; `end` goes to the right (counters, actions). */
export function Toolbar({ children, end }: { children: ReactNode; end?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      {children}
      {end && <div className="ml-auto flex items-center gap-2 text-sm text-fg-subtle">{end}</div>}
    </div>
  );
}

/** A list with an optional details panel beside it. */
export function MasterDetail({ children, detail }: { children: ReactNode; detail?: ReactNode }) {
  return (
    <div className="flex min-h-0 flex-1 gap-3">
      <div className="flex min-h-0 min-w-0 flex-1 flex-col">{children}</div>
      {detail}
    </div>
  );
}

/**
 * The layout of a list screen: filters in a toolbar, the list (a grid) below with its
 * details panel beside it.
 */
export function ListScreen({
  filters,
  toolbarEnd,
  detail,
  children,
}: {
  filters: ReactNode;
  toolbarEnd?: ReactNode;
  detail?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Screen>
      <Toolbar end={toolbarEnd}>{filters}</Toolbar>
      <MasterDetail detail={detail}>{children}</MasterDetail>
    </Screen>
  );
}
