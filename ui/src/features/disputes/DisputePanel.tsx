import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  commands,
  type ChosenFile,
  type Dispute,
  type DisputeAction,
  type DisputeDetail,
} from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Checkbox } from '../../components/Checkbox';
import { EmptyState } from '../../components/EmptyState';
import { QueryErrorState } from '../../components/ErrorState';
import { InlineError } from '../../components/InlineError';
import { controlClasses } from '../../components/Input';
import { NameOrId } from '../../components/NameOrId';
import { DetailList, PanelSection, SidePanel } from '../../components/SidePanel';
import { Skeleton } from '../../components/Skeleton';
import { StatusBadge } from '../../components/StatusBadge';
import { toast } from '../../components/toast';
import { cn } from '../../lib/cn';
import { formatDateTime, formatMoney, formatNumber, formatRelative } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity, queryKeys } from '../../lib/queryKeys';
import { useMe } from '../session/session';
import { ACTION_LABELS, humanize, isOverdue, RESOLUTION_LABELS, STATUS_LABELS, STATUS_TONES } from './labels';
import { FileList, FilePicker } from './DisputeFiles';
import { StepDialog } from './StepDialog';

/** When the current stage runs out, in red once it has. */
export function DueCell({ dispute }: { dispute: Dispute }) {
  if (dispute.stage_due_at === null || dispute.status === 'resolved' || dispute.status === 'closed') {
    return <span className="text-fg-subtle">—</span>;
  }
  const late = isOverdue(dispute);
  return (
    <span
      className={cn(late && 'font-medium text-danger')}
      title={formatDateTime(dispute.stage_due_at)}
      data-overdue={late || undefined}
    >
      {late ? `Overdue ${formatRelative(dispute.stage_due_at)}` : formatRelative(dispute.stage_due_at)}
    </span>
  );
}

function Thread({ detail }: { detail: DisputeDetail }) {
  const me = useMe();
  if (detail.messages.length === 0) return <EmptyState title="No messages yet" />;
  return (
    <ol className="flex flex-col gap-2" data-testid="dispute-thread">
      {detail.messages.map((m) => (
        <li
          key={m.id}
          className={cn(
            'rounded-md border px-3 py-2',
            m.is_internal ? 'border-warning/40 bg-warning-soft' : 'border-line bg-canvas',
            m.author_id === me.id && 'ml-6',
          )}
        >
          <div className="mb-1 flex items-center gap-2 text-sm text-fg-subtle">
            <span className="font-medium text-fg-muted">
              {m.author_id === me.id ? 'You' : <NameOrId name={m.author_name} id={m.author_id} />}
            </span>
            {m.is_internal && <Badge tone="warning">Internal note</Badge>}
            <span className="ml-auto" title={formatDateTime(m.created_at)}>
              {formatRelative(m.created_at)}
            </span>
          </div>
          <p className="text-base break-words whitespace-pre-wrap text-fg">{m.body}</p>
          <FileList files={m.attachments} />
        </li>
      ))}
    </ol>
  );
}

/** Writes in the thread; staff may keep a note among themselves. Ctrl+Enter sends. */
function Composer({ detail }: { detail: DisputeDetail }) {
  const client = useQueryClient();
  const me = useMe();
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  const [files, setFiles] = useState<ChosenFile[]>([]);
  const post = useMutation({
    mutationFn: () =>
      unwrap(
        files.length > 0
          ? commands.postDisputeMessageWithFiles(detail.dispute.id, body.trim(), internal, files)
          : commands.postDisputeMessage(detail.dispute.id, body.trim(), internal),
      ),
    onSuccess: () => {
      setBody('');
      setFiles([]);
      void invalidateEntity(client, 'disputes');
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (body.trim() === '' || post.isPending) return;
    post.mutate();
  };
  return (
    <form onSubmit={submit} className="mt-3 flex flex-col gap-2" aria-label="Write in the thread">
      <textarea
        rows={3}
        maxLength={10000}
        aria-label="Message"
        data-testid="dispute-reply"
        value={body}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e);
        }}
        placeholder={me.role === 'vendor' ? 'Write to the platform…' : 'Write to the vendor…'}
        className={cn(controlClasses, 'h-auto py-1.5')}
      />
      <FilePicker files={files} onChange={setFiles} />
      <div className="flex items-center gap-3">
        {me.role === 'admin' && (
          <Checkbox checked={internal} onChange={setInternal} data-testid="dispute-reply-internal">
            Internal note
          </Checkbox>
        )}
        <Button
          type="submit"
          size="sm"
          variant="primary"
          className="ml-auto"
          loading={post.isPending}
          disabled={body.trim() === ''}
          data-testid="dispute-reply-send"
        >
          Send
        </Button>
      </div>
      {post.isError && <InlineError error={post.error} title="The message was not sent" />}
    </form>
  );
}

function Outcome({ detail }: { detail: DisputeDetail }) {
  const { dispute } = detail;
  if (dispute.resolution === null) return null;
  const refund =
    dispute.refund_minor !== null && dispute.currency !== null
      ? formatMoney(dispute.refund_minor, dispute.currency)
      : null;
  return (
    <PanelSection title="Outcome">
      <div
        className="rounded-md border border-line bg-canvas px-3 py-2"
        data-testid="dispute-outcome-summary"
      >
        <p className="font-medium text-fg">{RESOLUTION_LABELS[dispute.resolution]}</p>
        {refund && (
          <p className="text-sm text-fg-muted">
            {refund} back to the buyer ·{' '}
            {dispute.refund_state === 'refunded' ? (
              <Badge tone="success">Refunded</Badge>
            ) : (
              <Badge tone="warning">Refund due — finance makes it</Badge>
            )}
          </p>
        )}
        {detail.resolution_note && (
          <p className="mt-1 text-sm whitespace-pre-wrap text-fg-muted">{detail.resolution_note}</p>
        )}
      </div>
    </PanelSection>
  );
}

