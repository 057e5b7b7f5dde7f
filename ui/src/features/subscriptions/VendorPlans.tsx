import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { commands, type Plan, type PlanShow, type VendorPlan, type VendorPlanFilter } from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { VendorTable } from '../../components/VendorTable';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyButton } from '../../components/CopyButton';
import { FormDialog } from '../../components/FormDialog';
import { FilterSelect } from '../../components/FilterSelect';
import { SearchIcon } from '../../components/icons';
import { InlineError, QueryInlineError } from '../../components/InlineError';
import { Screen, Toolbar } from '../../components/Layout';
import { SearchInput } from '../../components/SearchInput';
import { Skeleton } from '../../components/Skeleton';
import { StatusBadge } from '../../components/StatusBadge';
import { toast } from '../../components/toast';
import { cn } from '../../lib/cn';
import { EMPTY, formatDate, formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { humanize } from '../disputes/labels';
import {
  commissionInWords,
  countsByPlan,
  isBilled,
  isPlanStatus,
  periodInWords,
  PLAN_FILTER_LABELS,
  PLAN_FILTERS,
  PLAN_STATUS_LABELS,
  PLAN_STATUS_TONES,
  planPrice,
  planUnavailable,
  vendorCount,
} from './vendorPlans';

/** What to do next, for the kinds of failure subscribing and changing meet (the core says why). */
const HINTS: Record<string, string> = {
  offline: 'Stripe is reached online only: connect to the marketplace server and try again.',
  conflict:
    'Someone changed this subscription meanwhile, or Stripe was busy: the list has been reloaded. Check it and try again.',
  forbidden: 'Only admins subscribe vendors and change their plans.',
  not_found: 'The vendor or the plan is gone: the list has been reloaded.',
};

const NOT_BILLED = 'Not billed through Stripe';

function PlanStatusBadge({ status }: { status: string }) {
  if (isPlanStatus(status)) {
    return <StatusBadge status={status} labels={PLAN_STATUS_LABELS} tones={PLAN_STATUS_TONES} />;
  }
  return <Badge dot>{humanize(status)}</Badge>;
}

/**
 * Refreshes the vendors under every filter (and so the counts on the plans) and the balances,
 * whose hold days a plan sets.
 */
function useRefresh() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: queryKeys.allSubscriptions }),
      client.invalidateQueries({ queryKey: queryKeys.allVendorBalances }),
    ]);
}

/** The plans, each with its price, commission, whether it can be billed, and how many vendors are on it. */
function PlansStrip({ counts }: { counts: ReadonlyMap<string, number> | null }) {
  const plans = useQuery({
    queryKey: queryKeys.subscriptionPlans,
    queryFn: () => unwrap(commands.subscriptionPlans()),
  });

  if (plans.isPending) {
    return (
      <div className="flex gap-2" aria-busy="true" aria-label="Loading plans">
        {Array.from({ length: 3 }, (_, i) => (
          <Card key={i} className="flex w-48 flex-col gap-2 px-3 py-2.5">
            <Skeleton className="w-24" />
            <Skeleton className="h-5 w-28" />
            <Skeleton className="w-20" />
          </Card>
        ))}
      </div>
    );
  }
  if (plans.isError) {
    return (
      <Card>
        <QueryInlineError query={plans} title="Could not load the plans" />
      </Card>
    );
  }
  if (plans.data.length === 0) {
    return (
      <p className="text-base text-fg-subtle">No plans yet: vendors sell on the platform’s default terms.</p>
    );
  }
  return (
    <ul aria-label="Plans" className="flex gap-2 overflow-x-auto pb-0.5" data-testid="plans-strip">
      {plans.data.map((plan) => (
        <li key={plan.id} className="shrink-0">
          <Card
            data-testid="plan-card"
            data-code={plan.code}
            className={cn('flex min-w-48 flex-col gap-1 px-3 py-2.5', !plan.is_active && 'bg-canvas')}
          >
            <div className="flex items-center gap-1.5">
              <span className="font-medium">{plan.name}</span>
              <span className="font-mono text-xs text-fg-subtle">{plan.code}</span>
            </div>
            <div className="text-md font-semibold tabular-nums">{planPrice(plan)}</div>
            <div className="text-sm text-fg-muted">{commissionInWords(plan.commission_bps)}</div>
            {(!plan.is_active || plan.stripe_price_id === null) && (
              <div className="flex flex-wrap gap-1">
                {!plan.is_active && <Badge>Not offered</Badge>}
                {plan.stripe_price_id === null && <Badge tone="warning">No Stripe price</Badge>}
              </div>
            )}
            {counts !== null && (
              <div className="text-sm text-fg-subtle" data-testid="plan-card-count">
                {vendorCount(counts.get(plan.code) ?? 0)}
              </div>
            )}
          </Card>
        </li>
      ))}
    </ul>
  );
}

