import { useQuery } from '@tanstack/react-query';
import { commands } from '../../bindings';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { SHIPMENT_STATUS_LABELS } from './statuses';

/** A parcel's tracking events as the carrier reported them, newest on top. */
export function TrackingTimeline({ shipmentId }: { shipmentId: string }) {
  const events = useQuery({
    queryKey: queryKeys.tracking(shipmentId),
    queryFn: () => unwrap(commands.shipmentTracking(shipmentId)),
  });
  const list = [...(events.data ?? [])].reverse();
  return (
    <section aria-labelledby="tracking" className="mt-5 border-t border-line pt-4">
      <h3 id="tracking" className="text-sm font-medium text-fg-subtle">
        Tracking
      </h3>
      {events.isError ? (
        <p className="mt-2 text-sm text-danger-text">{errorMessage(events.error)}</p>
      ) : events.isSuccess && list.length === 0 ? (
        <p className="mt-2 text-sm text-fg-subtle" data-testid="no-tracking">
          No events from the carrier yet.
        </p>
      ) : (
        <ol className="mt-2 space-y-2 border-l border-line pl-3 text-sm">
          {list.map((e) => (
            <li key={e.id} data-testid="tracking-event">
              <div className="font-medium">
                {SHIPMENT_STATUS_LABELS[e.status]}
                {e.description !== '' && (
                  <span className="font-normal text-fg-subtle"> · {e.description}</span>
                )}
              </div>
              <div className="text-fg-subtle">
                {formatDateTime(e.occurred_at)}
                {e.location && ` · ${e.location}`}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