function Actions({ detail, onStep }: { detail: DisputeDetail; onStep: (a: DisputeAction) => void }) {
  const client = useQueryClient();
  const me = useMe();
  const { dispute } = detail;
  const assign = useMutation({
    mutationFn: () => unwrap(commands.assignDispute(dispute.id, dispute.version, me.id)),
    onSuccess: () => void invalidateEntity(client, 'disputes'),
    onError: (e) => toast.error('Not assigned', { description: String(e) }),
  });
  const refund = useMutation({
    mutationFn: () => unwrap(commands.refundDispute(dispute.id)),
    onSuccess: (out) => {
      void invalidateEntity(client, 'disputes');
      void invalidateEntity(client, 'revenue');
      if (out.pending > 0) {
        toast.info('Stripe has not answered yet', {
          description: 'Try again: the refund is finished, never made twice.',
        });
      } else if (dispute.currency) {
        toast.success(`${formatMoney(out.refunded_minor, dispute.currency)} refunded`);
      }
    },
    onError: (e) => toast.error('The refund was not made', { description: String(e) }),
  });
  return (
    <>
      {me.role === 'admin' && dispute.assigned_to !== me.id && detail.steps.length > 0 && (
        <Button
          size="sm"
          variant="ghost"
          className="mr-auto"
          loading={assign.isPending}
          onClick={() => assign.mutate()}
        >
          Assign to me
        </Button>
      )}
      {me.role === 'finance' && dispute.refund_state === 'due' && (
        <Button
          variant="primary"
          loading={refund.isPending}
          onClick={() => refund.mutate()}
          data-testid="dispute-refund"
        >
          Make the refund
        </Button>
      )}
      {detail.steps.map((a) => (
        <Button
          key={a}
          variant={a === 'resolve' ? 'primary' : 'secondary'}
          onClick={() => onStep(a)}
          data-testid={`dispute-step-${a}`}
        >
          {ACTION_LABELS[a]}
        </Button>
      ))}
    </>
  );
}

/** One dispute: where it stands, the lines in question, the outcome, the thread and the steps open. */
export function DisputePanel({ id, onClose }: { id: string; onClose: () => void }) {
  const me = useMe();
  const [stepping, setStepping] = useState<DisputeAction | null>(null);
  const query = useQuery({
    queryKey: queryKeys.disputeDetail(id),
    queryFn: () => unwrap(commands.disputeDetail(id)),
  });
  const d = query.data?.dispute;
  return (
    <SidePanel
      data-testid="dispute-detail"
      focusKey={id}
      title={d ? d.subject : 'Dispute'}
      description={d ? `Order ${d.order_number} · ${humanize(d.kind)}` : undefined}
      onClose={onClose}
      footer={query.data && <Actions detail={query.data} onStep={setStepping} />}
    >
      {query.isPending && (
        <div className="flex flex-col gap-3" aria-busy="true" aria-label="Loading the dispute">
          <Skeleton className="h-20 w-full" />
          <Skeleton className="h-12 w-4/5" />
        </div>
      )}
      {query.isError && <QueryErrorState query={query} />}
      {query.data && d && (
        <>
          <DetailList
            items={[
              [
                'Status',
                <StatusBadge key="s" status={d.status} labels={STATUS_LABELS} tones={STATUS_TONES} />,
              ],
              ['Stage ends', <DueCell key="due" dispute={d} />],
              ['Opened', formatDateTime(d.opened_at)],
              [
                'In question',
                d.amount_minor !== null && d.currency !== null
                  ? formatMoney(d.amount_minor, d.currency)
                  : '—',
              ],
              ...(me.role === 'vendor'
                ? []
                : ([
                    [
                      'Vendor',
                      d.vendor_id ? (
                        <NameOrId key="v" name={d.vendor_name} id={d.vendor_id} />
                      ) : (
                        'Whole order'
                      ),
                    ],
                    [
                      'Handled by',
                      d.assigned_to ? (
                        <NameOrId key="a" name={d.assigned_name} id={d.assigned_to} />
                      ) : (
                        'No one yet'
                      ),
                    ],
                  ] as const)),
            ]}
          />
          <PanelSection title={`Lines (${formatNumber(query.data.lines.length)})`}>
            <ul className="flex flex-col gap-1 text-sm" data-testid="dispute-lines">
              {query.data.lines.map((l) => (
                <li key={l.id} className="flex gap-2">
                  <span className="min-w-0 flex-1 truncate">
                    {formatNumber(l.quantity)} × {l.product_name}{' '}
                    <span className="font-mono text-fg-subtle">{l.sku}</span>
                  </span>
                  {l.refunded_quantity > 0 && (
                    <span className="text-fg-subtle">{formatNumber(l.refunded_quantity)} refunded</span>
                  )}
                </li>
              ))}
            </ul>
          </PanelSection>
          <Outcome detail={query.data} />
          <PanelSection title={`Thread (${formatNumber(query.data.messages.length)})`}>
            <Thread detail={query.data} />
            {me.role !== 'finance' && <Composer detail={query.data} />}
          </PanelSection>
          {stepping && <StepDialog detail={query.data} action={stepping} onClose={() => setStepping(null)} />}
        </>
      )}
    </SidePanel>
  );
}