type Choosing = { mode: 'subscribe' | 'change'; vendor: VendorPlan } | null;

/**
 * Picks a plan for a vendor: to subscribe them (no plan yet) or to move them to another,
 * prorated. Only offered plans with a Stripe price can be chosen; the others say why not.
 * The core's refusal shows here.
 */
function PlanDialog({
  mode,
  vendor,
  onClose,
}: {
  mode: 'subscribe' | 'change';
  /** The vendor as the list has them now (a retry after a conflict sends the new version). */
  vendor: VendorPlan;
  onClose: () => void;
}) {
  const problemId = useId();
  const groupName = useId();
  const refresh = useRefresh();
  const [chosen, setChosen] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const plans = useQuery({
    queryKey: queryKeys.subscriptionPlans,
    queryFn: () => unwrap(commands.subscriptionPlans()),
  });
  const current = mode === 'change' ? vendor.plan_code : null;
  const save = useMutation({
    mutationFn: (code: string) => {
      if (mode === 'subscribe') return unwrap(commands.subscribeVendor(vendor.vendor_id, code));
      if (vendor.version === null) throw new Error('The vendor has no subscription to change.');
      return unwrap(commands.changeVendorPlan(vendor.vendor_id, code, vendor.version));
    },
    onSuccess: (row, code) => {
      const plan = row.plan_name ?? code;
      if (mode === 'subscribe') {
        toast.success(`${row.vendor_name} subscribed to ${plan}`, {
          description: `Stripe mails the invoices to ${row.email}.`,
        });
      } else {
        toast.success(`${row.vendor_name} moved to ${plan}`, {
          description: 'Prorated on the next invoice.',
        });
      }
      onClose();
    },
    onSettled: refresh,
  });

  const choosable = (plans.data ?? []).filter((p) => planUnavailable(p, current) === null);
  // A choice the reloaded list made unavailable (the vendor's plan now) is no choice.
  const picked = choosable.some((p) => p.code === chosen) ? chosen : null;
  const problem = picked === null ? 'Choose a plan.' : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (picked === null || save.isPending) return;
    save.mutate(picked);
  };

  let body;
  if (plans.isPending) {
    body = (
      <div className="flex flex-col gap-3" aria-busy="true" aria-label="Loading plans">
        <Skeleton className="h-10 w-full" />
        <Skeleton className="h-10 w-full" />
      </div>
    );
  } else if (plans.isError) {
    body = <QueryInlineError query={plans} title="Could not load the plans" />;
  } else {
    body = (
      <fieldset className="flex flex-col gap-2" aria-describedby={tried && problem ? problemId : undefined}>
        <legend className="mb-2 text-sm font-medium text-fg-muted">
          {mode === 'subscribe' ? 'Plan' : 'New plan'}
        </legend>
        {plans.data.map((plan) => (
          <PlanChoice
            key={plan.id}
            plan={plan}
            name={groupName}
            reason={planUnavailable(plan, current)}
            checked={picked === plan.code}
            autoFocus={plan.code === choosable[0]?.code}
            onChoose={setChosen}
          />
        ))}
        {choosable.length === 0 && (
          <p className="text-base text-fg-muted">
            No plan can be billed now: give a plan a Stripe price first.
          </p>
        )}
      </fieldset>
    );
  }

  return (
    <FormDialog
      title={mode === 'subscribe' ? `Subscribe ${vendor.vendor_name}` : `Change ${vendor.vendor_name}’s plan`}
      description={
        mode === 'subscribe'
          ? 'Stripe mails the vendor an invoice each period; the subscription stays “awaiting first payment” until it is paid.'
          : `Now on ${vendor.plan_name ?? vendor.plan_code ?? 'no plan'}. The change is prorated: the next invoice credits the unused time and charges the rest of the period at the new price.`
      }
      submitLabel={mode === 'subscribe' ? 'Subscribe' : 'Change plan'}
      submitTestId="plan-dialog-submit"
      submitDisabled={!plans.isSuccess || choosable.length === 0}
      pending={save.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      {body}
      {tried && problem !== null && (
        <p id={problemId} className="text-sm text-danger-text" data-testid="plan-dialog-problem">
          {problem}
        </p>
      )}
      {mode === 'subscribe' && (
        <p className="text-base text-fg-muted">
          Invoices go to <span className="text-fg">{vendor.email}</span>.
        </p>
      )}
      {save.isError && (
        <InlineError
          error={save.error}
          title={
            mode === 'subscribe'
              ? `Could not subscribe ${vendor.vendor_name}`
              : `Could not change ${vendor.vendor_name}’s plan`
          }
          hints={HINTS}
        />
      )}
    </FormDialog>
  );
}

