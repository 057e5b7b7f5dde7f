import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { commands, type Address, type AddressChange, type AddressInput } from '../../bindings';
import { Checkbox } from '../../components/Checkbox';
import { FormDialog } from '../../components/FormDialog';
import { InlineError } from '../../components/InlineError';
import { Field, Input } from '../../components/Input';
import { toast } from '../../components/toast';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity } from '../../lib/queryKeys';

const BLANK: AddressInput = {
  label: '',
  recipient_name: '',
  company: null,
  line1: '',
  line2: null,
  city: '',
  region: null,
  postal_code: '',
  country: '',
  phone: null,
  make_default: false,
};

function inputOf(a: Address): AddressInput {
  return { ...a, make_default: a.is_default };
}

type Text = Exclude<keyof AddressInput, 'make_default'>;

const FIELDS: readonly { key: Text; label: string; required?: boolean; width?: string }[] = [
  { key: 'recipient_name', label: 'Recipient', required: true },
  { key: 'company', label: 'Company' },
  { key: 'line1', label: 'Street', required: true },
  { key: 'line2', label: 'Street, second line' },
  { key: 'postal_code', label: 'Postcode', required: true, width: 'w-32' },
  { key: 'city', label: 'City', required: true },
  { key: 'region', label: 'State or province', width: 'w-32' },
  { key: 'country', label: 'Country (two letters)', required: true, width: 'w-24' },
  { key: 'phone', label: 'Telephone' },
  { key: 'label', label: 'Their name for it (Home, Office)' },
];

/**
 * Adds an address to a customer's book, or edits one: an edit is saved as a new address and
 * the old one retired, because orders and parcels point at it. The core checks it as a carrier
 * would (postcode shape per country, state where one is needed) and names the field at fault.
 */
export function AddressDialog({
  customerId,
  editing,
  onClose,
}: {
  customerId: string;
  editing: Address | null;
  onClose: () => void;
}) {
  const client = useQueryClient();
  const [value, setValue] = useState<AddressInput>(editing ? inputOf(editing) : BLANK);
  const [tried, setTried] = useState(false);
  const missing = FIELDS.filter((f) => f.required && (value[f.key] ?? '').trim() === '');
  const save = useMutation({
    mutationFn: () => {
      const change: AddressChange = editing
        ? { op: 'replace', id: editing.id, version: editing.version, address: value }
        : { op: 'add', address: value };
      return unwrap(commands.changeCustomerAddress(customerId, change));
    },
    onSuccess: () => {
      void invalidateEntity(client, 'customers');
      toast.success(editing ? 'Address changed' : 'Address added');
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (missing.length > 0 || save.isPending) return;
    save.mutate();
  };
  const set = (key: Text, text: string) =>
    setValue((v) => ({ ...v, [key]: text === '' && key !== 'label' ? (BLANK[key] ?? '') : text }));
  return (
    <FormDialog
      title={editing ? 'Change the address' : 'Add an address'}
      description={editing ? 'Orders that used the old one keep it.' : undefined}
      submitLabel={editing ? 'Save' : 'Add'}
      submitTestId="address-submit"
      pending={save.isPending}
      onSubmit={submit}
      onClose={onClose}
      formClassName="grid grid-cols-2 gap-3"
    >
      {FIELDS.map((f, i) => (
        <Field
          key={f.key}
          label={f.label}
          error={tried && missing.some((m) => m.key === f.key) ? 'Required.' : undefined}
        >
          {(control) => (
            <Input
              {...control}
              data-testid={`address-${f.key}`}
              className={f.width}
              autoFocus={i === 0}
              value={value[f.key] ?? ''}
              onChange={(e) => set(f.key, e.target.value)}
            />
          )}
        </Field>
      ))}
      <Checkbox
        checked={value.make_default}
        onChange={(on) => setValue((v) => ({ ...v, make_default: on }))}
        data-testid="address-default"
      >
        Default address
      </Checkbox>
      {save.isError && (
        <div className="col-span-2">
          <InlineError error={save.error} title="The address was not saved" />
        </div>
      )}
    </FormDialog>
  );
}
