import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { cn } from '../lib/cn';
import { useHotkey } from '../lib/hotkeys';
import { CloseIcon } from './icons';

export type SidePanelProps = {
  title: ReactNode;
  /** A quieter line under the title. */
  description?: ReactNode;
  /** Closes the panel (close button, Esc). */
  onClose: () => void;
  /** Buttons at the bottom (actions on what the panel shows). */
  footer?: ReactNode;
  /** Changes of this value move focus into the panel (e.g. the id of the row it shows). */
  focusKey?: unknown;
  className?: string;
  'data-testid'?: string;
  children: ReactNode;
};

function inMenu(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('[role="menu"],[role="listbox"]') !== null;
}

/**
 * A details panel beside a list (master-detail). Not modal: the list stays usable, and
 * Esc (from the panel or the list) closes it. It takes focus when it opens.
 */
export function SidePanel({
  title,
  description,
  onClose,
  footer,
  focusKey,
  className,
  'data-testid': testId,
  children,
}: SidePanelProps) {
  const titleId = useId();
  const ref = useRef<HTMLElement>(null);

  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, [focusKey]);

  // Esc from the list beside it (plain keys are ignored in fields and dialogs).
  useHotkey('escape', (event) => {
    if (!inMenu(event.target)) onClose();
  });

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'Escape' || event.defaultPrevented || inMenu(event.target)) return;
    event.preventDefault();
    onClose();
  };

  return (
    <aside
      ref={ref}
      tabIndex={-1}
      aria-labelledby={titleId}
      data-testid={testId}
      onKeyDown={onKeyDown}
      className={cn(
        'flex min-h-0 w-[clamp(320px,38%,440px)] shrink-0 flex-col overflow-hidden rounded-lg border border-line bg-surface',
        'shadow-xs focus:outline-none focus-visible:outline-2 focus-visible:outline-accent',
        'motion-safe:animate-fade-in',
        className,
      )}
    >
      <header className="flex items-start justify-between gap-3 border-b border-line px-4 py-3">
        <div className="min-w-0">
          <h2 id={titleId} className="truncate text-md font-semibold text-fg">
            {title}
          </h2>
          {description && <div className="mt-0.5 text-sm text-fg-subtle">{description}</div>}
        </div>
        <button
          type="button"
          aria-label="Close"
          title="Close (Esc)"
          onClick={onClose}
          className="-mr-1.5 flex size-7 shrink-0 items-center justify-center rounded-md text-fg-subtle hover:bg-raised hover:text-fg"
        >
          <CloseIcon />
        </button>
      </header>
      <div className="min-h-0 flex-1 overflow-y-auto px-4 py-3">{children}</div>
      {footer && (
        <div className="flex flex-wrap justify-end gap-2 border-t border-line bg-canvas/60 px-4 py-3">
          {footer}
        </div>
      )}
    </aside>
  );
}

/** Label/value pairs in a panel. */
export function DetailList({ items }: { items: readonly (readonly [label: ReactNode, value: ReactNode])[] }) {
  return (
    <dl className="grid grid-cols-[120px_minmax(0,1fr)] gap-x-3 gap-y-2 text-base">
      {items.map(([label, value], i) => (
        <div key={i} className="contents">
          <dt className="text-fg-subtle">{label}</dt>
          <dd className="min-w-0 break-words text-fg">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A small heading between sections of a panel. */
export function PanelSection({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <section className="mt-5 first:mt-0">
      <h3 className="mb-2 text-sm font-medium tracking-wide text-fg-subtle uppercase">{title}</h3>
      {children}
    </section>
  );
}
