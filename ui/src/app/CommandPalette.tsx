import * as RadixDialog from '@radix-ui/react-dialog';
import { useId, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import { overlayClasses } from '../components/Dialog';
import { SearchIcon } from '../components/icons';
import { Shortcut } from '../components/Kbd';
import { cn } from '../lib/cn';

/** One thing the palette can do: open a screen or run an action. */
export type PaletteCommand = {
  id: string;
  label: string;
  /** 'Go to' or 'Actions': the heading it is listed under. */
  group: string;
  icon?: ReactNode;
  /** Its own shortcut, shown beside it ('g o', 'mod+l'). */
  shortcut?: string;
  /** More words it is found by ('password', 'key'). */
  keywords?: string;
  run: () => void;
};

/** Lower-case words of a text. */
function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

/** The commands whose words each typed word begins, in their given order. */
export function matchCommands(commands: readonly PaletteCommand[], query: string): PaletteCommand[] {
  const typed = words(query);
  if (typed.length === 0) return [...commands];
  return commands.filter((c) => {
    const own = words(`${c.label} ${c.group} ${c.keywords ?? ''}`);
    return typed.every((t) => own.some((w) => w.startsWith(t)));
  });
}

/**
 * Every screen of the role and the main actions, found by typing: ↑/↓ choose, Enter runs,
 * Esc closes. Each shows its own shortcut, so the palette teaches them.
 */
export function CommandPalette({
  commands,
  onClose,
}: {
  commands: readonly PaletteCommand[];
  onClose: () => void;
}) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const shown = useMemo(() => matchCommands(commands, query), [commands, query]);
  const current = Math.min(active, Math.max(shown.length - 1, 0));

  const run = (command: PaletteCommand | undefined) => {
    if (!command) return;
    onClose();
    command.run();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current + step + shown.length) % Math.max(shown.length, 1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      run(shown[current]);
    }
  };

  return (
    <RadixDialog.Root open onOpenChange={(open) => !open && onClose()}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className={overlayClasses} />
        <RadixDialog.Content
          data-testid="command-palette"
          aria-describedby={undefined}
          className="fixed top-[15vh] left-1/2 z-50 flex max-h-[60vh] w-[calc(100vw-2rem)] max-w-lg -translate-x-1/2 flex-col overflow-hidden rounded-xl border border-line bg-surface text-fg shadow-dialog motion-safe:animate-pop-in focus:outline-none"
        >
          <RadixDialog.Title className="sr-only">Go to a screen or run an action</RadixDialog.Title>
          <div className="flex items-center gap-2 border-b border-line px-3">
            <SearchIcon className="shrink-0 text-fg-subtle" />
            <input
              autoFocus
              role="combobox"
              aria-label="Screen or action"
              aria-expanded
              aria-controls={listId}
              aria-activedescendant={shown[current] ? `${listId}-${shown[current].id}` : undefined}
              data-testid="palette-input"
              value={query}
              placeholder="Go to a screen or run an action…"
              onChange={(e) => {
                setQuery(e.target.value);
                setActive(0);
              }}
              onKeyDown={onKeyDown}
              className="h-11 min-w-0 flex-1 bg-transparent text-base outline-none placeholder:text-fg-faint"
            />
          </div>
          <ul id={listId} role="listbox" aria-label="Screens and actions" className="overflow-y-auto p-1.5">
            {shown.length === 0 && (
              <li className="px-2 py-6 text-center text-base text-fg-subtle">
                Nothing matches “{query.trim()}”.
              </li>
            )}
            {shown.map((c, i) => {
              const heading = i === 0 || shown[i - 1]?.group !== c.group ? c.group : null;
              return (
                <li key={c.id} role="presentation">
                  {heading && (
                    <div className="px-2 pt-2 pb-1 text-xs font-medium tracking-wide text-fg-subtle uppercase">
                      {heading}
                    </div>
                  )}
                  <div
                    id={`${listId}-${c.id}`}
                    role="option"
                    aria-selected={i === current}
                    data-testid={`palette-${c.id}`}
                    onMouseMove={() => setActive(i)}
                    onClick={() => run(c)}
                    className={cn(
                      'flex h-9 cursor-default items-center gap-2.5 rounded-md px-2 text-base select-none',
                      i === current && 'bg-raised',
                    )}
                  >
                    <span className="flex size-4 shrink-0 items-center justify-center text-fg-subtle">
                      {c.icon}
                    </span>
                    <span className="min-w-0 flex-1 truncate">{c.label}</span>
                    {c.shortcut && <Shortcut keys={c.shortcut} />}
                  </div>
                </li>
              );
            })}
          </ul>
          <div className="flex gap-4 border-t border-line px-3 py-1.5 text-xs text-fg-subtle">
            <span>
              <Shortcut keys="arrowup" /> <Shortcut keys="arrowdown" /> choose
            </span>
            <span>
              <Shortcut keys="enter" /> open
            </span>
            <span>
              <Shortcut keys="escape" /> close
            </span>
          </div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
