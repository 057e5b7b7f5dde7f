import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { commands, type Role } from '../../bindings';
import { FormDialog } from '../../components/FormDialog';
import { controlClasses, Field, Input } from '../../components/Input';
import { InlineError } from '../../components/InlineError';
import { Select } from '../../components/Select';
import { toast } from '../../components/toast';
import { cn } from '../../lib/cn';
import { formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';

const AUDIENCES = [
  { value: 'everyone', label: 'Everyone (staff and vendors)' },
  { value: 'vendor', label: 'Vendors' },
  { value: 'logistics', label: 'Logistics' },
  { value: 'finance', label: 'Finance' },
  { value: 'admin', label: 'Admins' },
];

/** An admin's announcement to one role or to everyone, at their bell and by mail. */
export function AnnounceDialog({ onClose }: { onClose: () => void }) {
  const client = useQueryClient();
  const [to, setTo] = useState('everyone');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const send = useMutation({
    mutationFn: () => unwrap(commands.announceTo(to === 'everyone' ? null : (to as Role), title, body)),
    onSuccess: (n) => {
      toast.success(`Announcement sent (${formatNumber(n)} notifications)`);
      void client.invalidateQueries({ queryKey: ['notifications'] });
      onClose();
    },
  });
  return (
    <FormDialog
      title="Announce"
      description="People are told at their bell, and by mail unless they chose otherwise."
      submitLabel="Send"
      submitTestId="announce-send"
      submitDisabled={title.trim() === ''}
      pending={send.isPending}
      onSubmit={(e) => {
        e.preventDefault();
        send.mutate();
      }}
      onClose={onClose}
    >
      <Field label="To">
        {(control) => (
          <Select
            {...control}
            data-testid="announce-to"
            options={AUDIENCES}
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
        )}
      </Field>
      <Field label="Title">
        {(control) => (
          <Input
            {...control}
            data-testid="announce-title"
            value={title}
            maxLength={200}
            onChange={(e) => setTitle(e.target.value)}
          />
        )}
      </Field>
      <Field label="Message">
        {(control) => (
          <textarea
            {...control}
            data-testid="announce-body"
            value={body}
            maxLength={4000}
            rows={4}
            onChange={(e) => setBody(e.target.value)}
            className={cn(controlClasses, 'h-auto py-1.5')}
          />
        )}
      </Field>
      {send.isError && <InlineError error={send.error} title="Could not send the announcement" />}
    </FormDialog>
  );
}
