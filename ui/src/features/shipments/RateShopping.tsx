import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { commands, type RateOption, type Shipment } from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Spinner } from '../../components/Spinner';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { formatMoney } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';

function days(o: RateOption): string {
  if (o.min_days === null || o.max_days === null) return '—';
  return o.min_days === o.max_days ? `${o.max_days} d` : `${o.min_days}–${o.max_days} d`;
}

function OptionRow({
  option,
  canChoose,
  choosing,
  onChoose,
}: {
  option: RateOption;
  canChoose: boolean;
  choosing: boolean;
  onChoose: () => void;
}) {
  return (
    <li
      data-testid="rate-option"
      data-source={option.source}
      aria-current={option.chosen || undefined}
      className={`flex items-center gap-2 rounded-md border px-3 py-2 text-sm ${
        option.chosen ? 'border-accent bg-accent-subtle' : 'border-line'
      }`}
    >
      <span className="min-w-0 flex-1 truncate" title={option.name}>
        {option.name}
        <span className="ml-1 text-fg-subtle">{option.source === 'table' ? '· table' : '· quote'}</span>
      </span>
      {option.cheapest && <Badge tone="success">Cheapest</Badge>}
      {option.fastest && <Badge tone="accent">Fastest</Badge>}
      {option.free && <Badge tone="info">Free</Badge>}
      <span className="w-14 text-right text-fg-subtle">{days(option)}</span>
      <span className="w-20 text-right font-medium tabular-nums">
        {formatMoney(option.amount_minor, option.currency)}
      </span>
      {option.chosen ? (
        <Badge tone="neutral">Chosen</Badge>
      ) : (
        canChoose && (
          <Button size="sm" variant="ghost" data-testid="choose-rate" loading={choosing} onClick={onChoose}>
            Choose
          </Button>
        )
      )}
    </li>
  );
}

/**
 * Every way to send a parcel, as the core prices it: the local methods' tables for the zone of
 * its destination beside the carriers' quotes, cheapest first with the cheapest and fastest
 * marked; a carrier that cannot quote says why. Choosing a rate (before the label is bought)
 * sets the parcel's carrier and service, priced again by the core.
 */
export function RateShopping({ shipment }: { shipment: Shipment }) {
  const client = useQueryClient();
  const [asked, setAsked] = useState(false);
  const rates = useQuery({
    queryKey: queryKeys.shipmentRates(shipment.id),
    queryFn: () => unwrap(commands.shipmentRates(shipment.id)),
    enabled: asked,
    staleTime: 60_000,
  });
  const choose = useMutation({
    mutationFn: (o: RateOption) =>
      unwrap(
        commands.chooseShipmentRate(shipment.id, rates.data?.version ?? shipment.version, {
          method_id: o.method_id,
          carrier: o.carrier,
          service_code: o.service_code,
          amount_minor: o.amount_minor,
        }),
      ),
    onSuccess: (_, o) =>
      toast.success(`${o.name} chosen`, { description: formatMoney(o.amount_minor, o.currency) }),
    onError: (e) => toast.error('Could not choose the rate', { description: errorMessage(e) }),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: queryKeys.shipmentRates(shipment.id) });
      void client.invalidateQueries({ queryKey: ['shipments', 'list'] });
    },
  });

  return (
    <section aria-labelledby="rates" className="mt-5 border-t border-line pt-4">
      <h3 id="rates" className="text-sm font-medium text-fg-subtle">
        Rates
      </h3>
      {!asked ? (
        <Button
          size="sm"
          variant="secondary"
          className="mt-2"
          data-testid="get-rates"
          onClick={() => setAsked(true)}
        >
          Compare rates
        </Button>
      ) : rates.isPending ? (
        <p className="mt-2 flex items-center gap-2 text-sm text-fg-subtle" data-testid="rates-loading">
          <Spinner /> Pricing the tables and asking the carriers…
        </p>
      ) : rates.isError ? (
        <p className="mt-2 text-sm text-danger-text" role="alert">
          {errorMessage(rates.error)}
        </p>
      ) : (
        <div className="mt-2" data-testid="rate-shopping">
          <p className="text-xs text-fg-subtle">
            {rates.data.weight_grams.toLocaleString()} g · {rates.data.zone ?? 'no zone'} · goods{' '}
            {formatMoney(rates.data.goods_minor, rates.data.currency)}
          </p>
          {rates.data.options.length === 0 ? (
            <p className="mt-2 text-sm text-fg-subtle" data-testid="no-rates">
              Nothing is on offer for this parcel.
            </p>
          ) : (
            <ul className="mt-2 space-y-1" aria-label="Rates">
              {rates.data.options.map((o) => (
                <OptionRow
                  key={`${o.source}-${o.method_id ?? ''}-${o.carrier}-${o.service_code}`}
                  option={o}
                  canChoose={rates.data.can_choose}
                  choosing={choose.isPending && choose.variables === o}
                  onChoose={() => choose.mutate(o)}
                />
              ))}
            </ul>
          )}
          {rates.data.unavailable.length > 0 && (
            <ul className="mt-2 space-y-0.5 text-xs text-fg-subtle" aria-label="Not on offer">
              {rates.data.unavailable.map((u) => (
                <li key={u.name} data-testid="rate-unavailable">
                  <span className="font-medium">{u.name}:</span> {u.reason}
                </li>
              ))}
            </ul>
          )}
          <Button
            size="sm"
            variant="ghost"
            className="mt-1"
            loading={rates.isFetching}
            onClick={() => void rates.refetch()}
          >
            Ask again
          </Button>
        </div>
      )}
    </section>
  );
}
