import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { commands, type Preference, type PreferenceChoice } from '../../bindings';
import { Button } from '../../components/Button';
import { Card, CardBody, CardHeader } from '../../components/Card';
import { QueryList } from '../../components/QueryList';
import { toast } from '../../components/toast';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';

type Channel = 'in_app' | 'email' | 'desktop';
const CHANNELS: { key: Channel; label: string }[] = [
  { key: 'in_app', label: 'Bell' },
  { key: 'email', label: 'Mail' },
  { key: 'desktop', label: 'Desktop' },
];

function choiceOf(p: Preference): PreferenceChoice {
  return { kind: p.kind, in_app: p.in_app, email: p.email, digest: p.digest, desktop: p.desktop };
}

/**
 * Where each kind of notification reaches the person: the bell, mail (each, or in a daily
 * digest) and the desktop. The kinds and the defaults are the core's, for the person's role.
 */
export function PreferencesCard() {
  const client = useQueryClient();
  const prefs = useQuery({
    queryKey: queryKeys.notificationPreferences,
    queryFn: () => unwrap(commands.notificationPreferences()),
  });
  const save = useMutation({
    mutationFn: (choice: PreferenceChoice) => unwrap(commands.setNotificationPreference(choice)),
    onSuccess: (next) => client.setQueryData(queryKeys.notificationPreferences, next),
    onError: (e) => toast.error(e.message),
  });
  const reset = useMutation({
    mutationFn: () => unwrap(commands.resetNotificationPreferences()),
    onSuccess: (next) => {
      client.setQueryData(queryKeys.notificationPreferences, next);
      toast.success('Back to the defaults for your role');
    },
    onError: (e) => toast.error(e.message),
  });
  const rows = prefs.data ?? [];
  return (
    <Card className="flex min-h-0 flex-col">
      <CardHeader
        title="Where they reach you"
        description="Per kind: at the bell, by mail, and as an alert on this desktop."
        actions={
          <Button
            size="sm"
            variant="ghost"
            data-testid="reset-preferences"
            disabled={!rows.some((p) => p.customised)}
            loading={reset.isPending}
            onClick={() => reset.mutate()}
          >
            Use defaults
          </Button>
        }
      />
      <CardBody className="min-h-0 flex-1 overflow-auto">
        <QueryList
          query={prefs}
          loadingLabel="Loading your choices"
          errorTitle="Could not read your choices"
          total={rows.length}
          empty={{ title: 'Nothing to choose', description: 'Your role is not told of anything here.' }}
        >
          <table className="w-full text-base" data-testid="preferences">
            <thead>
              <tr className="border-b border-line text-sm text-fg-subtle">
                <th className="py-1.5 pr-3 text-left font-medium">Kind</th>
                {CHANNELS.map((c) => (
                  <th key={c.key} className="px-2 py-1.5 text-center font-medium">
                    {c.label}
                  </th>
                ))}
                <th className="py-1.5 pl-2 text-center font-medium">Daily mail</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.kind} className="border-b border-line last:border-0" data-kind={p.kind}>
                  <td className="py-1.5 pr-3">
                    {p.label}
                    {p.customised && <span className="ml-1 text-sm text-fg-subtle">(yours)</span>}
                  </td>
                  {CHANNELS.map((c) => (
                    <td key={c.key} className="px-2 py-1.5 text-center">
                      <input
                        type="checkbox"
                        className="size-4 accent-accent"
                        aria-label={`${p.label}: ${c.label}`}
                        data-testid={`pref-${p.kind}-${c.key}`}
                        checked={p[c.key]}
                        disabled={save.isPending}
                        onChange={(e) => save.mutate({ ...choiceOf(p), [c.key]: e.target.checked })}
                      />
                    </td>
                  ))}
                  <td className="py-1.5 pl-2 text-center">
                    <input
                      type="checkbox"
                      className="size-4 accent-accent"
                      aria-label={`${p.label}: gather mails in a daily digest`}
                      data-testid={`pref-${p.kind}-digest`}
                      checked={p.digest}
                      disabled={save.isPending || !p.email}
                      onChange={(e) => save.mutate({ ...choiceOf(p), digest: e.target.checked })}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </QueryList>
      </CardBody>
    </Card>
  );
}
