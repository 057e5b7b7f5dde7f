import { useEffect, useRef, useState } from 'react';
import { cn } from '../lib/cn';
import { AlertCircleIcon, CheckCircleIcon, CloseIcon, InfoIcon } from './icons';
import { toast, useToasts, type Toast } from './toast';

const icons = {
  success: <CheckCircleIcon className="text-success" />,
  error: <AlertCircleIcon className="text-danger-text" />,
  info: <InfoIcon className="text-info" />,
};

function ToastItem({ item }: { item: Toast }) {
  const [paused, setPaused] = useState(false);
  const remaining = useRef(item.duration);

  useEffect(() => {
    if (paused || item.duration === 0) return;
    const started = Date.now();
    const timer = window.setTimeout(() => toast.dismiss(item.id), remaining.current);
    return () => {
      window.clearTimeout(timer);
      remaining.current -= Date.now() - started;
    };
  }, [paused, item.id, item.duration]);

  return (
    <li
      role={item.tone === 'error' ? 'alert' : 'status'}
      data-testid="toast"
      data-tone={item.tone}
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
      className={cn(
        'pointer-events-auto flex w-[360px] items-start gap-2.5 rounded-lg border border-line bg-surface p-3',
        'shadow-popover motion-safe:animate-slide-in',
      )}
    >
      <span className="mt-0.5 shrink-0">{icons[item.tone]}</span>
      <div className="min-w-0 flex-1">
        <p className="text-base font-medium break-words text-fg">{item.message}</p>
        {item.description && <p className="mt-0.5 text-sm break-words text-fg-subtle">{item.description}</p>}
        {item.action && (
          <button
            type="button"
            className="mt-1.5 text-sm font-medium text-accent-text hover:underline"
            onClick={() => {
              item.action?.onClick();
              toast.dismiss(item.id);
            }}
          >
            {item.action.label}
          </button>
        )}
      </div>
      <button
        type="button"
        aria-label="Dismiss notification"
        className="-m-1 flex size-6 shrink-0 items-center justify-center rounded-md text-fg-subtle hover:bg-raised hover:text-fg"
        onClick={() => toast.dismiss(item.id)}
      >
        <CloseIcon size={14} />
      </button>
    </li>
  );
}

/** Mount once, near the root. Shows toasts bottom-right, newest last. */
export function Toaster() {
  const toasts = useToasts();
  return (
    <section aria-label="Notifications" className="pointer-events-none fixed right-4 bottom-4 z-[60]">
      <ol className="flex flex-col items-end gap-2">
        {toasts.map((t) => (
          <ToastItem key={t.id} item={t} />
        ))}
      </ol>
    </section>
  );
}
