import { useCallback, useMemo, useState } from 'react';
import { commands, type LogFilter, type LogLevel, type LogLine } from '../../bindings';
import type { BadgeTone } from '../../components/Badge';
import { DataGrid, gridColumnHelper, type Page, type PageRequest } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { FilterSelect } from '../../components/FilterSelect';
import { ListScreen } from '../../components/Layout';
import { SearchInput } from '../../components/SearchInput';
import { DetailList, PanelSection, SidePanel } from '../../components/SidePanel';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { useOpenRow } from '../../lib/useListScreen';

const LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];
const LEVEL_LABELS: Record<LogLevel, string> = {
  error: 'Error',
  warn: 'Warning',
  info: 'Info',
  debug: 'Debug',
  trace: 'Trace',
};
const FILTER_LABELS: Record<LogLevel, string> = {
  error: 'Errors',
  warn: 'Warnings and errors',
  info: 'Info and above',
  debug: 'Debug and above',
  trace: 'Everything',
};
const TONES: Record<LogLevel, BadgeTone> = {
  error: 'danger',
  warn: 'warning',
  info: 'info',
  debug: 'neutral',
  trace: 'neutral',
};

const col = gridColumnHelper<LogLine>();
const COLUMNS = col.columns([
  col.accessor('at', {
    header: 'Time',
    meta: { width: 170 },
    cell: (info) => (info.getValue() ? formatDateTime(info.getValue()) : '—'),
  }),
  col.accessor('level', {
    header: 'Level',
    meta: { width: 100 },
    cell: (info) => <StatusBadge status={info.getValue()} labels={LEVEL_LABELS} tones={TONES} />,
  }),
  col.accessor('module', {
    header: 'Module',
    meta: { width: 260 },
    cell: (info) => <span className="font-mono text-sm">{info.getValue()}</span>,
  }),
  col.accessor('message', { header: 'Message', meta: { width: 520 } }),
]);

function LogPanel({ line, onClose }: { line: LogLine; onClose: () => void }) {
  return (
    <SidePanel
      data-testid="log-detail"
      focusKey={line.id}
      title={LEVEL_LABELS[line.level]}
      description={line.at ? formatDateTime(line.at) : undefined}
      onClose={onClose}
    >
      <DetailList
        items={[
          [
            'Module',
            <span key="m" className="font-mono text-sm break-all">
              {line.module}
            </span>,
          ],
          [
            'File',
            <span key="f" className="font-mono text-sm">
              {line.id}
            </span>,
          ],
        ]}
      />
      <PanelSection title="Message">
        <p className="text-base break-words whitespace-pre-wrap">{line.message || '—'}</p>
      </PanelSection>
      {line.fields && (
        <PanelSection title="Fields">
          <pre className="max-h-96 overflow-auto rounded-md bg-raised p-2 text-sm break-words whitespace-pre-wrap">
            {line.fields}
          </pre>
        </PanelSection>
      )}
      <p className="mt-5 rounded-md bg-raised px-3 py-2 text-sm text-fg-subtle">
        Secrets and e-mail addresses are taken out of every line before it is written.
      </p>
    </SidePanel>
  );
}

/**
 * This computer's log files for admins: newest line first, narrowed by level, module and text
 * in the core, a line's fields (a panic's backtrace) in the side panel.
 */
export function LogsScreen() {
  const [level, setLevel] = useState<LogLevel | ''>('warn');
  const [module, setModule] = useState('');
  const [text, setText] = useState('');
  const [folder, setFolder] = useState<string | null>(null);
  const { open, close, gridProps } = useOpenRow<LogLine>();
  const filter: LogFilter = useMemo(
    () => ({ level: level === '' ? null : level, module: module || null, text: text || null }),
    [level, module, text],
  );
  const fetchPage = useCallback(
    async (request: PageRequest): Promise<Page<LogLine>> => {
      const page = await unwrap(commands.readLogs(filter, request.after, request.limit));
      setFolder(`${page.folder} · ${page.files} file${page.files === 1 ? '' : 's'}`);
      return { items: page.lines, next_cursor: page.next };
    },
    [filter],
  );
  const filtered = level !== '' || module !== '' || text !== '';
  return (
    <ListScreen
      filters={
        <>
          <FilterSelect
            label="Level"
            data-testid="filter-log-level"
            placeholder="Any level"
            value={level}
            onValueChange={setLevel}
            values={LEVELS}
            labels={FILTER_LABELS}
            className="w-48"
          />
          <SearchInput
            label="Module"
            placeholder="Module starts with… (marketdesk_core::jobs)"
            data-testid="filter-log-module"
            onSearch={setModule}
            className="w-72"
          />
          <SearchInput
            label="Text"
            placeholder="Message or field holds…"
            data-testid="filter-log-text"
            onSearch={setText}
            className="w-56"
          />
        </>
      }
      toolbarEnd={
        folder && (
          <span className="truncate text-sm text-fg-muted" data-testid="log-folder" title={folder}>
            {folder}
          </span>
        )
      }
      detail={open && <LogPanel key={open.id} line={open} onClose={close} />}
    >
      <DataGrid
        aria-label="Log lines"
        data-testid="grid-logs"
        className="min-h-0 flex-1"
        {...gridProps}
        columns={COLUMNS}
        queryKey={['logs', filter]}
        fetchPage={fetchPage}
        rowKey={(l) => l.id}
        pageSize={200}
        emptyState={
          <EmptyState
            title={filtered ? 'No lines match' : 'Nothing logged yet'}
            description={
              filtered
                ? 'Try a lower level, another module or other words.'
                : 'Marketdesk writes what it does and what fails here.'
            }
          />
        }
      />
    </ListScreen>
  );
}
