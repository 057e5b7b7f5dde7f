import { useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { commands, type OnboardingItem, type OnboardingStep, type VendorApplication } from '../../bindings';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DetailList } from '../../components/SidePanel';
import { StatusBadge } from '../../components/StatusBadge';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity } from '../../lib/queryKeys';
import { DetailsForm } from './DetailsForm';
import { DocumentsSection } from './DocumentsSection';
import { ITEM_LABELS, STAGE_LABELS, STAGE_TONES } from './labels';
import { DeclineDialog, InviteDialog, RequestDialog, useStep } from './StepDialogs';
import { SuspendDialog } from './SuspendDialog';
import { VendorProfileForm } from './VendorProfileForm';

function words(items: readonly OnboardingItem[]): string {
  return items.map((i) => ITEM_LABELS[i].toLowerCase()).join(', ');
}

function Callout({
  tone,
  testId,
  children,
}: {
  tone: 'warning' | 'info';
  testId: string;
  children: ReactNode;
}) {
  const classes = tone === 'warning' ? 'bg-warning-soft text-warning-text' : 'bg-raised text-fg';
  return (
    <div className={`rounded-md px-3 py-2 text-sm ${classes}`} data-testid={testId}>
      {children}
    </div>
  );
}

/** Where the application stands, what it lacks, the admin's request or decision. */
export function ApplicationStatus({
  application: a,
  admin,
}: {
  application: VendorApplication;
  admin: boolean;
}) {
  return (
    <div className="flex flex-col gap-3">
      <div className="flex items-center gap-2">
        <StatusBadge status={a.stage} labels={STAGE_LABELS} tones={STAGE_TONES} />
        {a.suspended && <span className="text-sm font-medium text-danger-text">Suspended</span>}
      </div>
      <DetailList
        items={[
          ['Recorded', formatDateTime(a.created_at)],
          ['Handed in', a.submitted_at ? formatDateTime(a.submitted_at) : '—'],
          [
            'Last decision',
            a.reviewed_at ? `${formatDateTime(a.reviewed_at)} · ${a.reviewer_name ?? ''}` : '—',
          ],
        ]}
      />
      {(a.requested_items.length > 0 || a.request_note) && a.stage === 'onboarding' && (
        <Callout tone="warning" testId="application-request">
          <p className="font-medium">The marketplace asked for changes</p>
          {a.requested_items.length > 0 && <p>Still needed: {words(a.requested_items)}.</p>}
          {a.request_note && <p className="whitespace-pre-wrap">{a.request_note}</p>}
        </Callout>
      )}
      {a.stage === 'onboarding' && a.missing_to_submit.length > 0 && (
        <Callout tone="info" testId="application-missing">
          To hand it in, add: {words(a.missing_to_submit)}.
        </Callout>
      )}
      {admin && a.stage === 'in_review' && a.missing_to_approve.length > 0 && (
        <Callout tone="info" testId="application-missing">
          Before approval: {words(a.missing_to_approve)} (missing or not accepted yet).
        </Callout>
      )}
      {a.stage === 'approved' && (
        <Callout tone="info" testId="application-next">
          Approved. Next: Stripe payouts — start the vendor&apos;s Connect onboarding from Payouts; the vendor
          becomes active once Stripe pays them out.
        </Callout>
      )}
      {a.decision_reason && (
        <Callout tone="warning" testId="application-declined">
          Declined: {a.decision_reason}
        </Callout>
      )}
    </div>
  );
}

const STEP_LABELS: Record<Exclude<OnboardingStep, 'activate'>, string> = {
  invite: 'Invite…',
  submit: 'Hand in for review',
  request_changes: 'Ask for changes…',
  approve: 'Approve',
  decline: 'Decline…',
};

/** The steps the core says the reader may take now, and suspension for an admin. */
export function ApplicationActions({
  application: a,
  admin,
  onChanged,
}: {
  application: VendorApplication;
  admin: boolean;
  onChanged: (next: VendorApplication) => void;
}) {
  const [dialog, setDialog] = useState<
    'invite' | 'request_changes' | 'decline' | 'approve' | 'suspend' | null
  >(null);
  const direct = useStep(a, (next) => {
    toast.success(next.stage === 'in_review' ? 'Handed in for review' : 'Application approved');
    onChanged(next);
  });
  const client = useQueryClient();
  const close = () => setDialog(null);
  const take = (step: OnboardingStep) => {
    if (step === 'submit') {
      direct.mutate({ step: 'submit' }, { onError: (e) => toast.error(errorMessage(e)) });
    } else if (step !== 'activate') {
      setDialog(step);
    }
  };
  const primary: OnboardingStep[] = ['submit', 'approve', 'invite'];
  return (
    <div className="flex flex-wrap gap-2" data-testid="application-actions">
      {a.steps.map((step) =>
        step === 'activate' ? null : (
          <Button
            key={step}
            variant={primary.includes(step) ? 'primary' : 'secondary'}
            data-testid={`step-${step}`}
            loading={direct.isPending && step === 'submit'}
            onClick={() => take(step)}
          >
            {STEP_LABELS[step]}
          </Button>
        ),
      )}
      {admin && a.vendor_id && (a.stage === 'approved' || a.stage === 'active' || a.suspended) && (
        <Button data-testid="vendor-suspend" onClick={() => setDialog('suspend')}>
          {a.suspended ? 'Reactivate…' : 'Suspend…'}
        </Button>
      )}
      {dialog === 'invite' && <InviteDialog application={a} onDone={onChanged} onClose={close} />}
      {dialog === 'request_changes' && <RequestDialog application={a} onDone={onChanged} onClose={close} />}
      {dialog === 'decline' && <DeclineDialog application={a} onDone={onChanged} onClose={close} />}
      {dialog === 'suspend' && a.vendor_id && (
        <SuspendDialog vendorId={a.vendor_id} suspended={a.suspended} onClose={close} />
      )}
      <ConfirmDialog
        open={dialog === 'approve'}
        onOpenChange={(o) => !o && close()}
        tone="primary"
        title={`Approve ${a.details.business_name}?`}
        description="Their details become the vendor's profile. Next comes Stripe payouts."
        confirmLabel="Approve"
        onConfirm={async () => {
          const next = await unwrap(commands.takeVendorApplicationStep(a.id, a.version, { step: 'approve' }));
          void invalidateEntity(client, 'vendor_applications');
          toast.success('Application approved');
          onChanged(next);
        }}
      />
    </div>
  );
}

/** An application's whole body: status, details and documents. */
export function ApplicationBody({
  application: a,
  admin,
}: {
  application: VendorApplication;
  admin: boolean;
}) {
  return (
    <div className="flex flex-col gap-5">
      <ApplicationStatus application={a} admin={admin} />
      <DetailsForm key={a.version} application={a} editable={a.editable} admin={admin} />
      {admin && a.vendor_id && (a.stage === 'approved' || a.stage === 'active') && (
        <section className="flex flex-col gap-2" aria-label="Profile">
          <h3 className="text-sm font-semibold">Business profile</h3>
          <VendorProfileForm vendorId={a.vendor_id} />
        </section>
      )}
      <DocumentsSection application={a} canAdd={a.editable} canReview={admin && a.editable} />
    </div>
  );
}
