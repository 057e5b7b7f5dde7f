import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { commands, type BusinessDetails, type VendorApplication } from '../../bindings';
import { Button } from '../../components/Button';
import { InlineError } from '../../components/InlineError';
import { Field, Input } from '../../components/Input';
import { toast } from '../../components/toast';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity } from '../../lib/queryKeys';

type TextKey = Exclude<keyof BusinessDetails, 'business_name' | 'contact_name' | 'email'>;

const OPTIONAL: readonly (readonly [TextKey, string, string])[] = [
  ['legal_name', 'Legal name', 'As registered'],
  ['tax_id', 'Tax id', 'e.g. DE 123456789'],
  ['country', 'Payout country', 'Two letters, e.g. DE'],
  ['payout_currency', 'Payout currency', 'Three letters, e.g. EUR'],
  ['address_line1', 'Street', ''],
  ['city', 'City', ''],
  ['postal_code', 'Postal code', ''],
  ['website', 'Web site', 'https://…'],
  ['phone', 'Telephone', ''],
];

/** An empty application's details, for the "record an application" form. */
export const NO_DETAILS: BusinessDetails = {
  business_name: '',
  legal_name: null,
  contact_name: '',
  email: '',
  tax_id: null,
  country: null,
  payout_currency: null,
  website: null,
  phone: null,
  address_line1: null,
  city: null,
  postal_code: null,
};

/** The details' fields, each with its label; contact and e-mail only when `contact` is set. */
export function DetailFields({
  value,
  onChange,
  contact,
  disabled,
}: {
  value: BusinessDetails;
  onChange: (next: BusinessDetails) => void;
  contact: boolean;
  disabled?: boolean;
}) {
  const set = (key: keyof BusinessDetails, text: string) =>
    onChange({ ...value, [key]: text === '' && key !== 'business_name' ? null : text });
  return (
    <div className="grid grid-cols-2 gap-3">
      <Field label="Business name" className="col-span-2">
        {(control) => (
          <Input
            {...control}
            data-testid="detail-business_name"
            value={value.business_name}
            disabled={disabled}
            onChange={(e) => set('business_name', e.target.value)}
          />
        )}
      </Field>
      {contact && (
        <>
          <Field label="Contact person">
            {(control) => (
              <Input
                {...control}
                data-testid="detail-contact_name"
                value={value.contact_name}
                disabled={disabled}
                onChange={(e) => onChange({ ...value, contact_name: e.target.value })}
              />
            )}
          </Field>
          <Field label="Contact e-mail">
            {(control) => (
              <Input
                {...control}
                type="email"
                data-testid="detail-email"
                value={value.email}
                disabled={disabled}
                onChange={(e) => onChange({ ...value, email: e.target.value })}
              />
            )}
          </Field>
        </>
      )}
      {OPTIONAL.map(([key, label, placeholder]) => (
        <Field key={key} label={label}>
          {(control) => (
            <Input
              {...control}
              data-testid={`detail-${key}`}
              placeholder={placeholder}
              value={value[key] ?? ''}
              disabled={disabled}
              onChange={(e) => set(key, e.target.value)}
            />
          )}
        </Field>
      ))}
    </div>
  );
}

/**
 * An application's business details, editable while the application is with the reader
 * (the vendor while onboarding; an admin until it is decided), saved on the version read.
 */
export function DetailsForm({
  application,
  editable,
  admin,
}: {
  application: VendorApplication;
  editable: boolean;
  admin: boolean;
}) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<BusinessDetails>(application.details);
  const save = useMutation({
    mutationFn: () => unwrap(commands.updateVendorApplication(application.id, application.version, draft)),
    onSuccess: () => {
      void invalidateEntity(client, 'vendor_applications');
      toast.success('Details saved');
    },
  });
  const changed = JSON.stringify(draft) !== JSON.stringify(application.details);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (changed && !save.isPending) save.mutate();
  };
  return (
    <form className="flex flex-col gap-3" onSubmit={submit} aria-label="Business details">
      <DetailFields value={draft} onChange={setDraft} contact={admin} disabled={!editable} />
      {!admin && (
        <p className="text-sm text-fg-subtle">
          Contact: {application.details.contact_name} &lt;{application.details.email}&gt; — ask the
          marketplace to change these.
        </p>
      )}
      {editable && (
        <div className="flex gap-2">
          <Button
            type="submit"
            variant="primary"
            size="sm"
            data-testid="details-save"
            disabled={!changed}
            loading={save.isPending}
          >
            Save details
          </Button>
          {changed && (
            <Button size="sm" variant="ghost" onClick={() => setDraft(application.details)}>
              Undo changes
            </Button>
          )}
        </div>
      )}
      {save.isError && <InlineError error={save.error} title="The details were not saved" />}
    </form>
  );
}
