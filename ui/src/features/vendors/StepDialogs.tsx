import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  commands,
  type ApplicationStep,
  type BusinessDetails,
  type OnboardingItem,
  type VendorApplication,
} from '../../bindings';
import { Checkbox } from '../../components/Checkbox';
import { FormDialog } from '../../components/FormDialog';
import { InlineError } from '../../components/InlineError';
import { TextAreaField } from '../../components/TextAreaField';
import { Field, Input } from '../../components/Input';
import { toast } from '../../components/toast';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity } from '../../lib/queryKeys';
import { DetailFields, NO_DETAILS } from './DetailsForm';
import { ITEM_LABELS, ITEMS } from './labels';

/** Takes `step` on `application` and refreshes every list that shows it. */
export function useStep(application: VendorApplication, onDone: (next: VendorApplication) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (step: ApplicationStep) =>
      unwrap(commands.takeVendorApplicationStep(application.id, application.version, step)),
    onSuccess: (next) => {
      void invalidateEntity(client, 'vendor_applications');
      onDone(next);
    },
  });
}

type StepDialogProps = {
  application: VendorApplication;
  onDone: (next: VendorApplication) => void;
  onClose: () => void;
};

/** Invites the applicant: a vendor sign-in is made and its one-time code mailed to them. */
export function InviteDialog({ application, onDone, onClose }: StepDialogProps) {
  const suggested = application.details.business_name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '')
    .slice(0, 24);
  const [username, setUsername] = useState(suggested);
  const step = useStep(application, (next) => {
    toast.success('Invitation queued', { description: `Mailed to ${application.details.email}` });
    onDone(next);
    onClose();
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (username.trim() !== '' && !step.isPending) step.mutate({ step: 'invite', username });
  };
  return (
    <FormDialog
      title={`Invite ${application.details.business_name}?`}
      description={`A vendor sign-in is made and its one-time code mailed to ${application.details.email}.`}
      submitLabel="Invite"
      submitTestId="invite-submit"
      submitDisabled={username.trim() === ''}
      pending={step.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field label="Sign-in name">
        {(control) => (
          <Input
            {...control}
            autoFocus
            data-testid="invite-username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        )}
      </Field>
      {step.isError && <InlineError error={step.error} title="Nobody was invited" />}
    </FormDialog>
  );
}

/** Sends an application back to the vendor naming what is missing. */
export function RequestDialog({ application, onDone, onClose }: StepDialogProps) {
  const [items, setItems] = useState<OnboardingItem[]>(application.missing_to_approve);
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const empty = items.length === 0 && note.trim() === '';
  const step = useStep(application, (next) => {
    toast.success('Sent back to the vendor', { description: 'They are told what is missing.' });
    onDone(next);
    onClose();
  });
  const toggle = (item: OnboardingItem, on: boolean) =>
    setItems((now) => (on ? [...now, item] : now.filter((i) => i !== item)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!empty && !step.isPending) step.mutate({ step: 'request_changes', items, note });
  };
  return (
    <FormDialog
      title="Ask for what is missing"
      description="The application goes back to the vendor with the items you tick and your note."
      submitLabel="Send back"
      submitTestId="request-submit"
      pending={step.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <fieldset className="grid grid-cols-2 gap-2" data-testid="request-items">
        <legend className="mb-1 text-sm font-medium text-fg-muted">Missing</legend>
        {ITEMS.map((item) => (
          <Checkbox key={item} checked={items.includes(item)} onChange={(on) => toggle(item, on)}>
            {ITEM_LABELS[item]}
          </Checkbox>
        ))}
      </fieldset>
      <TextAreaField
        label="Note to the vendor"
        error={tried && empty ? 'Tick what is missing or write a note.' : undefined}
        value={note}
        onChange={setNote}
        maxLength={2000}
        data-testid="request-note"
      />
      {step.isError && <InlineError error={step.error} title="The application was not sent back" />}
    </FormDialog>
  );
}

/** Declines an application with a reason the applicant reads. */
export function DeclineDialog({ application, onDone, onClose }: StepDialogProps) {
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const step = useStep(application, (next) => {
    toast.success('Application declined');
    onDone(next);
    onClose();
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (reason.trim() !== '' && !step.isPending) step.mutate({ step: 'decline', reason });
  };
  return (
    <FormDialog
      title={`Decline ${application.details.business_name}?`}
      description="The application is closed; a sign-in made for it is suspended."
      submitLabel="Decline"
      submitTestId="decline-submit"
      pending={step.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <TextAreaField
        label="Why"
        error={tried && reason.trim() === '' ? 'Say why it is declined.' : undefined}
        value={reason}
        onChange={setReason}
        maxLength={2000}
        autoFocus
        data-testid="decline-reason"
      />
      {step.isError && <InlineError error={step.error} title="The application was not declined" />}
    </FormDialog>
  );
}

/** Records a business's application (what it sent through the marketplace's form or by mail). */
export function RecordDialog({
  onRecorded,
  onClose,
}: {
  onRecorded: (id: string) => void;
  onClose: () => void;
}) {
  const client = useQueryClient();
  const [details, setDetails] = useState<BusinessDetails>(NO_DETAILS);
  const record = useMutation({
    mutationFn: () => unwrap(commands.recordVendorApplication(details)),
    onSuccess: (id) => {
      void invalidateEntity(client, 'vendor_applications');
      toast.success('Application recorded', { description: details.business_name });
      onRecorded(id);
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!record.isPending) record.mutate();
  };
  return (
    <FormDialog
      title="Record an application"
      description="What the business sent; the vendor completes the rest once invited."
      size="lg"
      submitLabel="Record"
      submitTestId="record-submit"
      submitDisabled={details.business_name.trim() === '' || details.email.trim() === ''}
      pending={record.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <DetailFields value={details} onChange={setDetails} contact />
      {record.isError && <InlineError error={record.error} title="The application was not recorded" />}
    </FormDialog>
  );
}
