import { useMemo, useState } from 'react';
import { commands, type AuditEntry, type AuditFilter, type AuditSort } from '../../bindings';
import { DataGrid, gridColumnHelper } from '../../components/DataGrid';
import { DateRangeInputs } from '../../components/DateRangeInputs';
import { EmptyState } from '../../components/EmptyState';
import { FilterSelect } from '../../components/FilterSelect';
import { ListScreen } from '../../components/Layout';
import { SearchInput } from '../../components/SearchInput';
import { DetailList, PanelSection, SidePanel } from '../../components/SidePanel';
import { formatDateTime } from '../../lib/format';
import { shortId } from '../../lib/ids';
import { queryKeys } from '../../lib/queryKeys';
import { useDateRange } from '../../lib/useDateRange';
import { useOpenRow, usePagedList } from '../../lib/useListScreen';
import { humanize } from '../disputes/labels';
import { ROLE_LABELS } from '../session/roles';
import { auditChanges, formatAuditValue, prettyDetails } from './details';

const AUDIT_SORTS: readonly AuditSort[] = ['occurred_at'];

/** The tables audit entries are about. */
export const AUDIT_TABLES = [
  'users',
  'user_profiles',
  'platform_settings',
  'refunds',
  'payouts',
  'payout_batches',
  'shipping_labels',
  'subscription_plans',
  'auth',
] as const;
type AuditTable = (typeof AUDIT_TABLES)[number];

function roleLabel(role: string): string {
  return role in ROLE_LABELS ? ROLE_LABELS[role as keyof typeof ROLE_LABELS] : humanize(role);
}

/** Who did it: their role then and the first block of their id, or 'System'. */
function Actor({ entry }: { entry: AuditEntry }) {
  if (entry.actor_id === null) return <span className="text-fg-subtle">System</span>;
  return (
    <span title={entry.actor_id}>
      {entry.actor_role ? `${roleLabel(entry.actor_role)} ` : ''}
      <span className="font-mono text-fg-subtle">{shortId(entry.actor_id)}</span>
    </span>
  );
}

const col = gridColumnHelper<AuditEntry>();
const columns = col.columns([
  col.accessor('occurred_at', {
    header: 'Time',
    meta: { sortKey: 'occurred_at', firstSortDir: 'desc', width: 170 },
    cell: (info) => formatDateTime(info.getValue()),
  }),
  col.accessor('actor_id', {
    header: 'Actor',
    meta: { width: 150 },
    cell: (info) => <Actor entry={info.row.original} />,
  }),
  col.accessor('action', {
    header: 'Action',
    meta: { width: 190 },
    cell: (info) => <span className="font-mono">{info.getValue()}</span>,
  }),
  col.accessor('entity_table', {
    header: 'Table',
    meta: { width: 140 },
    cell: (info) => info.getValue() ?? <span className="text-fg-faint">—</span>,
  }),
  col.accessor('entity_id', {
    header: 'Row',
    meta: { width: 100, numeric: true },
    cell: (info) => (
      <span className="font-mono" title={info.getValue() ?? undefined}>
        {shortId(info.getValue())}
      </span>
    ),
  }),
]);

/** An entry's details: 'field: old → new' per change, or the JSON as it is. */
export function AuditDetails({ entry }: { entry: AuditEntry }) {
  const { details } = entry;
  if (details === null || (typeof details === 'object' && Object.keys(details).length === 0)) {
    return <p className="text-base text-fg-subtle">No details recorded.</p>;
  }
  const changes = auditChanges(details);
  if (changes === null) {
    return (
      <pre
        data-testid="audit-details-json"
        className="overflow-x-auto rounded-md bg-canvas p-2 font-mono text-sm whitespace-pre-wrap text-fg"
      >
        {prettyDetails(details)}
      </pre>
    );
  }
  return (
    <ul data-testid="audit-changes" className="flex flex-col gap-1.5 text-base">
      {changes.map((c) => (
        <li key={c.field} className="break-words">
          <span className="font-mono text-fg-muted">{c.field}</span>: {formatAuditValue(c.from)}
          {' → '}
          {formatAuditValue(c.to)}
        </li>
      ))}
    </ul>
  );
}

function AuditPanel({ entry, onClose }: { entry: AuditEntry; onClose: () => void }) {
  return (
    <SidePanel
      data-testid="audit-detail"
      focusKey={entry.id}
      title={<span className="font-mono">{entry.action}</span>}
      description={formatDateTime(entry.occurred_at)}
      onClose={onClose}
    >
      <DetailList
        items={[
          ['Actor', <Actor key="a" entry={entry} />],
          [
            'Actor id',
            <span key="i" className="font-mono text-sm">
              {entry.actor_id ?? '—'}
            </span>,
          ],
          ['Table', entry.entity_table ?? '—'],
          [
            'Row',
            <span key="r" className="font-mono text-sm">
              {entry.entity_id ?? '—'}
            </span>,
          ],
        ]}
      />
      <PanelSection title="Details">
        <AuditDetails entry={entry} />
      </PanelSection>
      <p className="mt-5 rounded-md bg-raised px-3 py-2 text-sm text-fg-subtle">
        The audit trail is append-only: no one, admins included, can edit or delete an entry.
      </p>
    </SidePanel>
  );
}

/** Everything that happened: sign-ins, changes of people and settings, money actions (admins only). */
export function AuditScreen() {
  const [action, setAction] = useState('');
  const [table, setTable] = useState<AuditTable | ''>('');
  const dates = useDateRange();
  const { fromInstant, toInstant } = dates;
  const { open, close, gridProps } = useOpenRow<AuditEntry>();

  const filter: AuditFilter = useMemo(
    () => ({
      actor_id: null,
      action_prefix: action === '' ? null : action,
      entity_table: table === '' ? null : table,
      entity_id: null,
      from: fromInstant,
      to: toInstant,
    }),
    [action, table, fromInstant, toInstant],
  );
  const fetchPage = usePagedList(filter, commands.listAudit, AUDIT_SORTS, 'occurred_at');
  const filtered = action !== '' || table !== '' || dates.active;

  return (
    <ListScreen
      filters={
        <>
          <SearchInput
            label="Action prefix"
            placeholder="Action starts with… (payouts.)"
            data-testid="filter-action"
            onSearch={setAction}
            className="w-64"
          />
          <FilterSelect
            label="Table"
            data-testid="filter-table"
            placeholder="Any table"
            value={table}
            onValueChange={setTable}
            values={AUDIT_TABLES}
            className="w-44"
          />
          <DateRangeInputs
            {...dates.range}
            onChange={dates.onChange}
            problem={dates.problem}
            testIdPrefix="audit"
          />
        </>
      }
      toolbarEnd="Read-only: the trail cannot be edited"
      detail={open && <AuditPanel key={open.id} entry={open} onClose={close} />}
    >
      <DataGrid
        aria-label="Audit trail"
        data-testid="grid-audit"
        className="min-h-0 flex-1"
        {...gridProps}
        columns={columns}
        queryKey={queryKeys.auditList(filter)}
        fetchPage={fetchPage}
        rowKey={(e) => e.id}
        defaultSort={{ key: 'occurred_at', dir: 'desc' }}
        emptyState={
          <EmptyState
            title={filtered ? 'Nothing matches these filters' : 'Nothing recorded yet'}
            description={filtered ? 'Try another action, table or date range.' : undefined}
          />
        }
      />
    </ListScreen>
  );
}
