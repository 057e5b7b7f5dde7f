import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { cn } from '../lib/cn';
import { controlClasses } from './Input';
import { CheckIcon, ChevronDownIcon } from './icons';

export type MultiSelectOption<V extends string> = { value: V; label: string };

export type MultiSelectProps<V extends string> = {
  /** What is chosen ('Status'); also the accessible name of the button. */
  label: string;
  options: readonly MultiSelectOption<V>[];
  value: readonly V[];
  onChange: (next: V[]) => void;
  /** Shown when nothing is chosen. Default 'Any'. */
  anyLabel?: string;
  className?: string;
  'data-testid'?: string;
};

/** A filter that takes several values: a button opening a menu of checkboxes (stays open while ticking). */
export function MultiSelect<V extends string>({
  label,
  options,
  value,
  onChange,
  anyLabel = 'Any',
  className,
  'data-testid': testId,
}: MultiSelectProps<V>) {
  const chosen = options.filter((o) => value.includes(o.value));
  const summary =
    chosen.length === 0
      ? anyLabel
      : chosen.length <= 2
        ? chosen.map((o) => o.label).join(', ')
        : `${chosen.length} selected`;

  const toggle = (v: V, checked: boolean) => {
    const next = checked ? [...value, v] : value.filter((x) => x !== v);
    // Keep the options' order, so the same choice is always the same filter.
    onChange(options.map((o) => o.value).filter((x) => next.includes(x)));
  };

  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <button
          type="button"
          aria-label={`${label}: ${summary}`}
          data-testid={testId}
          className={cn(
            controlClasses,
            'flex w-auto max-w-72 items-center gap-1.5 pr-2 text-left',
            className,
          )}
        >
          <span className="text-fg-subtle">{label}:</span>
          <span className={cn('min-w-0 flex-1 truncate', chosen.length === 0 && 'text-fg-muted')}>
            {summary}
          </span>
          <ChevronDownIcon className="shrink-0 text-fg-subtle" />
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="start"
          sideOffset={4}
          className="z-50 max-h-[60vh] min-w-52 overflow-y-auto rounded-lg border border-line bg-surface p-1 text-fg shadow-popover motion-safe:animate-fade-in"
        >
          {options.map((o) => (
            <DropdownMenu.CheckboxItem
              key={o.value}
              checked={value.includes(o.value)}
              onCheckedChange={(checked) => toggle(o.value, checked)}
              onSelect={(event) => event.preventDefault()}
              className="flex h-8 cursor-default items-center gap-2 rounded-md px-2 text-base outline-none select-none data-[highlighted]:bg-raised"
            >
              <span
                aria-hidden="true"
                className="flex size-4 items-center justify-center rounded-sm border border-line-strong bg-surface"
              >
                <DropdownMenu.ItemIndicator>
                  <CheckIcon size={12} className="text-accent-text" />
                </DropdownMenu.ItemIndicator>
              </span>
              {o.label}
            </DropdownMenu.CheckboxItem>
          ))}
          {value.length > 0 && (
            <>
              <DropdownMenu.Separator className="-mx-1 my-1 h-px bg-line" />
              <DropdownMenu.Item
                onSelect={() => onChange([])}
                className="flex h-8 cursor-default items-center rounded-md px-2 text-base text-fg-muted outline-none select-none data-[highlighted]:bg-raised"
              >
                Clear
              </DropdownMenu.Item>
            </>
          )}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