/** One plan to pick, a radio (arrow keys move between them); unavailable ones say why. */
function PlanChoice({
  plan,
  name,
  reason,
  checked,
  autoFocus,
  onChoose,
}: {
  plan: Plan;
  name: string;
  reason: string | null;
  checked: boolean;
  autoFocus: boolean;
  onChoose: (code: string) => void;
}) {
  const reasonId = useId();
  const disabled = reason !== null;
  return (
    <label
      data-testid="plan-choice"
      data-code={plan.code}
      className={cn(
        'flex items-start gap-3 rounded-md border px-3 py-2 text-base',
        disabled ? 'cursor-not-allowed border-line text-fg-subtle' : 'cursor-pointer hover:bg-raised',
        checked ? 'border-accent bg-accent-soft' : !disabled && 'border-line-strong',
      )}
    >
      <input
        type="radio"
        name={name}
        value={plan.code}
        checked={checked}
        disabled={disabled}
        autoFocus={autoFocus}
        aria-describedby={reason !== null ? reasonId : undefined}
        onChange={() => onChoose(plan.code)}
        className="mt-0.5 size-4 accent-accent"
      />
      <span className="flex min-w-0 flex-1 flex-col">
        <span className="flex items-baseline justify-between gap-3">
          <span className={cn('font-medium', !disabled && 'text-fg')}>{plan.name}</span>
          <span className="tabular-nums">{planPrice(plan)}</span>
        </span>
        <span className="text-sm text-fg-muted">{commissionInWords(plan.commission_bps)}</span>
        {reason !== null && (
          <span id={reasonId} className="text-sm text-fg-subtle">
            {reason}
          </span>
        )}
      </span>
    </label>
  );
}

const COLUMNS = [
  { label: 'Vendor', className: 'px-4 py-2' },
  { label: 'Plan', className: 'px-2 py-2' },
  { label: 'Status', className: 'px-2 py-2' },
  { label: 'Renews / ends', className: 'px-2 py-2' },
  { label: 'Billing', className: 'px-2 py-2' },
];
const ACTIONS_COLUMN = { label: <span className="sr-only">Actions</span>, className: 'px-4 py-2' };

/** Ending with the period (after a confirmation naming the date) or renewing again. */
function useEnding(vendor: VendorPlan) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (end: boolean) => {
      if (vendor.version === null) throw new Error('The vendor has no subscription to change.');
      return unwrap(commands.setVendorPlanEnding(vendor.vendor_id, end, vendor.version));
    },
    onSuccess: (row, end) => {
      const when = row.current_period_end === null ? null : formatDate(row.current_period_end);
      if (end) {
        toast.success(`${row.vendor_name}’s subscription ends ${when ?? 'with its period'}`, {
          description: 'It will not renew.',
        });
      } else {
        toast.success(`${row.vendor_name}’s subscription renews again`, {
          description: when ? `Next renewal ${when}.` : undefined,
        });
      }
    },
    onSettled: refresh,
  });
}

