import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { commands, type ProfileEdit, type VendorProfile } from '../../bindings';
import { Button } from '../../components/Button';
import { ErrorState } from '../../components/ErrorState';
import { InlineError } from '../../components/InlineError';
import { Field, Input } from '../../components/Input';
import { DetailList } from '../../components/SidePanel';
import { Skeleton } from '../../components/Skeleton';
import { TextAreaField } from '../../components/TextAreaField';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity } from '../../lib/queryKeys';

type LineKey = Exclude<keyof ProfileEdit, 'description'>;

const LINES: readonly (readonly [LineKey, string])[] = [
  ['business_name', 'Business name'],
  ['legal_name', 'Legal name'],
  ['tax_id', 'Tax id'],
  ['support_email', 'Support e-mail'],
  ['phone', 'Telephone'],
  ['website', 'Web site'],
  ['address_line1', 'Street'],
  ['city', 'City'],
  ['postal_code', 'Postal code'],
  ['country', 'Country'],
];

function Editor({ profile }: { profile: VendorProfile }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<ProfileEdit>(profile.edit);
  const save = useMutation({
    mutationFn: () => unwrap(commands.updateVendorProfile(profile.vendor_id, profile.version, draft)),
    onSuccess: () => {
      void invalidateEntity(client, 'vendor_applications');
      toast.success('Profile saved');
    },
  });
  const set = (key: keyof ProfileEdit, text: string) =>
    setDraft({ ...draft, [key]: text === '' ? null : text });
  const changed = JSON.stringify(draft) !== JSON.stringify(profile.edit);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (changed && !save.isPending) save.mutate();
  };
  return (
    <form className="flex flex-col gap-3" onSubmit={submit} aria-label="Business profile">
      <DetailList
        items={[
          ['Payout currency', profile.payout_currency ?? '—'],
          ['Verification', profile.verification_status],
          ['Stripe payouts', profile.payouts_enabled ? 'Enabled' : 'Not yet'],
          ['Status', profile.suspended ? 'Suspended' : 'Active'],
        ]}
      />
      <div className="grid grid-cols-2 gap-3">
        {LINES.map(([key, label]) => (
          <Field key={key} label={label}>
            {(control) => (
              <Input
                {...control}
                data-testid={`profile-${key}`}
                value={draft[key] ?? ''}
                onChange={(e) => set(key, e.target.value)}
              />
            )}
          </Field>
        ))}
      </div>
      <TextAreaField
        label="Description"
        value={draft.description ?? ''}
        onChange={(text) => set('description', text)}
        maxLength={4000}
        rows={4}
        data-testid="profile-description"
      />
      <div className="flex gap-2">
        <Button
          type="submit"
          variant="primary"
          size="sm"
          data-testid="profile-save"
          disabled={!changed}
          loading={save.isPending}
        >
          Save profile
        </Button>
        {changed && (
          <Button size="sm" variant="ghost" onClick={() => setDraft(profile.edit)}>
            Undo changes
          </Button>
        )}
      </div>
      {save.isError && <InlineError error={save.error} title="The profile was not saved" />}
    </form>
  );
}

/** A vendor's business profile, editable by the vendor or an admin (`vendorId` null: one's own). */
export function VendorProfileForm({ vendorId }: { vendorId: string | null }) {
  const profile = useQuery({
    queryKey: ['vendor_applications', 'profile', vendorId],
    queryFn: () => unwrap(commands.vendorProfile(vendorId)),
  });
  if (profile.isPending) return <Skeleton className="h-48" />;
  if (profile.isError) {
    return <ErrorState message={errorMessage(profile.error)} onRetry={() => void profile.refetch()} />;
  }
  return <Editor key={profile.data.version} profile={profile.data} />;
}
