import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { commands, type ConnectCheck, type ConnectStatus, type OnboardingSent } from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { VendorTable } from '../../components/VendorTable';
import { Checkbox } from '../../components/Checkbox';
import { CopyButton } from '../../components/CopyButton';
import { Dialog, DialogClose } from '../../components/Dialog';
import { CheckCircleIcon, MailIcon } from '../../components/icons';
import { InlineError } from '../../components/InlineError';
import { Input } from '../../components/Input';
import { Screen, Toolbar } from '../../components/Layout';
import { StatusBadge } from '../../components/StatusBadge';
import { EMPTY, formatDate, formatDateTime, formatNumber, formatRelative } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { humanize } from '../disputes/labels';
import {
  disabledReasonInWords,
  isVerification,
  requirementsInWords,
  VERIFICATION_LABELS,
  VERIFICATION_TONES,
} from './connect';

/** What to do next, for the kinds of failure onboarding and checks meet (the core says why). */
const HINTS: Record<string, string> = {
  offline: 'Stripe is reached online only: connect to the marketplace server and try again.',
  conflict: 'Stripe was busy or the vendor changed meanwhile: the list has been reloaded. Try again.',
  forbidden: 'Only admins may onboard vendors and check their Stripe accounts.',
  not_found: 'The vendor is gone: the list has been reloaded.',
};

function ConnectBadge({ status }: { status: string }) {
  if (isVerification(status)) {
    return <StatusBadge status={status} labels={VERIFICATION_LABELS} tones={VERIFICATION_TONES} />;
  }
  return <Badge dot>{humanize(status)}</Badge>;
}