function VendorRow({
  vendor,
  canAct,
  onChoose,
}: {
  vendor: VendorPlan;
  canAct: boolean;
  onChoose: (choosing: Choosing) => void;
}) {
  const nameId = useId();
  const ending = useEnding(vendor);
  const [confirming, setConfirming] = useState(false);
  const billed = isBilled(vendor);
  const hasPlan = vendor.plan_code !== null;
  const period = periodInWords(vendor);
  const endDate = vendor.current_period_end === null ? null : formatDate(vendor.current_period_end);
  // Renewing acts at once: its failure shows in the row. Ending asks first: its failure shows there.
  const renewError = ending.isError && ending.variables === false ? ending.error : null;
  const busy = ending.isPending;

  let actions;
  if (!hasPlan) {
    actions = (
      <Button
        size="sm"
        data-testid="vendor-plan-subscribe"
        aria-describedby={nameId}
        onClick={() => onChoose({ mode: 'subscribe', vendor })}
      >
        Subscribe…
      </Button>
    );
  } else {
    const notBilled = billed ? undefined : NOT_BILLED;
    // One button, renewing a subscription set to end, or ending one set to renew (after asking).
    const toggle = vendor.cancel_at_period_end
      ? { label: 'Renew', title: 'Renew with each period again', onClick: () => ending.mutate(false) }
      : {
          label: 'End at period end…',
          title: endDate ? `End on ${endDate} instead of renewing` : undefined,
          onClick: () => {
            ending.reset();
            setConfirming(true);
          },
        };
    actions = (
      <>
        <Button
          size="sm"
          data-testid="vendor-plan-change"
          aria-describedby={nameId}
          disabled={!billed || busy}
          title={notBilled}
          onClick={() => onChoose({ mode: 'change', vendor })}
        >
          Change plan…
        </Button>
        <Button
          size="sm"
          variant="ghost"
          data-testid="vendor-plan-ending"
          aria-describedby={nameId}
          disabled={!billed}
          loading={busy}
          title={notBilled ?? toggle.title}
          onClick={toggle.onClick}
        >
          {toggle.label}
        </Button>
      </>
    );
  }

  return (
    <>
      <tr
        data-testid="vendor-plan-row"
        data-vendor={vendor.vendor_id}
        className="border-b border-line align-top last:border-b-0"
      >
        <td className="px-4 py-2">
          <div id={nameId}>{vendor.vendor_name}</div>
          <div className="text-sm text-fg-muted">{vendor.email}</div>
        </td>
        <td className="px-2 py-2">
          {vendor.plan_name ?? vendor.plan_code ?? <span className="text-fg-subtle">No plan</span>}
        </td>
        <td className="px-2 py-2">
          {vendor.status === null ? (
            <span className="text-fg-faint">{EMPTY}</span>
          ) : (
            <PlanStatusBadge status={vendor.status} />
          )}
        </td>
        <td className="px-2 py-2 whitespace-nowrap" data-testid="vendor-plan-period">
          {period ?? <span className="text-fg-faint">{EMPTY}</span>}
        </td>
        <td className="px-2 py-2">
          {vendor.stripe_subscription_id !== null ? (
            <div className="flex items-center gap-1">
              <span>Stripe</span>
              <span className="font-mono text-sm text-fg-muted">{vendor.stripe_subscription_id}</span>
              <CopyButton
                text={vendor.stripe_subscription_id}
                size="sm"
                variant="ghost"
                title={`Copy ${vendor.stripe_subscription_id}`}
                data-testid="vendor-plan-copy"
              />
            </div>
          ) : hasPlan ? (
            <span className="text-fg-subtle">{NOT_BILLED}</span>
          ) : (
            <span className="text-fg-faint">{EMPTY}</span>
          )}
        </td>
        {canAct && (
          <td className="px-4 py-2">
            <div className="flex justify-end gap-1.5">{actions}</div>
            <ConfirmDialog
              open={confirming}
              onOpenChange={setConfirming}
              title={`End ${vendor.vendor_name}’s subscription?`}
              description={
                endDate
                  ? `${vendor.plan_name ?? 'The plan'} stays until ${endDate}, then ends instead of renewing. It can be renewed again until then.`
                  : `${vendor.plan_name ?? 'The plan'} stays until the end of the current period, then ends instead of renewing.`
              }
              confirmLabel={endDate ? `End on ${endDate}` : 'End at period end'}
              onConfirm={() => ending.mutateAsync(true)}
            />
          </td>
        )}
      </tr>
      {canAct && renewError && (
        <tr data-testid="vendor-plan-error" className="border-b border-line">
          <td colSpan={COLUMNS.length + 1} className="px-4 pb-2">
            <InlineError
              error={renewError}
              title={`Could not renew ${vendor.vendor_name}’s subscription`}
              hints={HINTS}
            />
          </td>
        </tr>
      )}
    </>
  );
}

