import { useQuery } from '@tanstack/react-query';
import { commands, type Connection } from '../../bindings';
import { Badge } from '../../components/Badge';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';

/** What the signed-in session works on; fixed for the session (the cache is cleared at sign-in). */
export function useConnection() {
  return useQuery({
    queryKey: queryKeys.connection,
    queryFn: () => unwrap(commands.connection()),
    staleTime: Infinity,
  });
}

/** Whether the session works on the central server: invitations, Stripe and the like need it. */
export function useOnline(): boolean {
  return useConnection().data?.online ?? false;
}

/** The badge's words and tone for a connection. */
export function connectionLabel(connection: Connection): {
  text: string;
  tone: 'success' | 'warning' | 'neutral';
  detail: string;
} {
  if (connection.online) {
    return { text: 'Online', tone: 'success', detail: `Signed in to ${connection.server ?? 'the server'}` };
  }
  if (connection.server != null) {
    return {
      text: 'Offline',
      tone: 'warning',
      detail: `${connection.server} could not be reached at sign-in: you work on this computer’s copy (${connection.local}). Your changes wait there and go to the server by themselves when it answers again; sign out and in again to work on the server itself.`,
    };
  }
  return { text: 'Local', tone: 'neutral', detail: `Working on ${connection.local}` };
}

/** The top bar's status: online, offline on the local copy, or local only. */
export function ConnectionBadge() {
  const connection = useConnection();
  if (!connection.data) return null;
  const { text, tone, detail } = connectionLabel(connection.data);
  return (
    <span data-testid="connection" data-online={connection.data.online} title={detail}>
      <Badge tone={tone} dot>
        {text}
        <span className="sr-only">: {detail}</span>
      </Badge>
    </span>
  );
}
