import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import {
  commands,
  type ApplicationFilter,
  type ApplicationSort,
  type ApplicationSummary,
  type OnboardingStage,
} from '../../bindings';
import { useLocation } from '../../app/router';
import { Button } from '../../components/Button';
import { DataGrid, gridColumnHelper } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { ListScreen } from '../../components/Layout';
import { SearchInput } from '../../components/SearchInput';
import { SidePanel } from '../../components/SidePanel';
import { Skeleton } from '../../components/Skeleton';
import { StatusBadge } from '../../components/StatusBadge';
import { Tabs, TabsList, TabsTrigger } from '../../components/Tabs';
import { errorMessage } from '../../lib/errors';
import { formatDateTime, formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { useOpenRow, usePagedList } from '../../lib/useListScreen';
import { ApplicationActions, ApplicationBody } from './ApplicationView';
import { STAGE_LABELS, STAGE_TONES } from './labels';
import { RecordDialog } from './StepDialogs';

const SORTS: readonly ApplicationSort[] = ['updated_at', 'created_at'];
type Tab = OnboardingStage | 'all' | 'suspended';

const col = gridColumnHelper<ApplicationSummary>();
const COLUMNS = col.columns([
  col.accessor('business_name', { header: 'Business', meta: { width: 220 } }),
  col.accessor('contact_name', {
    header: 'Contact',
    meta: { width: 240 },
    cell: (info) => `${info.getValue()} <${info.row.original.email}>`,
  }),
  col.accessor('country', { header: 'Country', meta: { width: 80 }, cell: (info) => info.getValue() ?? '—' }),
  col.accessor('stage', {
    header: 'Stage',
    meta: { width: 140 },
    cell: (info) => (
      <span className="flex items-center gap-2">
        <StatusBadge status={info.getValue()} labels={STAGE_LABELS} tones={STAGE_TONES} />
        {info.row.original.suspended && <span className="text-sm text-danger-text">Suspended</span>}
      </span>
    ),
  }),
  col.accessor('documents', { header: 'Documents', meta: { width: 100, align: 'end' } }),
  col.accessor('submitted_at', {
    header: 'Handed in',
    meta: { width: 170 },
    cell: (info) => {
      const at = info.getValue();
      return at ? formatDateTime(at) : '—';
    },
  }),
  col.accessor('updated_at', {
    header: 'Last change',
    meta: { sortKey: 'updated_at', firstSortDir: 'desc', width: 170 },
    cell: (info) => formatDateTime(info.getValue()),
  }),
]);

function ApplicationPanel({ id, onClose }: { id: string; onClose: () => void }) {
  const application = useQuery({
    queryKey: ['vendor_applications', 'one', id],
    queryFn: () => unwrap(commands.vendorApplication(id)),
  });
  const a = application.data;
  return (
    <SidePanel
      title={a?.details.business_name ?? 'Application'}
      description={a ? `${a.details.contact_name} · ${a.details.email}` : undefined}
      onClose={onClose}
      focusKey={id}
      data-testid="application-panel"
      footer={a && <ApplicationActions application={a} admin onChanged={() => void application.refetch()} />}
    >
      {application.isPending && <Skeleton className="h-64" />}
      {application.isError && (
        <ErrorState message={errorMessage(application.error)} onRetry={() => void application.refetch()} />
      )}
      {a && <ApplicationBody application={a} admin />}
    </SidePanel>
  );
}

/**
 * The vendor onboarding pipeline for admins: applications by stage (with counts), searched and
 * paged by the core; one opened beside the list to review its details and documents and take
 * the next step; a new application recorded.
 */
export function VendorsScreen() {
  const [tab, setTab] = useState<Tab>('in_review');
  const [search, setSearch] = useState('');
  const [recording, setRecording] = useState(false);
  const [openedId, setOpenedId] = useState<string | null>(null);
  const linked = useLocation().search.get('open');
  const { open, close, gridProps } = useOpenRow<ApplicationSummary>();
  const counts = useQuery({
    queryKey: ['vendor_applications', 'counts'],
    queryFn: () => unwrap(commands.vendorApplicationCounts()),
  });
  const filter: ApplicationFilter = useMemo(
    () => ({
      stage: tab === 'all' || tab === 'suspended' ? null : tab,
      suspended: tab === 'suspended',
      search: search === '' ? null : search,
    }),
    [tab, search],
  );
  const fetchPage = usePagedList(filter, commands.listVendorApplications, SORTS, 'updated_at');
  const panelId = open?.id ?? openedId ?? linked;
  const count = (t: Tab): number | null => {
    const c = counts.data;
    if (!c || t === 'all') return null;
    return c[t];
  };
  const tabs: Tab[] = [
    'in_review',
    'onboarding',
    'applied',
    'approved',
    'active',
    'declined',
    'suspended',
    'all',
  ];
  return (
    <ListScreen
      filters={
        <>
          <Tabs value={tab} onValueChange={(v) => setTab(v as Tab)}>
            <TabsList aria-label="Stage">
              {tabs.map((t) => (
                <TabsTrigger key={t} value={t} data-testid={`stage-${t}`}>
                  {t === 'all' ? 'All' : t === 'suspended' ? 'Suspended' : STAGE_LABELS[t]}
                  {count(t) !== null && (
                    <span className="text-sm text-fg-subtle">{formatNumber(count(t) ?? 0)}</span>
                  )}
                </TabsTrigger>
              ))}
            </TabsList>
          </Tabs>
          <SearchInput
            label="Search applications"
            placeholder="Business, contact or e-mail"
            onSearch={setSearch}
          />
          <Button
            className="ml-auto"
            variant="primary"
            data-testid="record-application"
            onClick={() => setRecording(true)}
          >
            Record application…
          </Button>
        </>
      }
      detail={
        panelId && (
          <ApplicationPanel
            key={panelId}
            id={panelId}
            onClose={() => {
              setOpenedId(null);
              close();
            }}
          />
        )
      }
    >
      <DataGrid
        aria-label="Vendor applications"
        data-testid="grid-applications"
        className="min-h-0 flex-1"
        {...gridProps}
        columns={COLUMNS}
        queryKey={['vendor_applications', 'list', filter]}
        fetchPage={fetchPage}
        rowKey={(r) => r.id}
        defaultSort={{ key: 'updated_at', dir: 'desc' }}
        emptyState={
          <EmptyState
            title={search !== '' ? 'No applications match' : 'Nothing at this stage'}
            description={
              tab === 'in_review' ? 'Applications handed in by vendors wait here for review.' : undefined
            }
          />
        }
      />
      {recording && <RecordDialog onRecorded={setOpenedId} onClose={() => setRecording(false)} />}
    </ListScreen>
  );
}
