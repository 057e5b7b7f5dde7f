import type { ReactNode } from 'react';
import { cn } from '../lib/cn';
import { errorMessage } from '../lib/errors';
import { Button } from './Button';
import { AlertCircleIcon, RefreshIcon } from './icons';

export type ErrorStateProps = {
  /** Default 'Could not load this'. */
  title?: ReactNode;
  /** The core's message, as it said it (see lib/errors.ts errorMessage). */
  message: ReactNode;
  onRetry?: () => void;
  retrying?: boolean;
  className?: string;
};

export function ErrorState({
  title = 'Could not load this',
  message,
  onRetry,
  retrying,
  className,
}: ErrorStateProps) {
  return (
    <div
      role="alert"
      className={cn('flex flex-col items-center justify-center gap-2 px-6 py-12 text-center', className)}
    >
      <div className="mb-1 flex size-10 items-center justify-center rounded-lg bg-danger-soft text-danger-text">
        <AlertCircleIcon size={20} />
      </div>
      <p className="text-md font-medium text-fg">{title}</p>
      <p className="max-w-md text-base break-words text-fg-muted">{message}</p>
      {onRetry && (
        <Button className="mt-2" onClick={onRetry} loading={retrying} icon={<RefreshIcon />}>
          Retry
        </Button>
      )}
    </div>
  );
}

/** What QueryErrorState needs of a failed TanStack query. */
export type FailedQuery = {
  error: unknown;
  isFetching: boolean;
  refetch: () => Promise<unknown>;
};

/** A failed query's ErrorState: the core's message, and Retry refetching it. */
export function QueryErrorState({
  query,
  ...props
}: { query: FailedQuery } & Omit<ErrorStateProps, 'message'>) {
  return (
    <ErrorState
      message={errorMessage(query.error)}
      onRetry={() => void query.refetch()}
      retrying={query.isFetching}
      {...props}
    />
  );
}
