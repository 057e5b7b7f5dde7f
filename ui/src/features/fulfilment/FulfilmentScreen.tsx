import { ORDER_AWAITING_FULFILMENT } from '../../bindings';
import { OrdersList } from '../orders/OrdersList';

/** The warehouse's queue: paid orders not yet (fully) shipped, oldest first. */
export function FulfilmentScreen() {
  return (
    <OrdersList
      name="fulfilment"
      label="Fulfilment queue"
      statusOptions={ORDER_AWAITING_FULFILMENT}
      baseStatuses={ORDER_AWAITING_FULFILMENT}
      defaultSort={{ key: 'placed_at', dir: 'asc' }}
      emptyTitle="Nothing to ship"
      emptyDescription="Every paid order has left the warehouse."
    />
  );
}
