import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { commands, type LabelImage, type LabelPurchase, type Shipment } from '../../bindings';
import { Badge, type BadgeTone } from '../../components/Badge';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ChevronDownIcon } from '../../components/icons';
import { Input } from '../../components/Input';
import { Menu, MenuItem, MenuLabel } from '../../components/Menu';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { formatDateTime, formatMoney } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';

const STATE_TONES: Record<LabelPurchase['state'], BadgeTone> = {
  attempting: 'info',
  purchased: 'success',
  failed: 'danger',
  uncertain: 'warning',
  voided: 'neutral',
};
const STATE_LABELS: Record<LabelPurchase['state'], string> = {
  attempting: 'Buying…',
  purchased: 'Bought',
  failed: 'Failed',
  uncertain: 'Uncertain',
  voided: 'Voided',
};

/**
 * Buying a carrier's label: one button for the thermal printer's ZPL, with the 4×6 PDF for a
 * laser printer in its menu. The local carrier and pickup issue their label with no choice to make.
 */
function BuyLabel({
  sells,
  pending,
  onBuy,
}: {
  sells: boolean;
  pending: boolean;
  onBuy: (image: LabelImage) => void;
}) {
  if (!sells) {
    return (
      <Button
        size="sm"
        variant="primary"
        className="mt-2"
        data-testid="issue-label"
        loading={pending}
        onClick={() => onBuy('zpl')}
      >
        Issue label
      </Button>
    );
  }
  return (
    <div className="mt-2 inline-flex" role="group" aria-label="Buy label">
      <Button
        size="sm"
        variant="primary"
        className="rounded-r-none"
        data-testid="buy-label"
        loading={pending}
        onClick={() => onBuy('zpl')}
      >
        Buy label
      </Button>
      <Menu
        align="start"
        trigger={
          <Button
            size="sm"
            variant="primary"
            className="rounded-l-none border-l border-accent-fg/30 px-1.5"
            aria-label="Other label formats"
            data-testid="buy-label-menu"
            disabled={pending}
          >
            <ChevronDownIcon size={14} />
          </Button>
        }
      >
        <MenuLabel>Label format</MenuLabel>
        <MenuItem data-testid="buy-label-zpl" onSelect={() => onBuy('zpl')}>
          ZPL for a thermal printer
        </MenuItem>
        <MenuItem data-testid="buy-label-pdf" onSelect={() => onBuy('pdf')}>
          4×6 PDF for a laser printer
        </MenuItem>
      </Menu>
    </div>
  );
}

/** An uncertain purchase: what happened, and the two ways a person settles it. */
function Uncertain({ attempt, onSettled }: { attempt: LabelPurchase; onSettled: () => void }) {
  const [tracking, setTracking] = useState('');
  const settle = useMutation({
    mutationFn: (voidTracking: string | null) =>
      unwrap(
        commands.settleLabelPurchase(
          attempt.id,
          voidTracking === null
            ? { kind: 'nothing_bought' }
            : { kind: 'void_at_carrier', tracking_number: voidTracking, shipment_id: null },
        ),
      ),
    onSuccess: () => toast.success('Purchase settled: the parcel can be bought for again'),
    onError: (e) => toast.error('Could not settle the purchase', { description: errorMessage(e) }),
    onSettled,
  });
  return (
    <div
      data-testid="uncertain-purchase"
      className="mt-2 rounded-md border border-warning bg-warning-subtle p-3 text-sm"
    >
      <p className="font-medium">A label may have been bought without being recorded.</p>
      <p className="mt-1 text-fg-subtle">{attempt.error_message}</p>
      <p className="mt-1">
        Reference to look for: <span className="font-mono select-all">{attempt.reference}</span>
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <Button
          size="sm"
          variant="secondary"
          data-testid="settle-nothing-bought"
          loading={settle.isPending && settle.variables === null}
          disabled={settle.isPending}
          onClick={() => settle.mutate(null)}
        >
          Nothing was bought
        </Button>
        <Input
          aria-label="Tracking number found at the carrier"
          data-testid="settle-tracking"
          placeholder="Tracking number found"
          className="w-48"
          value={tracking}
          onChange={(e) => setTracking(e.target.value)}
        />
        <Button
          size="sm"
          variant="danger"
          data-testid="settle-void"
          disabled={settle.isPending || tracking.trim() === ''}
          onClick={() => settle.mutate(tracking.trim())}
        >
          Void it at the carrier
        </Button>
      </div>
    </div>
  );
}

