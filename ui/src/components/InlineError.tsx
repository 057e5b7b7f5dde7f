import { errorMessage } from '../lib/errors';
import { errorKind } from '../lib/ipc';
import { Button } from './Button';
import type { FailedQuery } from './ErrorState';
import { AlertCircleIcon, RefreshIcon } from './icons';

/**
 * A failed action, shown where it happened: the core's message and, from `hints` (by error
 * kind: offline, conflict…), what to do about it.
 */
export function InlineError({
  error,
  title,
  hints = {},
}: {
  error: unknown;
  title?: string;
  hints?: Readonly<Record<string, string>>;
}) {
  const kind = errorKind(error);
  const hint = kind ? hints[kind] : undefined;
  return (
    <div
      role="alert"
      data-testid="inline-error"
      data-kind={kind ?? undefined}
      className="flex items-start gap-2 rounded-md bg-danger-soft px-3 py-2 text-base text-danger-text"
    >
      <AlertCircleIcon className="mt-0.5 shrink-0" />
      <div className="min-w-0">
        {title && <p className="font-medium">{title}</p>}
        <p className="break-words">{errorMessage(error)}</p>
        {hint && <p className="mt-1 text-sm text-fg-muted">{hint}</p>}
      </div>
    </div>
  );
}

/** A failed query, shown where its content goes: the core's message and a Retry that refetches it. */
export function QueryInlineError({
  query,
  title,
  retryTestId,
}: {
  query: FailedQuery;
  title: string;
  retryTestId?: string;
}) {
  return (
    <div className="flex flex-col items-start gap-2 p-4">
      <InlineError error={query.error} title={title} />
      <Button
        data-testid={retryTestId}
        icon={<RefreshIcon />}
        loading={query.isFetching}
        onClick={() => void query.refetch()}
      >
        Retry
      </Button>
    </div>
  );
}
