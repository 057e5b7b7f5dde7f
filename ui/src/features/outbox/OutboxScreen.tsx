import { useCallback } from 'react';
import { commands, type OutboxMail } from '../../bindings';
import { Badge, type BadgeTone } from '../../components/Badge';
import { DataGrid, gridColumnHelper, type Page } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { MailIcon } from '../../components/icons';
import { MasterDetail, Screen, Toolbar } from '../../components/Layout';
import { DetailList, PanelSection, SidePanel } from '../../components/SidePanel';
import { formatDateTime, formatRelative } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { useOpenRow } from '../../lib/useListScreen';
import { humanize } from '../disputes/labels';

/** How many of the newest mails the screen shows. */
export const OUTBOX_LIMIT = 200;

const STATUS_TONES: Record<string, BadgeTone> = {
  queued: 'info',
  sending: 'warning',
  sent: 'success',
  failed: 'danger',
};

function MailStatus({ status }: { status: string }) {
  return (
    <Badge tone={STATUS_TONES[status] ?? 'neutral'} dot>
      {humanize(status)}
    </Badge>
  );
}

const col = gridColumnHelper<OutboxMail>();
const columns = col.columns([
  col.accessor('to_address', { header: 'To', meta: { width: 200 } }),
  col.accessor('subject', { header: 'Subject', meta: { width: 240 } }),
  col.accessor('template', {
    header: 'Template',
    meta: { width: 140 },
    cell: (info) => <span className="font-mono text-sm">{info.getValue()}</span>,
  }),
  col.accessor('status', {
    header: 'Status',
    meta: { width: 100 },
    cell: (info) => <MailStatus status={info.getValue()} />,
  }),
  col.accessor('attempts', { header: 'Attempts', meta: { width: 80, align: 'end', numeric: true } }),
  col.accessor('created_at', {
    header: 'Created',
    meta: { width: 130 },
    cell: (info) => <span title={formatDateTime(info.getValue())}>{formatRelative(info.getValue())}</span>,
  }),
  col.accessor('last_error', {
    header: 'Last error',
    meta: { width: 200 },
    cell: (info) => {
      const error = info.getValue();
      return error ? (
        <span className="text-danger-text" title={error}>
          {error}
        </span>
      ) : (
        <span className="text-fg-faint">—</span>
      );
    },
  }),
]);

function MailPanel({ mail, onClose }: { mail: OutboxMail; onClose: () => void }) {
  return (
    <SidePanel
      data-testid="outbox-detail"
      focusKey={mail.id}
      title={mail.subject}
      description={mail.to_address}
      onClose={onClose}
    >
      <DetailList
        items={[
          ['Status', <MailStatus key="s" status={mail.status} />],
          [
            'Template',
            <span key="t" className="font-mono text-sm">
              {mail.template}
            </span>,
          ],
          ['Attempts', mail.attempts],
          ['Created', formatDateTime(mail.created_at)],
          ['Provider id', mail.provider_message_id ?? '—'],
          ['Last error', mail.last_error ?? '—'],
        ]}
      />
      <PanelSection title="Body">
        <pre
          data-testid="outbox-body"
          className="rounded-md bg-canvas p-2 font-mono text-sm break-words whitespace-pre-wrap text-fg"
        >
          {mail.body_text}
        </pre>
      </PanelSection>
    </SidePanel>
  );
}

/** The newest mails of the outbox and what became of them (admins only). */
export function OutboxScreen() {
  const { open, close, gridProps } = useOpenRow<OutboxMail>();
  // One request for the newest mails: the outbox has no paging.
  const fetchPage = useCallback(
    (): Promise<Page<OutboxMail>> =>
      unwrap(commands.listOutbox(OUTBOX_LIMIT)).then((items) => ({ items, next_cursor: null })),
    [],
  );

  return (
    <Screen data-testid="outbox">
      <Toolbar end={`The ${OUTBOX_LIMIT} newest mails`}>
        <p className="text-sm text-fg-subtle" data-testid="outbox-note">
          Without a Resend API key no mail is sent: mails wait here, queued, and can be read.
        </p>
      </Toolbar>
      <MasterDetail detail={open && <MailPanel key={open.id} mail={open} onClose={close} />}>
        <DataGrid
          aria-label="Mail outbox"
          data-testid="grid-outbox"
          className="min-h-0 flex-1"
          {...gridProps}
          columns={columns}
          queryKey={queryKeys.outbox}
          fetchPage={fetchPage}
          pageSize={OUTBOX_LIMIT}
          rowKey={(m) => m.id}
          emptyState={<EmptyState icon={<MailIcon size={20} />} title="No mail yet" />}
        />
      </MasterDetail>
    </Screen>
  );
}
