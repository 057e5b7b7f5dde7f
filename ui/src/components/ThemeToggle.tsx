import { useRef, type KeyboardEvent } from 'react';
import { cn } from '../lib/cn';
import { useThemePreference, type ThemePreference } from '../lib/theme';
import { MonitorIcon, MoonIcon, SunIcon } from './icons';

const choices: { value: ThemePreference; label: string; icon: typeof SunIcon }[] = [
  { value: 'light', label: 'Light theme', icon: SunIcon },
  { value: 'dark', label: 'Dark theme', icon: MoonIcon },
  { value: 'system', label: 'System theme', icon: MonitorIcon },
];

/** Light / dark / system, remembered in localStorage. A radio group: arrow keys move the choice. */
export function ThemeToggle({ className }: { className?: string }) {
  const [preference, setPreference] = useThemePreference();
  const refs = useRef<(HTMLButtonElement | null)[]>([]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const current = choices.findIndex((c) => c.value === preference);
    const next = (current + step + choices.length) % choices.length;
    const choice = choices[next];
    if (!choice) return;
    setPreference(choice.value);
    refs.current[next]?.focus();
  };

  return (
    <div
      role="radiogroup"
      aria-label="Theme"
      onKeyDown={onKeyDown}
      className={cn(
        'inline-flex items-center gap-0.5 rounded-md border border-line bg-canvas p-0.5',
        className,
      )}
    >
      {choices.map(({ value, label, icon: Icon }, i) => {
        const checked = preference === value;
        return (
          <button
            key={value}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="radio"
            aria-checked={checked}
            aria-label={label}
            title={label}
            tabIndex={checked ? 0 : -1}
            onClick={() => setPreference(value)}
            className={cn(
              'flex size-6 items-center justify-center rounded-sm transition-colors',
              checked ? 'bg-surface text-fg shadow-xs' : 'text-fg-subtle hover:text-fg',
            )}
          >
            <Icon size={14} />
          </button>
        );
      })}
    </div>
  );
}
