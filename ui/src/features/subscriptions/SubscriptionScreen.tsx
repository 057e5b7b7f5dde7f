import { useQuery } from '@tanstack/react-query';
import { commands, type VendorSubscription } from '../../bindings';
import { Badge, type BadgeTone } from '../../components/Badge';
import { Card, CardBody, CardHeader } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { QueryErrorState } from '../../components/ErrorState';
import { CardIcon } from '../../components/icons';
import { DetailList } from '../../components/SidePanel';
import { Skeleton } from '../../components/Skeleton';
import { formatDate, formatMoney } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { humanize } from '../disputes/labels';

const STATUS_TONES: Record<string, BadgeTone> = {
  active: 'success',
  trialing: 'info',
  past_due: 'warning',
  unpaid: 'danger',
  cancelled: 'neutral',
  canceled: 'neutral',
};

/** 1250 basis points → '12.5%' (display only). */
export function formatBps(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const frac = Math.abs(bps % 100);
  return frac === 0 ? `${whole}%` : `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}%`;
}

function Plan({ sub }: { sub: VendorSubscription }) {
  return (
    <Card className="max-w-xl" data-testid="subscription">
      <CardHeader
        title={sub.plan_name}
        description={<span className="font-mono">{sub.plan_code}</span>}
        actions={
          <Badge tone={STATUS_TONES[sub.status] ?? 'neutral'} dot>
            {humanize(sub.status)}
          </Badge>
        }
      />
      <CardBody>
        <div className="mb-4 text-2xl font-semibold tracking-tight tabular-nums">
          {formatMoney(sub.price_minor, sub.currency)}
          <span className="ml-1 text-base font-normal text-fg-subtle">/ {sub.interval}</span>
        </div>
        <DetailList
          items={[
            [
              'Commission',
              sub.commission_bps === null ? 'The platform’s default rate' : formatBps(sub.commission_bps),
            ],
            [
              sub.cancel_at_period_end ? 'Ends' : 'Renews',
              sub.current_period_end ? formatDate(sub.current_period_end) : '—',
            ],
          ]}
        />
        {sub.cancel_at_period_end && (
          <p className="mt-4 rounded-md bg-warning-soft px-3 py-2 text-base text-warning">
            This subscription ends at the end of the current period and will not renew.
          </p>
        )}
      </CardBody>
    </Card>
  );
}

/** A vendor's plan with the platform. */
export function SubscriptionScreen() {
  const query = useQuery({
    queryKey: queryKeys.subscription,
    queryFn: () => unwrap(commands.mySubscription()),
  });
  if (query.isPending) {
    return (
      <Card className="max-w-xl" aria-busy="true" aria-label="Loading your subscription">
        <CardBody className="flex flex-col gap-3">
          <Skeleton className="h-5 w-40" />
          <Skeleton className="h-7 w-32" />
          <Skeleton className="w-64" />
        </CardBody>
      </Card>
    );
  }
  if (query.isError) {
    return (
      <Card className="max-w-xl">
        <QueryErrorState query={query} />
      </Card>
    );
  }
  if (!query.data) {
    return (
      <Card className="max-w-xl" data-testid="subscription">
        <EmptyState
          icon={<CardIcon size={20} />}
          title="No subscription"
          description="You sell on the platform’s default terms. Plans with lower commission come with a subscription."
        />
      </Card>
    );
  }
  return <Plan sub={query.data} />;
}
