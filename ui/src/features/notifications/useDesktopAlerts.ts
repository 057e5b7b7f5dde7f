import { useEffect } from 'react';
import { commands } from '../../bindings';
import { toast } from '../../components/toast';
import { navigate } from '../../app/router';
import { unwrap } from '../../lib/ipc';
import { routeOf, useUnreadCount } from './notifications';
import { osAlert } from './osAlert';

/**
 * Shows what the person asked to be alerted of on their desktop, once each, whenever the
 * bell's count is read again (at sign-in and on every live change of their notifications): in
 * the app, and in the operating system's notification area while the window is in the background.
 */
export function useDesktopAlerts(routable: readonly string[]) {
  const { dataUpdatedAt } = useUnreadCount();
  useEffect(() => {
    if (dataUpdatedAt === 0) return;
    // Taken alerts are marked shown in the core, so each is shown here whatever happens next.
    unwrap(commands.desktopAlerts())
      .then((alerts) => {
        const away = !document.hasFocus();
        for (const a of alerts) {
          if (away) void osAlert(a.title, a.body || null);
          const to = routeOf(a.link, routable);
          toast.info(a.title, {
            description: a.body || undefined,
            duration: 10_000,
            action: to ? { label: 'Open', onClick: () => navigate(to) } : undefined,
          });
        }
      })
      .catch((e: unknown) => console.warn('cannot read desktop alerts', e));
  }, [dataUpdatedAt, routable]);
}
