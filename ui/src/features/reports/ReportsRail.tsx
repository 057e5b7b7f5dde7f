import type { UseQueryResult } from '@tanstack/react-query';
import type { KeyboardEvent, ReactNode } from 'react';
import type { ReportKind, SavedReport } from '../../bindings';
import { Badge } from '../../components/Badge';
import { QueryErrorState } from '../../components/ErrorState';
import { Skeleton } from '../../components/Skeleton';
import { cn } from '../../lib/cn';
import { REPORT_KIND_INFO, REPORT_KINDS } from './kinds';

/** Up and down move between the rail's entries (Home, End: first, last); Enter or Space opens one. */
function moveFocus(event: KeyboardEvent<HTMLElement>) {
  const items = Array.from(event.currentTarget.querySelectorAll<HTMLButtonElement>('[data-rail-item]'));
  const at = items.findIndex((item) => item === document.activeElement);
  let next: number;
  switch (event.key) {
    case 'ArrowDown':
      next = at + 1;
      break;
    case 'ArrowUp':
      next = at - 1;
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = items.length - 1;
      break;
    default:
      return;
  }
  const target = items[Math.max(0, Math.min(items.length - 1, next))];
  if (target) {
    event.preventDefault();
    target.focus();
  }
}

function RailItem({
  selected,
  onSelect,
  testId,
  title,
  detail,
}: {
  selected: boolean;
  onSelect: () => void;
  testId: string;
  title: ReactNode;
  detail: ReactNode;
}) {
  return (
    <li>
      <button
        type="button"
        data-rail-item
        data-testid={testId}
        aria-current={selected || undefined}
        onClick={onSelect}
        className={cn(
          'flex w-full flex-col items-start gap-0.5 rounded-md px-2.5 py-1.5 text-left transition-colors',
          selected ? 'bg-accent-soft' : 'hover:bg-raised',
        )}
      >
        <span
          className={cn(
            'flex w-full min-w-0 items-center gap-1.5 text-base font-medium',
            selected ? 'text-accent-text' : 'text-fg',
          )}
        >
          {title}
        </span>
        <span className="w-full text-sm text-fg-subtle">{detail}</span>
      </button>
    </li>
  );
}

function SectionLabel({ children }: { children: ReactNode }) {
  return (
    <h2 className="px-2.5 pt-1 pb-1 text-xs font-medium tracking-wide text-fg-faint uppercase">{children}</h2>
  );
}

function SavedList({
  saved,
  openId,
  meId,
  onOpen,
}: {
  saved: UseQueryResult<SavedReport[]>;
  openId: string | null;
  meId: string;
  onOpen: (report: SavedReport) => void;
}) {
  if (saved.isPending) {
    return (
      <div
        className="flex flex-col gap-2 px-2.5 py-1"
        aria-busy="true"
        aria-label="Loading the saved reports"
      >
        <Skeleton className="w-4/5" />
        <Skeleton className="w-3/5" />
      </div>
    );
  }
  if (saved.isError) {
    return <QueryErrorState query={saved} title="Could not load the saved reports" className="px-2 py-4" />;
  }
  if (saved.data.length === 0) {
    return <p className="px-2.5 py-1 text-sm text-fg-subtle">Saved reports appear here.</p>;
  }
  return (
    <ul className="flex flex-col gap-px">
      {saved.data.map((report) => {
        const mine = report.owner_id === meId;
        const kind = REPORT_KIND_INFO[report.query.kind].label;
        return (
          <RailItem
            key={report.id}
            testId={`saved-report-${report.id}`}
            selected={report.id === openId}
            onSelect={() => onOpen(report)}
            title={
              <>
                <span className="min-w-0 flex-1 truncate">{report.name}</span>
                {report.is_shared && <Badge tone="info">Shared</Badge>}
              </>
            }
            detail={mine ? kind : `${kind} · ${report.owner_name}`}
          />
        );
      })}
    </ul>
  );
}

/**
 * The reports to run, a vendor's statement, and, below them, the saved reports; arrow keys
 * move between them.
 */
export function ReportsRail({
  kind,
  openId,
  statement,
  meId,
  saved,
  onKind,
  onStatement,
  onOpen,
}: {
  /** The report on screen, highlighted when no saved report is open. */
  kind: ReportKind;
  /** The saved report open, if any. */
  openId: string | null;
  /** A vendor statement is on screen instead of a report (no saved report is open then). */
  statement: boolean;
  meId: string;
  saved: UseQueryResult<SavedReport[]>;
  onKind: (kind: ReportKind) => void;
  onStatement: () => void;
  onOpen: (report: SavedReport) => void;
}) {
  return (
    <nav
      aria-label="Reports"
      data-testid="report-rail"
      onKeyDown={moveFocus}
      className="flex w-64 shrink-0 flex-col gap-3 overflow-y-auto rounded-lg border border-line bg-surface p-1.5 shadow-xs"
    >
      <div>
        <SectionLabel>Reports</SectionLabel>
        <ul className="flex flex-col gap-px">
          {REPORT_KINDS.map((k) => (
            <RailItem
              key={k}
              testId={`report-kind-${k}`}
              selected={!statement && openId === null && k === kind}
              onSelect={() => onKind(k)}
              title={REPORT_KIND_INFO[k].label}
              detail={REPORT_KIND_INFO[k].description}
            />
          ))}
          <RailItem
            testId="report-kind-statement"
            selected={statement}
            onSelect={onStatement}
            title="Vendor statement"
            detail="What a vendor was owed and every movement, as a PDF"
          />
        </ul>
      </div>
      <div>
        <SectionLabel>Saved</SectionLabel>
        <SavedList saved={saved} openId={openId} meId={meId} onOpen={onOpen} />
      </div>
    </nav>
  );
}
