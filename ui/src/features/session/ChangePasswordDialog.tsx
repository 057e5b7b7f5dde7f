import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { commands, MIN_PASSWORD_CHARS, type Me } from '../../bindings';
import { FormDialog } from '../../components/FormDialog';
import { InlineError } from '../../components/InlineError';
import { Field, Input } from '../../components/Input';
import { toast } from '../../components/toast';
import { unwrap } from '../../lib/ipc';
import { useSession } from './session';

/**
 * What is wrong with the form as typed, or null: only that the new password was not typed the
 * same twice. The password policy (length, differing from the current one) is the core's, whose
 * refusal shows inline.
 */
export function newPasswordProblem(next: string, repeat: string): string | null {
  if (next !== repeat) return 'The two new passwords differ.';
  return null;
}

/**
 * Changes the signed-in person's password. The current one is checked by the core (after an
 * invitation it is the one-time code from the mail; after a reset, the temporary password).
 * Enter submits; a wrong current password or the back-off shows inline.
 */
export function ChangePasswordDialog({ me, onClose }: { me: Me; onClose: () => void }) {
  const { updateMe } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [tried, setTried] = useState(false);
  const change = useMutation({
    mutationFn: () => unwrap(commands.changeOwnPassword(current, next)),
    onSuccess: (updated) => {
      updateMe(updated);
      toast.success('Password changed', {
        description: 'Use the new one from now on, online and offline.',
      });
      onClose();
    },
  });
  const problem = tried ? newPasswordProblem(next, repeat) : null;
  const missingCurrent = tried && current === '';
  const first = me.status === 'invited';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (current === '' || newPasswordProblem(next, repeat) !== null || change.isPending) {
      return;
    }
    change.mutate();
  };

  return (
    <FormDialog
      size="sm"
      title={first ? 'Choose your password' : 'Change password'}
      description={
        first
          ? 'Welcome to Marketdesk. Enter the code from your invitation once more, then the password you will sign in with.'
          : me.must_change_password
            ? 'You signed in with a temporary password. Replace it with one only you know.'
            : undefined
      }
      submitLabel="Change password"
      submitTestId="change-password-submit"
      cancelLabel="Later"
      pending={change.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field
        label={first ? 'Invitation code' : 'Current password'}
        error={missingCurrent ? 'Enter it to prove it is you.' : null}
      >
        {(control) => (
          <Input
            {...control}
            type="password"
            autoComplete="current-password"
            data-testid="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        )}
      </Field>
      <Field label="New password" hint={`At least ${MIN_PASSWORD_CHARS} characters.`} error={problem}>
        {(control) => (
          <Input
            {...control}
            type="password"
            autoComplete="new-password"
            data-testid="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
        )}
      </Field>
      <Field label="New password again">
        {(control) => (
          <Input
            {...control}
            type="password"
            autoComplete="new-password"
            data-testid="repeat-password"
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
          />
        )}
      </Field>
      {change.isError && <InlineError error={change.error} title="The password was not changed" />}
    </FormDialog>
  );
}
