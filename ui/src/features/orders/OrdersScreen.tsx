import { Link } from '../../app/router';
import { useMe } from '../session/session';
import { OrdersList } from './OrdersList';
import { ORDER_STATUSES } from './status';

const linkClass = 'rounded-sm font-medium text-accent-text hover:underline';

/** Every order the signed-in person may see (a vendor: those holding their items). */
export function OrdersScreen() {
  const me = useMe();
  return (
    <OrdersList
      name="orders"
      label="Orders"
      statusOptions={ORDER_STATUSES}
      defaultSort={{ key: 'placed_at', dir: 'desc' }}
      emptyTitle="No orders yet"
      emptyDescription="Orders appear here as buyers place them."
      toolbarEnd={
        me.role === 'vendor' ? (
          <>
            <Link to="/shipments" className={linkClass} data-testid="link-shipments">
              Your shipments
            </Link>
            <span aria-hidden="true">·</span>
            <Link to="/disputes" className={linkClass} data-testid="link-disputes">
              Disputes
            </Link>
          </>
        ) : undefined
      }
    />
  );
}
