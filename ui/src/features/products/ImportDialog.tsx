import { useMutation } from '@tanstack/react-query';
import { useId, useState, type ChangeEvent } from 'react';
import { commands, type CatalogFile, type ImportAction, type ImportReport } from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Dialog, DialogClose } from '../../components/Dialog';
import { InlineError } from '../../components/InlineError';
import { ScrollingTable } from '../../components/SimpleTable';
import { Spinner } from '../../components/Spinner';
import { toast } from '../../components/toast';
import { base64Of } from '../../lib/files';
import { formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';

const TITLES: Record<CatalogFile, string> = {
  products: 'Import products',
  stock_count: 'Import a stock count',
};

const HELP: Record<CatalogFile, string> = {
  products:
    'One row per variant, as “Export CSV” writes it. The file is checked first; nothing is written until you apply it, and then every row is written or none.',
  stock_count:
    'Columns sku and counted (or a product export with its stock column filled in). Each difference from the units on hand is recorded as a counted movement.',
};

const ACTION_LABELS: Record<ImportAction, string> = {
  create: 'New',
  update: 'Changes',
  unchanged: 'Unchanged',
  refused: 'Problem',
};

const ACTION_TONES: Record<ImportAction, 'success' | 'info' | 'neutral' | 'danger'> = {
  create: 'success',
  update: 'info',
  unchanged: 'neutral',
  refused: 'danger',
};

type Chosen = { name: string; size: number; content: string };

function Summary({ report, noun }: { report: ImportReport; noun: string }) {
  const parts = [
    `${formatNumber(report.created)} new`,
    `${formatNumber(report.updated)} to change`,
    `${formatNumber(report.unchanged)} unchanged`,
  ];
  if (report.refused > 0) parts.push(`${formatNumber(report.refused)} with problems`);
  return (
    <p className="text-base" data-testid="import-summary">
      {formatNumber(report.rows)} rows read ({noun}s: {parts.join(', ')}).
    </p>
  );
}

function Problems({ report }: { report: ImportReport }) {
  return (
    <div className="mt-3">
      <h3 className="mb-1 text-sm font-semibold text-danger">
        {formatNumber(report.problems.length + report.more_problems)} problems — nothing will be written until
        they are fixed
      </h3>
      <ScrollingTable
        maxHeight="max-h-72"
        data-testid="import-problems"
        columns={[
          { label: 'Line', className: 'w-16 px-2 py-1 text-right' },
          { label: 'Column', className: 'w-40 px-2 py-1' },
          { label: 'Problem', className: 'px-2 py-1' },
        ]}
      >
        <tbody>
          {report.problems.map((p, i) => (
            <tr key={i} className="border-b border-line/60 align-top last:border-0">
              <td className="px-2 py-1 text-right font-mono tabular-nums">{p.line}</td>
              <td className="px-2 py-1 font-mono text-sm">{p.column ?? '—'}</td>
              <td className="px-2 py-1">{p.message}</td>
            </tr>
          ))}
        </tbody>
      </ScrollingTable>
      {report.more_problems > 0 && (
        <p className="mt-1 text-sm text-fg-muted">…and {formatNumber(report.more_problems)} more.</p>
      )}
    </div>
  );
}

function Changes({ report }: { report: ImportReport }) {
  const shown = report.outcomes.filter((o) => o.action === 'create' || o.action === 'update');
  if (shown.length === 0) return null;
  return (
    <div className="mt-3">
      <ScrollingTable
        maxHeight="max-h-56"
        data-testid="import-changes"
        columns={[
          { label: 'Line', className: 'w-16 px-2 py-1 text-right' },
          { label: 'What', className: 'px-2 py-1' },
          { label: '', className: 'w-24 px-2 py-1' },
          { label: 'Detail', className: 'px-2 py-1' },
        ]}
      >
        <tbody>
          {shown.map((o) => (
            <tr key={`${o.line}-${o.key}`} className="border-b border-line/60 last:border-0">
              <td className="px-2 py-1 text-right font-mono tabular-nums">{o.line}</td>
              <td className="px-2 py-1 font-mono text-sm">{o.key}</td>
              <td className="px-2 py-1">
                <Badge tone={ACTION_TONES[o.action]}>{ACTION_LABELS[o.action]}</Badge>
              </td>
              <td className="px-2 py-1 text-fg-muted">{o.detail}</td>
            </tr>
          ))}
        </tbody>
      </ScrollingTable>
    </div>
  );
}

/**
 * A CSV import: the file is checked by the core (a dry run that names every problem by line
 * and column) and shown as a report; "Apply" writes it all or nothing.
 */
export function ImportDialog({ kind, onClose }: { kind: CatalogFile; onClose: () => void }) {
  const inputId = useId();
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const noun = kind === 'products' ? 'product' : 'SKU';

  const check = useMutation({
    mutationFn: (c: Chosen) => unwrap(commands.importCatalog(kind, c.name, c.content, false)),
    onSuccess: setReport,
  });
  const apply = useMutation({
    mutationFn: (c: Chosen) => unwrap(commands.importCatalog(kind, c.name, c.content, true)),
    onSuccess: (r) => {
      if (r.applied) {
        toast.success(`${chosen?.name ?? 'The file'} imported`, {
          description: `${formatNumber(r.created)} new, ${formatNumber(r.updated)} changed, ${formatNumber(r.unchanged)} unchanged.`,
        });
        onClose();
      } else {
        setReport(r);
      }
    },
  });

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    setReport(null);
    apply.reset();
    const next = { name: file.name, size: file.size, content: await base64Of(file) };
    setChosen(next);
    check.mutate(next);
  };

  const failure = check.error ?? apply.error;
  const ready = report !== null && report.problems.length === 0 && report.more_problems === 0;
  const writes = report !== null && report.created + report.updated > 0;

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      size="lg"
      title={TITLES[kind]}
      description={HELP[kind]}
      footer={
        <>
          <DialogClose asChild>
            <Button data-testid="import-cancel">Cancel</Button>
          </DialogClose>
          <Button
            variant="primary"
            data-testid="import-apply"
            disabled={!ready || !writes || chosen === null}
            loading={apply.isPending}
            onClick={() => chosen && apply.mutate(chosen)}
          >
            {report && ready && writes
              ? `Apply: ${formatNumber(report.created + report.updated)} ${noun}s`
              : 'Apply'}
          </Button>
        </>
      }
    >
      <div className="flex items-center gap-3">
        <label
          htmlFor={inputId}
          className="inline-flex cursor-pointer items-center rounded-md border border-line bg-raised px-3 py-1.5 text-base font-medium focus-within:ring-2 focus-within:ring-accent hover:bg-canvas"
        >
          {chosen ? 'Choose another file…' : 'Choose a CSV file…'}
          <input
            id={inputId}
            type="file"
            accept=".csv,text/csv,text/plain"
            data-testid="import-file"
            className="sr-only"
            onChange={(e) => void choose(e)}
          />
        </label>
        {chosen && (
          <span className="truncate text-sm text-fg-muted" data-testid="import-file-name">
            {chosen.name} · {formatNumber(Math.ceil(chosen.size / 1024))} KB
          </span>
        )}
      </div>
      {check.isPending && (
        <p className="mt-3 flex items-center gap-2 text-base text-fg-muted" role="status">
          <Spinner /> Checking every row against the catalog…
        </p>
      )}
      {failure && (
        <div className="mt-3">
          <InlineError error={failure} title="The file could not be checked" />
        </div>
      )}
      {report && (
        <div className="mt-3" data-testid="import-report">
          <Summary report={report} noun={noun} />
          {report.problems.length > 0 || report.more_problems > 0 ? (
            <Problems report={report} />
          ) : writes ? (
            <p className="mt-1 text-sm text-success">No problems: apply to write it.</p>
          ) : (
            <p className="mt-1 text-sm text-fg-muted">
              Everything in the file is already so: nothing to write.
            </p>
          )}
          <Changes report={report} />
          {report.notes.length > 0 && (
            <ul className="mt-3 list-disc pl-5 text-sm text-fg-muted" data-testid="import-notes">
              {report.notes.map((n, i) => (
                <li key={i}>
                  Line {n.line}, {n.column}: {n.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Dialog>
  );
}
