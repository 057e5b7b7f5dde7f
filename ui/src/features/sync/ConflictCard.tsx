import { useState } from 'react';
import { commands, type Conflict, type ConflictField, type Resolution } from '../../bindings';
import { Button } from '../../components/Button';
import { Card, CardBody, CardHeader } from '../../components/Card';
import { InlineError } from '../../components/InlineError';
import { SimpleTable } from '../../components/SimpleTable';
import { cn } from '../../lib/cn';
import { formatDateTime } from '../../lib/format';
import { unwrap } from '../../lib/ipc';

function Value({ value }: { value: string | null }) {
  return value === null ? (
    <span className="text-fg-faint">—</span>
  ) : (
    <span className="font-mono break-all" title={value}>
      {value}
    </span>
  );
}

function FieldRow({ field }: { field: ConflictField }) {
  const { differs } = field;
  return (
    <tr
      className={cn('border-b border-line align-top last:border-0', differs && 'bg-warning-soft')}
      data-testid="conflict-field"
      data-field={field.name}
      data-differs={differs}
    >
      <td className="py-1 pr-3 text-fg-subtle">{field.name}</td>
      <td className="py-1 pr-3" data-side="mine">
        <Value value={field.mine} />
      </td>
      <td className="py-1" data-side="theirs">
        <Value value={field.theirs} />
      </td>
    </tr>
  );
}

/**
 * A conflict: the change made here, both versions of the row side by side (what the core found
 * differing first, highlighted), and the person's ways out.
 */
export function ConflictCard({ conflict, onSettled }: { conflict: Conflict; onSettled: () => void }) {
  const [pending, setPending] = useState<Resolution['choice'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [everything, setEverything] = useState(false);
  const settle = (resolution: Resolution) => {
    setPending(resolution.choice);
    setError(null);
    unwrap(commands.resolveConflict(conflict.id, resolution))
      .then(onSettled)
      .catch((e: unknown) => setError(e))
      .finally(() => setPending(null));
  };
  const differing = conflict.fields.filter((f) => f.differs);
  const shown = everything ? conflict.fields : differing;
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
              title="Send your change again, over the server's newer version"
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
              title="Drop your change and take the server's version"
              onClick={() => settle({ choice: 'take_theirs' })}
            >
              Take theirs
            </Button>
          </>
        }
      />
      <CardBody className="flex flex-col gap-3">
        <p className="text-base text-fg" data-testid="conflict-mine">
          Your change: <span className="font-medium">{conflict.summary}</span>, made on version{' '}
          {conflict.expected_version}. Someone changed the row on the server first: it is now at version{' '}
          {conflict.actual_version}.
        </p>
        <SimpleTable
          data-testid="conflict-theirs"
          columns={[
            { label: 'Field', className: 'w-40 py-1 pr-3' },
            { label: 'On this computer', className: 'py-1 pr-3' },
            { label: 'On the server', className: 'py-1' },
          ]}
        >
          <tbody>
            {shown.map((f) => (
              <FieldRow key={f.name} field={f} />
            ))}
          </tbody>
        </SimpleTable>
        {conflict.fields.length > differing.length && (
          <Button
            size="sm"
            variant="ghost"
            className="self-start"
            data-testid="conflict-all-fields"
            onClick={() => setEverything((v) => !v)}
          >
            {everything ? 'Show only what differs' : `Show all ${conflict.fields.length} fields`}
          </Button>
        )}
        {error !== null && <InlineError error={error} title="Could not settle the conflict" />}
      </CardBody>
    </Card>
  );
}
