import { useEffect, useRef, type ReactNode } from 'react';
import { Shortcut } from '../components/Kbd';
import { ThemeToggle } from '../components/ThemeToggle';
import { cn } from '../lib/cn';
import { useHotkeys } from '../lib/hotkeys';
import { isActivePath, Link, navigate, useLocation } from './router';

export type NavSection = {
  label: string;
  /** Route path, e.g. '/orders'. */
  to: string;
  icon?: ReactNode;
  /** A key sequence that opens it from anywhere, e.g. 'g o'. */
  shortcut?: string;
  /** Heading for a run of consecutive items ('Finance'). */
  group?: string;
  /** `data-testid` of the link. */
  testId?: string;
};

export type AppShellProps = {
  /** Sidebar navigation, in order. Only pass the sections the signed-in role may open. */
  sections: readonly NavSection[];
  /** The page title (top bar and window title). */
  title: string;
  /** Page actions, right side of the top bar. */
  actions?: ReactNode;
  /** The account menu (see UserMenu), far right of the top bar. */
  userMenu?: ReactNode;
  /** Top of the sidebar. Default: 'Marketdesk'. */
  brand?: ReactNode;
  /** Bottom of the sidebar: connection or sync status. */
  sidebarFooter?: ReactNode;
  /** Nothing in the frame can be focused or clicked (behind the lock screen). */
  inert?: boolean;
  children: ReactNode;
};

function groupSections(sections: readonly NavSection[]) {
  const groups: { label: string | undefined; items: NavSection[] }[] = [];
  for (const section of sections) {
    const last = groups.at(-1);
    if (last && last.label === section.group) last.items.push(section);
    else groups.push({ label: section.group, items: [section] });
  }
  return groups;
}

/** The application frame: sidebar navigation, a top bar and the page. Role-agnostic. */
export function AppShell({
  sections,
  title,
  actions,
  userMenu,
  brand,
  sidebarFooter,
  inert = false,
  children,
}: AppShellProps) {
  const { path } = useLocation();
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    document.title = `${title} · Marketdesk`;
  }, [title]);

  useHotkeys(
    sections
      .filter((s) => s.shortcut)
      .map((s) => ({ keys: s.shortcut ?? '', handler: () => navigate(s.to), enabled: !inert })),
  );

  return (
    <div
      data-testid="app-root"
      inert={inert}
      className="grid h-screen grid-cols-[216px_minmax(0,1fr)] overflow-hidden bg-canvas text-fg"
    >
      <button
        type="button"
        onClick={() => mainRef.current?.focus()}
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-surface focus:px-3 focus:py-2 focus:shadow-popover"
      >
        Skip to content
      </button>
      <aside className="flex min-h-0 flex-col border-r border-line bg-canvas">
        <div className="flex h-12 shrink-0 items-center gap-2 px-4 text-md font-semibold tracking-tight">
          {brand ?? (
            <>
              <span aria-hidden="true" className="size-5 rounded-md bg-accent" />
              Marketdesk
            </>
          )}
        </div>
        <nav aria-label="Main" className="min-h-0 flex-1 overflow-y-auto px-2 py-2">
          {groupSections(sections).map((group, gi) => (
            <div key={`${group.label ?? ''}-${gi}`} className={cn(gi > 0 && 'mt-4')}>
              {group.label && (
                <div className="px-2 pb-1 text-xs font-medium tracking-wide text-fg-faint uppercase">
                  {group.label}
                </div>
              )}
              <ul className="flex flex-col gap-px">
                {group.items.map((section) => {
                  const active = isActivePath(section.to, path);
                  return (
                    <li key={section.to}>
                      <Link
                        to={section.to}
                        data-testid={section.testId}
                        className={cn(
                          'group flex h-8 items-center gap-2 rounded-md px-2 text-base transition-colors',
                          active
                            ? 'bg-surface font-medium text-fg shadow-xs ring-1 ring-line'
                            : 'text-fg-muted hover:bg-raised hover:text-fg',
                        )}
                      >
                        {section.icon && (
                          <span className={cn('shrink-0', active ? 'text-accent-text' : 'text-fg-subtle')}>
                            {section.icon}
                          </span>
                        )}
                        <span className="min-w-0 flex-1 truncate">{section.label}</span>
                        {section.shortcut && (
                          <Shortcut
                            keys={section.shortcut}
                            className="opacity-0 transition-opacity group-hover:opacity-100 group-focus-visible:opacity-100"
                          />
                        )}
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </div>
          ))}
        </nav>
        {sidebarFooter && <div className="shrink-0 border-t border-line px-3 py-2.5">{sidebarFooter}</div>}
      </aside>
      <div className="flex min-h-0 min-w-0 flex-col">
        <header className="flex h-12 shrink-0 items-center gap-3 border-b border-line bg-surface px-5">
          <h1 className="min-w-0 flex-1 truncate text-lg font-semibold tracking-tight">{title}</h1>
          {actions && <div className="flex items-center gap-2">{actions}</div>}
          <ThemeToggle />
          {userMenu}
        </header>
        <main
          id="main"
          ref={mainRef}
          tabIndex={-1}
          className="flex min-h-0 flex-1 flex-col overflow-auto p-5 focus:outline-none"
        >
          {children}
        </main>
      </div>
    </div>
  );
}
