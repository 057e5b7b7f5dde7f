import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { commands, type IntegrationKey } from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Dialog } from '../../components/Dialog';
import { QueryErrorState } from '../../components/ErrorState';
import { FormDialog } from '../../components/FormDialog';
import { InlineError } from '../../components/InlineError';
import { Field, Input } from '../../components/Input';
import { Skeleton } from '../../components/Skeleton';
import { AlertCircleIcon } from '../../components/icons';
import { toast } from '../../components/toast';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';

/** What is wrong with a key as typed (the core checks again), or null. Never repeats the key. */
export function keyProblem(integration: IntegrationKey, key: string): string | null {
  const text = key.trim();
  if (text === '') return `Paste the ${integration.name} key.`;
  if (/\s/.test(text)) return 'A key has no spaces or line breaks inside.';
  if (integration.prefixes.length > 0 && !integration.prefixes.some((p) => text.startsWith(p))) {
    return `A ${integration.name} key starts with ${integration.prefixes.join(' or ')}.`;
  }
  return null;
}

/** Enters (or replaces) one integration's key. The field is a password field: the key is never shown. */
function KeyDialog({ integration, onClose }: { integration: IntegrationKey; onClose: () => void }) {
  const client = useQueryClient();
  const [key, setKey] = useState('');
  const [tried, setTried] = useState(false);
  const save = useMutation({
    mutationFn: () => unwrap(commands.setIntegrationKey(integration.id, key)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.integrationKeys });
      toast.success(`${integration.name} key saved`, {
        description: 'It is in this computer’s keychain; Marketdesk will not show it again.',
      });
      onClose();
    },
  });
  const problem = tried ? keyProblem(integration, key) : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (keyProblem(integration, key) !== null || save.isPending) return;
    save.mutate();
  };
  return (
    <FormDialog
      size="sm"
      title={`${integration.stored ? 'Replace' : 'Set'} the ${integration.name} key`}
      description="The key goes to this computer’s keychain, never to a file or the database."
      submitLabel="Save key"
      submitTestId="key-submit"
      pending={save.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field
        label={`${integration.name} key`}
        hint={
          integration.prefixes.length > 0 ? `Starts with ${integration.prefixes.join(' or ')}` : undefined
        }
        error={problem}
      >
        {(control) => (
          <Input
            {...control}
            type="password"
            autoComplete="off"
            spellCheck={false}
            autoFocus
            data-testid="key-input"
            value={key}
            onChange={(e) => setKey(e.target.value)}
          />
        )}
      </Field>
      {save.isError && <InlineError error={save.error} title="The key was not saved" />}
    </FormDialog>
  );
}

function KeyRow({
  integration,
  onSet,
  onRemove,
}: {
  integration: IntegrationKey;
  onSet: () => void;
  onRemove: () => void;
}) {
  return (
    <li data-testid={`key-${integration.id}`} className="flex items-center gap-3 px-1 py-2">
      <span className="min-w-0 flex-1 truncate text-base text-fg">{integration.name}</span>
      {integration.stored ? (
        <Badge tone="success" dot>
          In keychain
        </Badge>
      ) : (
        <Badge tone="neutral">Not set</Badge>
      )}
      {integration.may_change && (
        <span className="flex gap-1">
          <Button size="sm" data-testid={`key-set-${integration.id}`} onClick={onSet}>
            {integration.stored ? 'Replace…' : 'Set key…'}
          </Button>
          {integration.stored && (
            <Button size="sm" variant="ghost" data-testid={`key-remove-${integration.id}`} onClick={onRemove}>
              Remove
            </Button>
          )}
        </span>
      )}
    </li>
  );
}

/**
 * This computer's settings: which integration keys its keychain holds. Admins look after all
 * of them, finance Stripe's, logistics the carriers'; the others only see which are set.
 */
export function ThisComputerDialog({ onClose }: { onClose: () => void }) {
  const client = useQueryClient();
  const keys = useQuery({
    queryKey: queryKeys.integrationKeys,
    queryFn: () => unwrap(commands.integrationKeys()),
  });
  const [editing, setEditing] = useState<IntegrationKey | null>(null);
  const [removing, setRemoving] = useState<IntegrationKey | null>(null);

  let body;
  if (keys.isPending) {
    body = (
      <div className="flex flex-col gap-3 py-2" aria-busy="true" aria-label="Reading the keychain">
        {Array.from({ length: 5 }, (_, i) => (
          <Skeleton key={i} className={i % 2 ? 'w-2/3' : 'w-5/6'} />
        ))}
      </div>
    );
  } else if (keys.isError) {
    body = <QueryErrorState query={keys} />;
  } else {
    body = (
      <>
        {keys.data.keychain_problem != null && (
          <p
            role="alert"
            data-testid="keychain-problem"
            className="mb-2 flex items-start gap-2 rounded-md bg-warning-soft px-3 py-2 text-base text-warning"
          >
            <AlertCircleIcon className="mt-0.5 shrink-0" />
            <span>
              {keys.data.keychain_problem}. Marketdesk keeps no keys on this computer until a keychain runs
              (GNOME Keyring or KWallet on Linux).
            </span>
          </p>
        )}
        {keys.data.keychain_problem == null && (
          <p data-testid="keychain" className="mb-1 text-sm text-fg-subtle">
            Kept in {keys.data.keychain}.
          </p>
        )}
        <ul data-testid="integration-keys" className="flex flex-col divide-y divide-line">
          {keys.data.keys.map((k) => (
            <KeyRow key={k.id} integration={k} onSet={() => setEditing(k)} onRemove={() => setRemoving(k)} />
          ))}
        </ul>
      </>
    );
  }

  return (
    <>
      <Dialog
        open
        onOpenChange={(open) => {
          if (!open) onClose();
        }}
        title="This computer"
        description="Integration keys live in this computer’s keychain: entered once here, never shown again."
      >
        {body}
      </Dialog>
      {editing && <KeyDialog integration={editing} onClose={() => setEditing(null)} />}
      {removing && (
        <ConfirmDialog
          open
          onOpenChange={(open) => {
            if (!open) setRemoving(null);
          }}
          title={`Remove the ${removing.name} key?`}
          description={`This computer stops using ${removing.name} until a key is entered again. Other computers keep theirs.`}
          confirmLabel="Remove key"
          onConfirm={async () => {
            await unwrap(commands.removeIntegrationKey(removing.id));
            await client.invalidateQueries({ queryKey: queryKeys.integrationKeys });
            toast.success(`${removing.name} key removed`);
          }}
        />
      )}
    </>
  );
}
