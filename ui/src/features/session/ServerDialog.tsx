import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { commands, type ServerSetting } from '../../bindings';
import { Button } from '../../components/Button';
import { FormDialog } from '../../components/FormDialog';
import { InlineError } from '../../components/InlineError';
import { CheckCircleIcon } from '../../components/icons';
import { Field, Input } from '../../components/Input';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';

/**
 * Chooses the central server this computer signs in to, from the next start. The address is
 * checked by the core; "Check" asks whether a server answers there without anyone's password.
 */
export function ServerDialog({ setting, onClose }: { setting: ServerSetting; onClose: () => void }) {
  const client = useQueryClient();
  const [address, setAddress] = useState(setting.saved ?? setting.in_use ?? '');
  const check = useMutation({ mutationFn: () => unwrap(commands.checkServer(address)) });
  const save = useMutation({
    mutationFn: (server: string | null) => unwrap(commands.setServer(server)),
    onSuccess: (next) => {
      client.setQueryData(queryKeys.serverSetting, next);
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    save.mutate(address.trim() === '' ? null : address);
  };
  return (
    <FormDialog
      size="md"
      title="Central server"
      description="The marketplace's PostgreSQL that people sign in to, each with their own name and password. Marketdesk uses it from its next start."
      submitLabel="Save"
      submitTestId="server-save"
      pending={save.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field
        label="Address"
        hint="Like postgres://db.example.com:5432/marketplace (no user or password). Leave empty to work on this computer alone."
      >
        {(control) => (
          <Input
            {...control}
            autoFocus
            spellCheck={false}
            autoCapitalize="none"
            data-testid="server-address"
            placeholder="postgres://db.example.com:5432/marketplace"
            value={address}
            onChange={(e) => {
              setAddress(e.target.value);
              check.reset();
            }}
          />
        )}
      </Field>
      <div className="flex items-center gap-3">
        <Button
          data-testid="server-check"
          loading={check.isPending}
          disabled={address.trim() === '' || check.isPending}
          onClick={() => check.mutate()}
        >
          Check
        </Button>
        {check.isSuccess && (
          <span
            data-testid="server-answers"
            role="status"
            className="flex items-center gap-1.5 text-base text-success"
          >
            <CheckCircleIcon className="shrink-0" /> A server answers at {check.data}
          </span>
        )}
      </div>
      {check.isError && <InlineError error={check.error} title="No server answers there" />}
      {save.isError && <InlineError error={save.error} title="The server was not saved" />}
    </FormDialog>
  );
}
