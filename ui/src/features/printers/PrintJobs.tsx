import type { PrintJob, PrintJobState } from '../../bindings';
import { Badge, type BadgeTone } from '../../components/Badge';
import { Button } from '../../components/Button';
import { toast } from '../../components/toast';
import { formatDateTime, formatRelative } from '../../lib/format';

const STATE_TONES: Record<PrintJobState, BadgeTone> = {
  queued: 'info',
  sending: 'warning',
  sent: 'success',
  completed: 'success',
  failed: 'danger',
  cancelled: 'neutral',
};

const STATE_LABELS: Record<PrintJobState, string> = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  completed: 'Printed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** A print job's state as a badge: “Printed” once CUPS says so, “Sent” for a raw printer. */
export function PrintJobBadge({ state }: { state: PrintJobState }) {
  return (
    <Badge tone={STATE_TONES[state]} dot>
      {STATE_LABELS[state]}
    </Badge>
  );
}

/** What a job's bytes are, for a person choosing a printer: “ZPL 203 dpi”, “PDF”. */
export function jobFormat(job: Pick<PrintJob, 'format' | 'dpi'>): string {
  return job.format === 'zpl' ? `ZPL ${job.dpi ?? '?'} dpi` : 'PDF';
}

/**
 * A print log, newest first: state, printer, size and, for a failed job, the reason in the
 * core's words; every finished job can be reprinted (its kept bytes, as a new job).
 */
export function PrintJobList({
  jobs,
  onReprint,
  reprinting,
}: {
  jobs: readonly PrintJob[];
  onReprint: (job: PrintJob) => void;
  reprinting: string | null;
}) {
  if (jobs.length === 0) {
    return <p className="text-sm text-fg-subtle">Nothing printed yet.</p>;
  }
  return (
    <ol className="flex flex-col gap-2" data-testid="print-log">
      {jobs.map((job) => {
        const busy = job.state === 'queued' || job.state === 'sending';
        return (
          <li
            key={job.id}
            data-testid="print-log-row"
            data-state={job.state}
            className="rounded-md border border-line bg-canvas px-3 py-2"
          >
            <div className="flex items-center gap-2">
              <PrintJobBadge state={job.state} />
              <span className="truncate text-sm text-fg">{job.printer_name}</span>
              <span className="ml-auto text-sm text-fg-subtle" title={formatDateTime(job.created_at)}>
                {formatRelative(job.created_at)}
              </span>
            </div>
            <div className="mt-1 flex items-center gap-2 text-sm text-fg-subtle">
              <span>
                {jobFormat(job)} · {job.byte_count.toLocaleString()} bytes
                {job.reprint_of ? ' · reprint' : ''}
                {job.document_kind === 'test_page' ? ' · test page' : ''}
              </span>
              <Button
                size="sm"
                variant="ghost"
                className="ml-auto"
                data-testid="reprint-job"
                disabled={busy || reprinting !== null}
                loading={reprinting === job.id}
                onClick={() => onReprint(job)}
              >
                Reprint
              </Button>
            </div>
            {job.failure && (
              <p className="mt-1 text-sm text-danger-text" data-testid="print-failure">
                {job.failure}
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** Tells the person how a print ended: printed or sent, or failed with the core's reason. */
export function announce(job: PrintJob) {
  if (job.state === 'failed' || job.state === 'cancelled') {
    toast.error('The label did not print', { description: job.failure ?? 'Cancelled at the print server.' });
  } else {
    toast.success(job.state === 'completed' ? 'Label printed' : 'Label sent to the printer', {
      description: job.printer_name,
    });
  }
}
