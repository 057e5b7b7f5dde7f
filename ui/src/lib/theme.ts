import { useSyncExternalStore } from 'react';

export type ThemePreference = 'light' | 'dark' | 'system';
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'marketdesk.theme';
const listeners = new Set<() => void>();

function readPreference(): ThemePreference {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    if (value === 'light' || value === 'dark' || value === 'system') return value;
  } catch {
    // Storage unavailable: fall back to the system theme.
  }
  return 'system';
}

let preference: ThemePreference = typeof window === 'undefined' ? 'system' : readPreference();

function systemTheme(): Theme {
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function resolveTheme(pref: ThemePreference): Theme {
  return pref === 'system' ? systemTheme() : pref;
}

function apply(): void {
  document.documentElement.classList.toggle('dark', resolveTheme(preference) === 'dark');
}

export function getThemePreference(): ThemePreference {
  return preference;
}

/** Stores the choice (localStorage) and applies it to <html> at once. */
export function setThemePreference(next: ThemePreference): void {
  preference = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not persisted; still applied for this session.
  }
  apply();
  listeners.forEach((l) => l());
}

let initialised = false;

/** Applies the stored theme and follows the system's while 'system' is chosen. Call once at start-up. */
export function initTheme(): void {
  apply();
  if (initialised) return;
  initialised = true;
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    if (preference === 'system') {
      apply();
      listeners.forEach((l) => l());
    }
  });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The stored preference and its setter, for settings UIs such as ThemeToggle. */
export function useThemePreference(): [ThemePreference, (next: ThemePreference) => void] {
  const value = useSyncExternalStore(subscribe, getThemePreference, () => 'system' as const);
  return [value, setThemePreference];
}
