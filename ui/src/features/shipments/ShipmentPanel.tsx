import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { commands, type Shipment, type ShipmentStatus } from '../../bindings';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { NameOrId } from '../../components/NameOrId';
import { DetailList, SidePanel } from '../../components/SidePanel';
import { StatusBadge } from '../../components/StatusBadge';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { isErrorKind, unwrap } from '../../lib/ipc';
import { useMe } from '../session/session';
import { CarrierLabel } from './CarrierLabel';
import { LabelActions } from './LabelActions';
import { PrintLabel } from './PrintLabel';
import { RateShopping } from './RateShopping';
import { carrierLabel } from './shipmentColumns';
import {
  SHIPMENT_ACTION_LABELS as ACTION_LABELS,
  SHIPMENT_STATUS_LABELS,
  SHIPMENT_STATUS_TONES as STATUS_TONES,
  manualMoves,
} from './statuses';
import { TrackingTimeline } from './TrackingTimeline';
import { PackingSlip } from './WarehouseSheets';

/** One parcel: its facts, the moves a person makes by hand, rates, label, printing and tracking. */
export function ShipmentPanel({
  shipment,
  onClose,
  onChanged,
}: {
  shipment: Shipment;
  onClose: () => void;
  onChanged: (s: Shipment) => void;
}) {
  const me = useMe();
  const client = useQueryClient();
  const canMove = me.role === 'logistics' || me.role === 'admin';
  const [target, setTarget] = useState<ShipmentStatus | null>(null);

  const move = useMutation({
    mutationFn: (status: ShipmentStatus) =>
      unwrap(commands.setShipmentStatus(shipment.id, shipment.version, status)),
    onSettled: () => client.invalidateQueries({ queryKey: ['shipments', 'list'] }),
  });

  const confirm = async () => {
    if (!target) return;
    try {
      const version = await move.mutateAsync(target);
      const now = new Date().toISOString();
      onChanged({
        ...shipment,
        version,
        status: target,
        shipped_at: target === 'in_transit' ? (shipment.shipped_at ?? now) : shipment.shipped_at,
        delivered_at: target === 'delivered' ? now : shipment.delivered_at,
      });
      toast.success(`Shipment for ${shipment.order_number}: ${SHIPMENT_STATUS_LABELS[target].toLowerCase()}`);
    } catch (e) {
      toast.error(errorMessage(e), {
        description: isErrorKind(e, 'conflict')
          ? 'The list has been reloaded: open the shipment again.'
          : undefined,
      });
      if (isErrorKind(e, 'conflict')) onClose();
    }
  };

  const next = manualMoves(shipment.status);

  return (
    <SidePanel
      data-testid="shipment-detail"
      focusKey={shipment.id}
      title={`Shipment for ${shipment.order_number}`}
      description={carrierLabel(shipment.carrier)}
      onClose={onClose}
      footer={
        canMove && next.length > 0 ? (
          <>
            {next.map((s) => (
              <Button
                key={s}
                size="sm"
                variant={s === 'cancelled' ? 'danger' : 'secondary'}
                data-testid={`shipment-action-${s}`}
                disabled={move.isPending}
                onClick={() => setTarget(s)}
              >
                {ACTION_LABELS[s]}
              </Button>
            ))}
          </>
        ) : undefined
      }
    >
      <DetailList
        items={[
          [
            'Tracking number',
            <span key="t" data-testid="tracking-number" className="font-mono select-all">
              {shipment.tracking_number ?? 'No label yet'}
            </span>,
          ],
          [
            'Status',
            <StatusBadge
              key="s"
              status={shipment.status}
              labels={SHIPMENT_STATUS_LABELS}
              tones={STATUS_TONES}
            >
              <span data-testid="shipment-status">{SHIPMENT_STATUS_LABELS[shipment.status]}</span>
            </StatusBadge>,
          ],
          ['Carrier', carrierLabel(shipment.carrier)],
          ['Order', shipment.order_number],
          ...(me.role === 'vendor'
            ? []
            : [
                ['Vendor', <NameOrId key="v" name={shipment.vendor_name} id={shipment.vendor_id} />] as const,
              ]),
          ['Created', formatDateTime(shipment.created_at)],
          ['Shipped', formatDateTime(shipment.shipped_at)],
          ['Delivered', formatDateTime(shipment.delivered_at)],
        ]}
      />
      {me.role === 'logistics' && shipment.status === 'pending' && <RateShopping shipment={shipment} />}
      {me.role === 'logistics' && <CarrierLabel shipment={shipment} />}
      {canMove && <PrintLabel shipmentId={shipment.id} />}
      {canMove && <LabelActions shipmentId={shipment.id} />}
      {canMove && <PackingSlip shipmentId={shipment.id} />}
      <TrackingTimeline shipmentId={shipment.id} />
      <ConfirmDialog
        open={target !== null}
        onOpenChange={(open) => !open && setTarget(null)}
        title={target ? `${ACTION_LABELS[target]}?` : ''}
        description={
          target
            ? `The shipment for ${shipment.order_number} goes from ${SHIPMENT_STATUS_LABELS[shipment.status]} to ${SHIPMENT_STATUS_LABELS[target]}.`
            : undefined
        }
        confirmLabel={target ? ACTION_LABELS[target] : 'Confirm'}
        tone={target === 'cancelled' ? 'danger' : 'primary'}
        onConfirm={confirm}
      />
    </SidePanel>
  );
}