/** The onboarding link just made: to copy, with when it stops working and whether it was mailed. */
function LinkDialog({ sent, onClose }: { sent: OnboardingSent; onClose: () => void }) {
  const { status } = sent;
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Set-up link for ${status.vendor_name}`}
      description="Stripe’s onboarding page, where the vendor gives their details. It works once."
      footer={
        <DialogClose asChild>
          <Button variant="primary">Done</Button>
        </DialogClose>
      }
    >
      <div className="flex flex-col gap-3" data-testid="connect-link-result">
        <div className="flex flex-wrap items-center gap-2">
          <Input
            readOnly
            aria-label="Set-up link"
            data-testid="connect-link-url"
            value={sent.url}
            onFocus={(e) => e.currentTarget.select()}
            className="flex-1 font-mono text-sm"
          />
          <CopyButton text={sent.url} data-testid="connect-link-copy" />
        </div>
        <p className="text-base text-fg-muted">
          Expires{' '}
          <time
            dateTime={sent.expires_at}
            title={formatDateTime(sent.expires_at)}
            data-testid="connect-link-expiry"
          >
            {formatRelative(sent.expires_at)}
          </time>
          . Make another when it has expired or been used.
        </p>
        {sent.mail_id !== null ? (
          <p role="status" className="flex items-center gap-2 text-base text-success">
            <MailIcon className="shrink-0" />
            Mailed to {status.email}
          </p>
        ) : (
          <p className="text-base text-fg-muted">Not mailed: give the link to the vendor yourself.</p>
        )}
      </div>
    </Dialog>
  );
}

/** What Stripe said when asked: what the vendor still has to give, and why payouts are off. */
function CheckDialog({ check, onClose }: { check: ConnectCheck; onClose: () => void }) {
  const { status } = check;
  const needed = requirementsInWords(check.currently_due);
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Stripe’s answer for ${status.vendor_name}`}
      footer={
        <DialogClose asChild>
          <Button variant="primary">Done</Button>
        </DialogClose>
      }
    >
      <div className="flex flex-col gap-3" data-testid="connect-check-result">
        <div className="flex items-center gap-2 text-base">
          Now: <ConnectBadge status={status.verification_status} />
        </div>
        {needed.length > 0 ? (
          <div>
            <p className="text-base font-medium">Stripe still needs from the vendor:</p>
            <ul className="mt-1 list-disc pl-5 text-base" data-testid="connect-requirements">
              {needed.map((r) => (
                <li key={r.label} title={r.fields.join(', ')}>
                  {r.known ? r.label : <span className="font-mono text-sm">{r.label}</span>}
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="flex items-center gap-2 text-base text-fg-muted">
            <CheckCircleIcon className="shrink-0 text-success" />
            Stripe needs nothing more from the vendor.
          </p>
        )}
        {check.disabled_reason !== null && (
          <p className="text-base" data-testid="connect-disabled-reason">
            Payouts are disabled: {disabledReasonInWords(check.disabled_reason)}{' '}
            <span className="font-mono text-sm text-fg-subtle">({check.disabled_reason})</span>
          </p>
        )}
      </div>
    </Dialog>
  );
}

const COLUMNS = [
  { label: 'Vendor', className: 'px-4 py-2' },
  { label: 'Email', className: 'px-2 py-2' },
  { label: 'Status', className: 'px-2 py-2' },
  { label: 'Stripe account', className: 'px-2 py-2' },
  { label: 'Verified', className: 'px-2 py-2' },
];
const ACTIONS_COLUMN = { label: <span className="sr-only">Actions</span>, className: 'px-4 py-2' };

type Shown = { kind: 'link'; sent: OnboardingSent } | { kind: 'check'; check: ConnectCheck } | null;

/** An admin's actions on one vendor: `onResult` shows what they made, errors stay with the row. */
function useVendorActions(vendorId: string, onResult: (result: Shown) => void) {
  const client = useQueryClient();
  const refresh = () =>
    Promise.all([
      // Both lists: all vendors, and only those not ready.
      client.invalidateQueries({ queryKey: queryKeys.allConnectStatuses }),
      // The payout run's balances show each vendor's Connect state too.
      client.invalidateQueries({ queryKey: queryKeys.allVendorBalances }),
    ]);
  const onboard = useMutation({
    mutationFn: (mail: boolean) => unwrap(commands.startConnectOnboarding(vendorId, mail)),
    onSuccess: (sent) => onResult({ kind: 'link', sent }),
    onSettled: refresh,
  });
  const check = useMutation({
    mutationFn: () => unwrap(commands.refreshConnectAccount(vendorId)),
    onSuccess: (answer) => onResult({ kind: 'check', check: answer }),
    onSettled: refresh,
  });
  return {
    busy: onboard.isPending || check.isPending,
    sending: onboard.isPending && onboard.variables === true,
    linking: onboard.isPending && onboard.variables === false,
    checking: check.isPending,
    onboardError: onboard.error,
    checkError: check.error,
    start: (mail: boolean) => {
      check.reset();
      onboard.mutate(mail);
    },
    check: () => {
      onboard.reset();
      check.mutate();
    },
  };
}

function VendorRow({
  vendor,
  canAct,
  onResult,
}: {
  vendor: ConnectStatus;
  canAct: boolean;
  onResult: (result: Shown) => void;
}) {
  const id = vendor.vendor_id;
  const actions = useVendorActions(id, onResult);
  const rejected = vendor.verification_status === 'rejected';
  const noAccount = vendor.stripe_account_id === null;
  const error = actions.onboardError ?? actions.checkError;
  return (
    <>
      <tr data-testid={`connect-row-${id}`} className="border-b border-line last:border-b-0">
        <td className="px-4 py-2">{vendor.vendor_name}</td>
        <td className="px-2 py-2 text-fg-muted">{vendor.email}</td>
        <td className="px-2 py-2">
          <ConnectBadge status={vendor.verification_status} />
        </td>
        <td className="px-2 py-2 font-mono text-sm text-fg-subtle">{vendor.stripe_account_id ?? EMPTY}</td>
        <td
          className="px-2 py-2 whitespace-nowrap"
          title={vendor.verified_at ? formatDateTime(vendor.verified_at) : undefined}
        >
          {formatDate(vendor.verified_at)}
        </td>
        {canAct && (
          <td className="px-4 py-2">
            <div className="flex justify-end gap-1.5">
              <Button
                size="sm"
                data-testid={`connect-send-${id}`}
                loading={actions.sending}
                disabled={rejected || (actions.busy && !actions.sending)}
                title={rejected ? 'Stripe rejected this account' : `Mail a set-up link to ${vendor.email}`}
                onClick={() => actions.start(true)}
              >
                Send set-up link
              </Button>
              <Button
                size="sm"
                variant="ghost"
                data-testid={`connect-link-${id}`}
                loading={actions.linking}
                disabled={rejected || (actions.busy && !actions.linking)}
                title={rejected ? 'Stripe rejected this account' : 'Make a link to open with the vendor'}
                onClick={() => actions.start(false)}
              >
                Get link
              </Button>
              <Button
                size="sm"
                variant="ghost"
                data-testid={`connect-check-${id}`}
                loading={actions.checking}
                disabled={noAccount || (actions.busy && !actions.checking)}
                title={noAccount ? 'No Stripe account yet: send a set-up link first' : undefined}
                onClick={actions.check}
              >
                Check with Stripe
              </Button>
            </div>
          </td>
        )}
      </tr>
      {canAct && error && (
        <tr data-testid={`connect-error-${id}`} className="border-b border-line">
          <td colSpan={COLUMNS.length + 1} className="px-4 pb-2">
            <InlineError
              error={error}
              title={
                actions.checkError
                  ? `Could not check ${vendor.vendor_name} with Stripe`
                  : `Could not make a set-up link for ${vendor.vendor_name}`
              }
              hints={HINTS}
            />
          </td>
        </tr>
      )}
    </>
  );
}

/**
 * Vendors' Stripe Connect set-up, those not ready first (the core sorts, filters and counts
 * them): admins send set-up links and check with Stripe; finance looks.
 */
export function VendorSetup({ canAct }: { canAct: boolean }) {
  const [onlyNotReady, setOnlyNotReady] = useState(false);
  // Kept here, not in the row: a vendor who turns out ready leaves the "only not ready" list
  // when it reloads, and Stripe's answer must stay on screen.
  const [shown, setShown] = useState<Shown>(null);
  const statuses = useQuery({
    queryKey: queryKeys.connectStatuses(onlyNotReady),
    queryFn: () => unwrap(commands.connectStatuses(onlyNotReady)),
    // The last answer stays on screen while the other list loads.
    placeholderData: keepPreviousData,
  });

  const list = statuses.isSuccess ? statuses.data : null;
  const rows = list?.vendors ?? [];

  const body = (
    <VendorTable
      query={statuses}
      total={list?.total ?? 0}
      matching={rows.length}
      noMatch={{
        icon: <CheckCircleIcon size={20} />,
        title: 'Every vendor is ready for payouts',
        description: 'Untick “Only not ready” to see them.',
      }}
      data-testid="connect-table"
      columns={canAct ? [...COLUMNS, ACTIONS_COLUMN] : COLUMNS}
    >
      {rows.map((v) => (
        <VendorRow key={v.vendor_id} vendor={v} canAct={canAct} onResult={setShown} />
      ))}
    </VendorTable>
  );

  return (
    <Screen data-testid="vendor-setup">
      <Toolbar
        end={
          <Checkbox
            data-testid="connect-only-not-ready"
            checked={onlyNotReady}
            onChange={setOnlyNotReady}
            className="text-fg"
          >
            Only not ready
          </Checkbox>
        }
      >
        <p className="text-base" data-testid="connect-summary" aria-live="polite">
          {list
            ? `${formatNumber(list.ready)} of ${formatNumber(list.total)} ${list.total === 1 ? 'vendor' : 'vendors'} ready for payouts`
            : 'Vendors’ Stripe set-up'}
        </p>
        {!canAct && <p className="text-sm text-fg-subtle">Only admins send set-up links.</p>}
      </Toolbar>
      <Card className="min-h-0 overflow-y-auto">{body}</Card>
      {shown?.kind === 'link' && <LinkDialog sent={shown.sent} onClose={() => setShown(null)} />}
      {shown?.kind === 'check' && <CheckDialog check={shown.check} onClose={() => setShown(null)} />}
    </Screen>
  );
}
