import { BellIcon } from '../../components/icons';
import { formatNumber } from '../../lib/format';
import { navigate } from '../../app/router';
import { useUnreadCount } from './notifications';

/** The top bar's bell: the unread count, and the way to the notifications screen. */
export function Bell() {
  const count = useUnreadCount();
  const unread = count.data ?? 0;
  const label = unread === 0 ? 'Notifications' : `Notifications: ${formatNumber(unread)} unread`;
  return (
    <button
      type="button"
      data-testid="bell"
      data-unread={unread}
      data-loaded={count.isSuccess}
      aria-label={label}
      title={label}
      onClick={() => navigate('/notifications')}
      className="relative flex size-9 items-center justify-center rounded-md text-fg-muted hover:bg-raised hover:text-fg focus-visible:outline-2 focus-visible:outline-accent"
    >
      <BellIcon size={18} />
      {unread > 0 && (
        <span
          data-testid="bell-count"
          aria-hidden="true"
          className="absolute -top-0.5 -right-0.5 flex h-4 min-w-4 items-center justify-center rounded-full bg-danger px-1 text-xs font-semibold text-white tabular-nums"
        >
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </button>
  );
}
