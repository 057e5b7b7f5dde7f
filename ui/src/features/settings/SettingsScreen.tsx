import { useQuery } from '@tanstack/react-query';
import { commands } from '../../bindings';
import { Card, CardHeader } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { QueryErrorState } from '../../components/ErrorState';
import { SimpleTable } from '../../components/SimpleTable';
import { InfoIcon } from '../../components/icons';
import { Skeleton } from '../../components/Skeleton';
import { formatDateTime, formatRelative } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';

/** A setting's JSON text, shown compactly: strings without quotes, the rest as written. */
export function showValue(json: string): string {
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value === 'string') return value;
    return JSON.stringify(value);
  } catch {
    return json;
  }
}

/** The platform's settings (admins). Read-only until they sync with the central server. */
export function SettingsScreen() {
  const query = useQuery({
    queryKey: queryKeys.settings,
    queryFn: () => unwrap(commands.platformSettings()),
  });

  let body;
  if (query.isPending) {
    body = (
      <div className="flex flex-col gap-3 p-4" aria-busy="true" aria-label="Loading settings">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} className={i % 2 ? 'w-2/3' : 'w-5/6'} />
        ))}
      </div>
    );
  } else if (query.isError) {
    body = <QueryErrorState query={query} />;
  } else if (query.data.length === 0) {
    body = <EmptyState title="No settings" description="The platform runs on its defaults." />;
  } else {
    body = (
      <div className="overflow-x-auto">
        <SimpleTable
          data-testid="settings-table"
          columns={[
            { label: 'Key', className: 'px-4 py-2' },
            { label: 'Value', className: 'px-2 py-2' },
            { label: 'Description', className: 'px-2 py-2' },
            { label: 'Updated', className: 'px-4 py-2 whitespace-nowrap' },
          ]}
        >
          <tbody>
            {query.data.map((s) => (
              <tr key={s.key} data-key={s.key} className="border-b border-line align-top last:border-b-0">
                <td className="px-4 py-2 font-mono text-sm whitespace-nowrap">{s.key}</td>
                <td className="max-w-xs px-2 py-2 font-mono text-sm break-all" title={s.value}>
                  {showValue(s.value)}
                </td>
                <td className="px-2 py-2 text-fg-muted">{s.description}</td>
                <td
                  className="px-4 py-2 whitespace-nowrap text-fg-subtle"
                  title={formatDateTime(s.updated_at)}
                >
                  {formatRelative(s.updated_at)}
                </td>
              </tr>
            ))}
          </tbody>
        </SimpleTable>
      </div>
    );
  }

  return (
    <div data-testid="settings" className="flex min-h-0 flex-1 flex-col gap-3 overflow-y-auto">
      <p className="flex max-w-3xl items-start gap-2 rounded-md bg-info-soft px-3 py-2 text-base text-info">
        <InfoIcon className="mt-0.5 shrink-0" />
        <span>
          Settings are read-only here for now: editing them comes with sync to the central server, so that
          every desktop applies the same values.
        </span>
      </p>
      <Card>
        <CardHeader title="Platform settings" description="Values are JSON, as stored." />
        {body}
      </Card>
    </div>
  );
}
