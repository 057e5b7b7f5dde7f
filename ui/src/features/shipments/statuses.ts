import { SHIPMENT_MANUAL_MOVES, type ShipmentStatus } from '../../bindings';
import type { BadgeTone } from '../../components/Badge';

/** Every shipment status, in lifecycle order, for filters. */
export const SHIPMENT_STATUSES: readonly ShipmentStatus[] = [
  'pending',
  'label_purchased',
  'printed',
  'handed_over',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
  'returned',
  'cancelled',
];

export const SHIPMENT_STATUS_LABELS: Record<ShipmentStatus, string> = {
  pending: 'Pending',
  label_purchased: 'Label purchased',
  printed: 'Printed',
  handed_over: 'Handed over',
  in_transit: 'In transit',
  out_for_delivery: 'Out for delivery',
  delivered: 'Delivered',
  exception: 'Exception',
  returned: 'Returned',
  cancelled: 'Cancelled',
};

export const SHIPMENT_STATUS_TONES: Record<ShipmentStatus, BadgeTone> = {
  pending: 'warning',
  label_purchased: 'info',
  printed: 'info',
  handed_over: 'accent',
  in_transit: 'accent',
  out_for_delivery: 'accent',
  delivered: 'success',
  exception: 'danger',
  returned: 'neutral',
  cancelled: 'neutral',
};

/** What the button that moves a shipment to each status says. */
export const SHIPMENT_ACTION_LABELS: Record<ShipmentStatus, string> = {
  pending: 'Back to pending',
  label_purchased: 'Label purchased',
  printed: 'Printed',
  handed_over: 'Hand over',
  in_transit: 'In transit',
  out_for_delivery: 'Out for delivery',
  delivered: 'Delivered',
  exception: 'Report exception',
  returned: 'Returned',
  cancelled: 'Cancel shipment',
};

/** The moves a person makes by hand from `status`, exactly as the core's lifecycle allows. */
export function manualMoves(status: ShipmentStatus): readonly ShipmentStatus[] {
  return SHIPMENT_MANUAL_MOVES.find((m) => m.from === status)?.to ?? [];
}
