import { useEffect, useRef, useState } from 'react';
import { cn } from '../lib/cn';
import { useHotkey } from '../lib/hotkeys';
import { useDebouncedValue } from '../lib/timing';
import { SearchIcon } from './icons';
import { controlClasses } from './Input';
import { Shortcut } from './Kbd';

export type SearchInputProps = {
  /** Called with the trimmed text once typing pauses (250 ms), or at once on Enter / clear. */
  onSearch: (text: string) => void;
  /** The accessible name ('Search orders'). */
  label: string;
  placeholder?: string;
  /** Initial text. */
  defaultValue?: string;
  /** Focus with / (one search box per screen). Default true. */
  shortcut?: boolean;
  className?: string;
  'data-testid'?: string;
};

export const SEARCH_DEBOUNCE_MS = 250;

/** The key that focuses the screen's search box. */
export const SEARCH_SHORTCUT = '/';

/** Focuses (and selects) the screen's search box, if it has one. */
export function focusSearch() {
  const box = document.querySelector<HTMLInputElement>('input[type="search"][data-search-box]');
  box?.focus();
  box?.select();
}

/** A search field for a list whose searching happens in the core. / focuses it; Esc clears it. */
export function SearchInput({
  onSearch,
  label,
  placeholder,
  defaultValue = '',
  shortcut = true,
  className,
  'data-testid': testId,
}: SearchInputProps) {
  const [text, setText] = useState(defaultValue);
  const ref = useRef<HTMLInputElement>(null);
  const debounced = useDebouncedValue(text.trim(), SEARCH_DEBOUNCE_MS);
  const sent = useRef(defaultValue.trim());

  const send = (value: string) => {
    if (value === sent.current) return;
    sent.current = value;
    onSearch(value);
  };

  useEffect(() => {
    if (debounced === sent.current) return;
    sent.current = debounced;
    onSearch(debounced);
  }, [debounced, onSearch]);

  useHotkey(
    SEARCH_SHORTCUT,
    () => {
      ref.current?.focus();
      ref.current?.select();
    },
    { enabled: shortcut },
  );

  return (
    <div className={cn('relative w-72', className)}>
      <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 -translate-y-1/2 text-fg-subtle" />
      <input
        ref={ref}
        type="search"
        aria-label={label}
        data-search-box={shortcut || undefined}
        placeholder={placeholder}
        value={text}
        data-testid={testId}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') send(text.trim());
          if (e.key === 'Escape' && text !== '') {
            e.preventDefault();
            e.stopPropagation();
            setText('');
            send('');
          }
        }}
        className={cn(controlClasses, 'pr-14 pl-8 [&::-webkit-search-cancel-button]:hidden')}
      />
      {shortcut && (
        <Shortcut
          keys={SEARCH_SHORTCUT}
          className="pointer-events-none absolute top-1/2 right-2 -translate-y-1/2"
        />
      )}
    </div>
  );
}