/**
 * Vendors' subscriptions to the platform's plans, billed through Stripe (which mails each
 * invoice to the vendor): the plans with how many vendors are on each, then the vendors.
 * The core searches, filters and counts them. Admins subscribe vendors, change their plan
 * and end or renew it; finance looks.
 */
export function VendorPlans({ canAct }: { canAct: boolean }) {
  const [search, setSearch] = useState('');
  const [show, setShow] = useState<PlanShow | ''>('');
  const [choosing, setChoosing] = useState<Choosing>(null);
  const filter: VendorPlanFilter = useMemo(
    () => ({ search: search === '' ? null : search, show: show === '' ? null : show }),
    [search, show],
  );
  const vendors = useQuery({
    queryKey: queryKeys.vendorPlans(filter),
    queryFn: () => unwrap(commands.vendorPlans(filter)),
    // The last answer stays on screen while the next filter's loads.
    placeholderData: keepPreviousData,
  });

  const list = vendors.isSuccess ? vendors.data : null;
  const rows = list?.vendors ?? [];
  const counts = useMemo(() => (list ? countsByPlan(list.by_plan) : null), [list]);
  // The dialog follows the list: after a conflict it sends the version reloaded.
  const chosenVendor = choosing
    ? (rows.find((v) => v.vendor_id === choosing.vendor.vendor_id) ?? choosing.vendor)
    : null;

  const body = (
    <VendorTable
      query={vendors}
      total={list?.total ?? 0}
      matching={rows.length}
      noMatch={{
        icon: <SearchIcon size={20} />,
        title: 'No vendors match',
        description: 'Try another search or filter.',
      }}
      data-testid="vendor-plans-table"
      columns={canAct ? [...COLUMNS, ACTIONS_COLUMN] : COLUMNS}
    >
      {rows.map((v) => (
        <VendorRow key={v.vendor_id} vendor={v} canAct={canAct} onChoose={setChoosing} />
      ))}
    </VendorTable>
  );

  return (
    <Screen data-testid="vendor-plans">
      <PlansStrip counts={counts} />
      <Toolbar
        end={
          <p className="text-base text-fg" data-testid="plans-summary" aria-live="polite">
            {list
              ? `${formatNumber(list.on_plan)} of ${vendorCount(list.total)} on a plan`
              : 'Vendors’ plans'}
          </p>
        }
      >
        <SearchInput
          label="Search vendors"
          placeholder="Name or email"
          data-testid="plans-search"
          onSearch={setSearch}
        />
        <FilterSelect
          label="Show"
          data-testid="plans-filter"
          placeholder="All"
          value={show}
          onValueChange={setShow}
          values={PLAN_FILTERS}
          labels={PLAN_FILTER_LABELS}
          className="w-44"
        />
        {!canAct && <p className="text-sm text-fg-subtle">Only admins subscribe vendors and change plans.</p>}
      </Toolbar>
      <Card className="min-h-0 overflow-y-auto">{body}</Card>
      {choosing && chosenVendor && (
        <PlanDialog mode={choosing.mode} vendor={chosenVendor} onClose={() => setChoosing(null)} />
      )}
    </Screen>
  );
}
