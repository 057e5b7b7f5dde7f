import { useState } from 'react';
import { commands, type Conflict, type Resolution } from '../../bindings';
import { Button } from '../../components/Button';
import { Card, CardBody, CardHeader } from '../../components/Card';
import { InlineError } from '../../components/InlineError';
import { formatDateTime } from '../../lib/format';
import { unwrap } from '../../lib/ipc';

/** The server fields worth a first look, in this order; the rest follow. */
const FIRST_FIELDS = ['status', 'version', 'updated_at', 'notes'];

/** A conflict with both versions side by side, and the person's three ways out. */
export function ConflictCard({ conflict, onSettled }: { conflict: Conflict; onSettled: () => void }) {
  const [pending, setPending] = useState<Resolution['choice'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const settle = (resolution: Resolution) => {
    setPending(resolution.choice);
    setError(null);
    unwrap(commands.resolveConflict(conflict.id, resolution))
      .then(onSettled)
      .catch((e: unknown) => setError(e))
      .finally(() => setPending(null));
  };
  const theirs = [...conflict.theirs].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  return (
    <Card data-testid="conflict" data-conflict-id={conflict.id}>
      <CardHeader
        title={conflict.summary}
        description={`${conflict.table} ${conflict.row_id} · found ${formatDateTime(conflict.created_at)}`}
        actions={
          <>
            <Button
              size="sm"
              data-testid="keep-mine"
              loading={pending === 'keep_mine'}
              disabled={pending !== null}
              onClick={() => settle({ choice: 'keep_mine' })}
            >
              Keep mine
            </Button>
            <Button
              size="sm"
              variant="secondary"
              data-testid="take-theirs"
              loading={pending === 'take_theirs'}
              disabled={pending !== null}
              onClick={() => settle({ choice: 'take_theirs' })}
            >
              Take theirs
            </Button>
          </>
        }
      />
      <CardBody className="grid grid-cols-2 gap-4">
        <section aria-label="Your change" data-testid="conflict-mine">
          <h3 className="mb-1 text-sm font-semibold text-fg">Your change</h3>
          <p className="text-base text-fg">{conflict.summary}</p>
          <p className="text-sm text-fg-subtle">
            Made on version {conflict.expected_version}; the server is now at version{' '}
            {conflict.actual_version}.
          </p>
        </section>
        <section aria-label="The server's version" data-testid="conflict-theirs">
          <h3 className="mb-1 text-sm font-semibold text-fg">The server’s version</h3>
          {theirs.length === 0 ? (
            <p className="text-sm text-fg-subtle">You can no longer read this row on the server.</p>
          ) : (
            <dl className="grid max-h-48 grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5 overflow-auto text-sm">
              {theirs.map(([field, value]) => (
                <div key={field} className="contents">
                  <dt className="text-fg-subtle">{field}</dt>
                  <dd className="truncate font-mono text-fg" title={value}>
                    {value === '' ? '—' : value}
                  </dd>
                </div>
              ))}
            </dl>
          )}
        </section>
        {error !== null && (
          <div className="col-span-2">
            <InlineError error={error} title="Could not settle the conflict" />
          </div>
        )}
      </CardBody>
    </Card>
  );
}

function rank(field: string): number {
  const i = FIRST_FIELDS.indexOf(field);
  return i === -1 ? FIRST_FIELDS.length : i;
}
