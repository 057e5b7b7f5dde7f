import { useSyncExternalStore } from 'react';

/**
 * A small notification store. `toast.success('Payout approved')`, `toast.error(message)`.
 * The <Toaster /> mounted once in the app shows them and removes them after their duration.
 */

export type ToastTone = 'success' | 'error' | 'info';

export type ToastOptions = {
  /** A second, quieter line. */
  description?: string;
  /** ms before it goes away; default 4 s, 8 s for errors. 0 keeps it until dismissed. */
  duration?: number;
  /** One action button ('Undo', 'Open'). */
  action?: { label: string; onClick: () => void };
};

export type Toast = ToastOptions & {
  id: string;
  tone: ToastTone;
  message: string;
  duration: number;
};

const MAX_TOASTS = 5;
const DEFAULT_DURATION: Record<ToastTone, number> = { success: 4000, info: 4000, error: 8000 };

let toasts: readonly Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit(next: readonly Toast[]) {
  toasts = next;
  listeners.forEach((l) => l());
}

function show(tone: ToastTone, message: string, options: ToastOptions = {}): string {
  const id = `toast-${nextId++}`;
  const item: Toast = { ...options, id, tone, message, duration: options.duration ?? DEFAULT_DURATION[tone] };
  emit([...toasts, item].slice(-MAX_TOASTS));
  return id;
}

export const toast = {
  success: (message: string, options?: ToastOptions) => show('success', message, options),
  error: (message: string, options?: ToastOptions) => show('error', message, options),
  info: (message: string, options?: ToastOptions) => show('info', message, options),
  /** Removes one toast, or all of them without an id. */
  dismiss(id?: string) {
    emit(id === undefined ? [] : toasts.filter((t) => t.id !== id));
  },
};

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const getSnapshot = () => toasts;

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
