import { AlertCircleIcon } from '../../components/icons';
import { errorMessage } from '../../lib/errors';
import { errorKind } from '../../lib/ipc';

/** What to do next, for the kinds of failure a payout action meets. */
const HINTS: Record<string, string> = {
  offline: 'Preparing and approving work offline; executing needs the connection to the marketplace server.',
  conflict: 'Someone else changed or is running this batch: it has been reloaded. Check it and try again.',
  forbidden: 'Your role may not do this.',
};

/** A failed payout action, shown where it happened: the core's message and what to do about it. */
export function InlineError({ error, title }: { error: unknown; title?: string }) {
  const kind = errorKind(error);
  const hint = kind ? HINTS[kind] : undefined;
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
