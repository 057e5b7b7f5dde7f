import { InlineError as BaseInlineError } from '../../components/InlineError';

/** What to do next, for the kinds of failure a payout action meets. */
const HINTS: Record<string, string> = {
  offline: 'Preparing and approving work offline; executing needs the connection to the marketplace server.',
  conflict: 'Someone else changed or is running this batch: it has been reloaded. Check it and try again.',
  forbidden: 'Your role may not do this.',
};

/** A failed payout action, shown where it happened: the core's message and what to do about it. */
export function InlineError({ error, title }: { error: unknown; title?: string }) {
  return <BaseInlineError error={error} title={title} hints={HINTS} />;
}
