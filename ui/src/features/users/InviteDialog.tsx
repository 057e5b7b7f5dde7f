import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { commands, type InviteRequest, type Role } from '../../bindings';
import { FormDialog } from '../../components/FormDialog';
import { InlineError } from '../../components/InlineError';
import { Field, Input } from '../../components/Input';
import { Select } from '../../components/Select';
import { toast } from '../../components/toast';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity } from '../../lib/queryKeys';
import { ROLE_LABELS } from '../session/roles';

/** The roles a person can be invited to: customers use the storefront. */
export const INVITABLE_ROLES: readonly Role[] = ['vendor', 'logistics', 'finance', 'admin'];

const USERNAME = /^[A-Za-z0-9._-]{3,58}$/;

/** What is wrong with the form as typed, field by field (empty when it can be sent). */
export function inviteProblems(form: InviteRequest): Partial<Record<keyof InviteRequest, string>> {
  const problems: Partial<Record<keyof InviteRequest, string>> = {};
  const email = form.email.trim();
  const [local, domain] = email.split('@');
  if (email === '') problems.email = 'Enter the address the invitation goes to.';
  else if (/\s/.test(email) || !local || !domain?.includes('.') || email.split('@').length !== 2) {
    problems.email = 'This is not an e-mail address.';
  }
  if (!USERNAME.test(form.username.trim())) {
    problems.username = '3 to 58 letters, digits, dots, dashes or underscores.';
  }
  if (form.display_name.trim() === '') problems.display_name = 'Enter the name shown in the app.';
  return problems;
}

/** A sign-in name suggested from the address: the part before the @, cleaned. */
export function suggestedUsername(email: string): string {
  return (email.split('@')[0] ?? '').replace(/[^A-Za-z0-9._-]/g, '').slice(0, 58);
}

/**
 * Invites a person: the core creates their sign-in on the central server and queues the
 * invitation mail with a one-time code (the admin's outbox shows it). Their first sign-in
 * uses the code and asks for their own password.
 */
export function InviteDialog({ onClose }: { onClose: () => void }) {
  const client = useQueryClient();
  const [form, setForm] = useState<InviteRequest>({
    email: '',
    username: '',
    display_name: '',
    role: 'vendor',
  });
  const [usernameTouched, setUsernameTouched] = useState(false);
  const [tried, setTried] = useState(false);
  const invite = useMutation({
    mutationFn: (request: InviteRequest) => unwrap(commands.inviteUser(request)),
    onSuccess: () => {
      toast.success(`${form.display_name.trim()} invited`, {
        description: `The invitation with a one-time code is on its way to ${form.email.trim()}.`,
      });
      void invalidateEntity(client, 'users');
      void invalidateEntity(client, 'outbox');
      onClose();
    },
  });
  const problems = tried ? inviteProblems(form) : {};

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (Object.keys(inviteProblems(form)).length > 0 || invite.isPending) return;
    invite.mutate({
      email: form.email.trim(),
      username: form.username.trim(),
      display_name: form.display_name.trim(),
      role: form.role,
    });
  };

  return (
    <FormDialog
      title="Invite a person"
      description="They get a mail with a one-time code; their first sign-in asks for it and for their own password."
      submitLabel="Send invitation"
      submitTestId="invite-submit"
      pending={invite.isPending}
      onSubmit={submit}
      onClose={onClose}
      formClassName="grid grid-cols-2"
    >
      <Field label="E-mail" error={problems.email} className="col-span-2">
        {(control) => (
          <Input
            {...control}
            type="email"
            autoComplete="off"
            data-testid="invite-email"
            value={form.email}
            onChange={(e) => {
              const email = e.target.value;
              setForm((f) => ({
                ...f,
                email,
                username: usernameTouched ? f.username : suggestedUsername(email),
              }));
            }}
          />
        )}
      </Field>
      <Field label="Name" error={problems.display_name}>
        {(control) => (
          <Input
            {...control}
            autoComplete="off"
            data-testid="invite-name"
            value={form.display_name}
            maxLength={120}
            onChange={(e) => setForm((f) => ({ ...f, display_name: e.target.value }))}
          />
        )}
      </Field>
      <Field label="Sign-in name" error={problems.username}>
        {(control) => (
          <Input
            {...control}
            autoComplete="off"
            data-testid="invite-username"
            value={form.username}
            maxLength={58}
            onChange={(e) => {
              setUsernameTouched(true);
              setForm((f) => ({ ...f, username: e.target.value }));
            }}
          />
        )}
      </Field>
      <Field label="Role" className="col-span-2">
        {(control) => (
          <Select
            {...control}
            data-testid="invite-role"
            value={form.role}
            onChange={(e) => setForm((f) => ({ ...f, role: e.target.value as Role }))}
            options={INVITABLE_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
          />
        )}
      </Field>
      {invite.isError && (
        <div className="col-span-2">
          <InlineError error={invite.error} title="The person was not invited" />
        </div>
      )}
    </FormDialog>
  );
}
