import { useState } from 'react';
import { Link } from '../../app/router';
import { Button } from '../../components/Button';
import { useHotkey } from '../../lib/hotkeys';
import { useMe } from '../session/session';
import { ManualOrderDialog } from './ManualOrderDialog';
import { OrdersList } from './OrdersList';
import { ORDER_STATUSES } from './status';

const linkClass = 'rounded-sm font-medium text-accent-text hover:underline';

/** Every order the signed-in person may see (a vendor: those holding their items). */
export function OrdersScreen() {
  const me = useMe();
  const [taking, setTaking] = useState(false);
  useHotkey('n', () => setTaking(true), { enabled: me.role === 'admin' });
  return (
    <>
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
          ) : me.role === 'admin' ? (
            <Button variant="primary" size="sm" onClick={() => setTaking(true)} data-testid="manual-new">
              New order by hand
            </Button>
          ) : undefined
        }
      />
      {taking && <ManualOrderDialog onClose={() => setTaking(false)} />}
    </>
  );
}