/**
 * A parcel's label from its carrier: buying it for the service chosen under Rates, as ZPL or PDF, voiding an unused label, and every attempt
 * with its outcome — an uncertain one blocks buying until someone settles it. The local carrier
 * and pickup issue their label here with no network.
 */
export function CarrierLabel({ shipment }: { shipment: Shipment }) {
  const client = useQueryClient();
  const purchases = useQuery({
    queryKey: queryKeys.labelPurchases(shipment.id),
    queryFn: () => unwrap(commands.shipmentLabelPurchases(shipment.id)),
  });
  const [voiding, setVoiding] = useState(false);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: queryKeys.labelPurchases(shipment.id) });
    void client.invalidateQueries({ queryKey: ['shipments', 'list'] });
  };

  const buy = useMutation({
    mutationFn: (image: LabelImage) => unwrap(commands.buyShippingLabel(shipment.id, null, image)),
    onSuccess: (attempt) => {
      if (attempt.state === 'purchased') {
        toast.success(`Label bought: ${attempt.tracking_number ?? ''}`);
      } else {
        toast.error(attempt.state === 'uncertain' ? 'The purchase is uncertain' : 'The carrier refused', {
          description: attempt.error_message ?? undefined,
        });
      }
    },
    onError: (e) => toast.error('Could not buy the label', { description: errorMessage(e) }),
    onSettled: refresh,
  });
  const voidLabel = useMutation({
    mutationFn: () => unwrap(commands.voidShippingLabel(shipment.id)),
    onSuccess: () => toast.success('Label voided: the parcel is pending again'),
    onError: (e) => toast.error('Could not void the label', { description: errorMessage(e) }),
    onSettled: refresh,
  });

  const attempts = purchases.data ?? [];
  const open = attempts.find((a) => a.state === 'uncertain' || a.state === 'attempting');
  const canBuy = shipment.status === 'pending' && !open;
  const canVoid = shipment.status === 'label_purchased' || shipment.status === 'printed';

  return (
    <section aria-labelledby="carrier-label" className="mt-5 border-t border-line pt-4">
      <h3 id="carrier-label" className="text-sm font-medium text-fg-subtle">
        Carrier label
      </h3>
      {canBuy && (
        <BuyLabel
          sells={shipment.sells_labels}
          pending={buy.isPending}
          onBuy={(image) => buy.mutate(image)}
        />
      )}
      {canVoid && (
        <Button
          size="sm"
          variant="danger"
          className="mt-2"
          data-testid="void-label"
          loading={voidLabel.isPending}
          onClick={() => setVoiding(true)}
        >
          Void label
        </Button>
      )}
      {open?.state === 'uncertain' && <Uncertain attempt={open} onSettled={refresh} />}
      {purchases.isSuccess && attempts.length === 0 && !canBuy && !canVoid && (
        <p className="mt-2 text-sm text-fg-subtle" data-testid="no-purchases">
          No label was bought for this parcel in Marketdesk.
        </p>
      )}
      {purchases.isError && <p className="mt-2 text-sm text-danger-text">{errorMessage(purchases.error)}</p>}
      {attempts.length > 0 && (
        <ul className="mt-3 space-y-1 text-sm" aria-label="Label purchases">
          {attempts.map((a) => (
            <li
              key={a.id}
              data-testid="purchase-row"
              data-state={a.state}
              className="flex flex-wrap items-center gap-2"
            >
              <Badge tone={STATE_TONES[a.state]}>{STATE_LABELS[a.state]}</Badge>
              <span className="font-mono">{a.tracking_number ?? a.reference}</span>
              {a.cost_minor !== null && a.currency !== null && (
                <span className="tabular-nums">{formatMoney(a.cost_minor, a.currency)}</span>
              )}
              <span className="text-fg-subtle">{formatDateTime(a.created_at)}</span>
              {a.state === 'failed' && a.error_message && (
                <span className="w-full text-danger-text" data-testid="purchase-failure">
                  {a.error_message}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={voiding}
        onOpenChange={setVoiding}
        title="Void this label?"
        description={`The carrier takes the label back and the parcel for ${shipment.order_number} is pending again. A label already handed over cannot be voided.`}
        confirmLabel="Void label"
        tone="danger"
        onConfirm={() => voidLabel.mutateAsync()}
      />
    </section>
  );
}
