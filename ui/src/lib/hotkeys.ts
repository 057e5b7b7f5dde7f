import { useEffect, useEffectEvent } from 'react';

/**
 * Keyboard shortcuts.
 *
 * A shortcut is one chord ('mod+k', 'shift+?', 'escape') or a sequence of chords separated
 * by spaces ('g o': press g, then o within a second). `mod` is ⌘ on macOS and Ctrl
 * elsewhere. Plain keys and sequences are ignored while typing in a field; chords with
 * mod/ctrl/alt/meta work everywhere. Nothing fires from inside an open dialog, or for a
 * key a component already handled (defaultPrevented).
 */

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export type Chord = { key: string; ctrl: boolean; meta: boolean; alt: boolean; shift: boolean | null };

const ALIASES: Record<string, string> = {
  esc: 'escape',
  return: 'enter',
  space: ' ',
  plus: '+',
  del: 'delete',
};

export function parseHotkey(keys: string): Chord[] {
  return keys
    .trim()
    .split(/\s+/)
    .map((chord) => {
      const parts = chord.toLowerCase().split(/\+(?!$)/);
      const key = parts.pop() ?? '';
      const has = (m: string) => parts.includes(m);
      const mod = has('mod');
      return {
        key: ALIASES[key] ?? key,
        ctrl: has('ctrl') || (mod && !isMac),
        meta: has('meta') || has('cmd') || (mod && isMac),
        alt: has('alt') || has('option'),
        // Symbols such as '?' need shift on some layouts: only check shift when asked to.
        shift: has('shift') ? true : /^[a-z0-9]$/.test(key) ? false : null,
      };
    });
}

const KEY_LABELS: Record<string, string> = {
  escape: 'Esc',
  enter: '↵',
  arrowup: '↑',
  arrowdown: '↓',
  arrowleft: '←',
  arrowright: '→',
  ' ': 'Space',
};

/** Key caps to show for a shortcut: 'mod+k' → ['Ctrl', 'K'] (['⌘', 'K'] on macOS); 'g o' → ['G', 'O']. */
export function formatHotkey(keys: string): string[] {
  return parseHotkey(keys).flatMap((c) => [
    ...(c.ctrl ? ['Ctrl'] : []),
    ...(c.meta ? [isMac ? '⌘' : 'Meta'] : []),
    ...(c.alt ? [isMac ? '⌥' : 'Alt'] : []),
    ...(c.shift ? [isMac ? '⇧' : 'Shift'] : []),
    KEY_LABELS[c.key] ?? c.key.toUpperCase(),
  ]);
}

function keyOf(event: KeyboardEvent): string[] {
  const keys = [event.key.toLowerCase()];
  // Alt changes `key` on macOS (alt+k is '˚'): also match the physical key.
  const code = /^(?:Key([A-Z])|Digit(\d))$/.exec(event.code);
  if (code) keys.push((code[1] ?? code[2] ?? '').toLowerCase());
  return keys;
}

export function matchesChord(event: KeyboardEvent, chord: Chord): boolean {
  return (
    keyOf(event).includes(chord.key) &&
    event.ctrlKey === chord.ctrl &&
    event.metaKey === chord.meta &&
    event.altKey === chord.alt &&
    (chord.shift === null || event.shiftKey === chord.shift)
  );
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

function inDialog(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('[role="dialog"],[role="alertdialog"]') !== null;
}

export type HotkeyOptions = {
  /** Default true. */
  enabled?: boolean;
  /** Fire while focus is in a text field. Default: only for chords with mod/ctrl/alt/meta. */
  allowInInputs?: boolean;
};

export type HotkeyBinding = HotkeyOptions & {
  keys: string;
  handler: (event: KeyboardEvent) => void;
};

const SEQUENCE_TIMEOUT_MS = 1000;
const MODIFIER_KEYS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'AltGraph']);

/** Registers several shortcuts at once (e.g. one per navigation item). */
export function useHotkeys(bindings: readonly HotkeyBinding[]): void {
  const onKeyDown = useEffectEvent((event: KeyboardEvent, progress: Map<string, [number, number]>) => {
    if (event.defaultPrevented || event.isComposing || MODIFIER_KEYS.has(event.key)) return;
    if (inDialog(event.target)) return;
    for (const binding of bindings) {
      if (binding.enabled === false) continue;
      const chords = parseHotkey(binding.keys);
      const first = chords[0];
      if (!first) continue;
      const allowInInputs = binding.allowInInputs ?? (first.ctrl || first.meta || first.alt);
      if (!allowInInputs && isTyping(event.target)) continue;

      const now = Date.now();
      const [step, at] = progress.get(binding.keys) ?? [0, 0];
      let next = step > 0 && now - at <= SEQUENCE_TIMEOUT_MS ? step : 0;
      const expected = chords[next];
      if (expected && matchesChord(event, expected)) next += 1;
      else next = matchesChord(event, first) ? 1 : 0;

      if (next === chords.length) {
        progress.delete(binding.keys);
        event.preventDefault();
        binding.handler(event);
        return;
      }
      if (next > 0) progress.set(binding.keys, [next, now]);
      else progress.delete(binding.keys);
    }
  });

  useEffect(() => {
    const progress = new Map<string, [number, number]>();
    const listener = (event: KeyboardEvent) => onKeyDown(event, progress);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}

/** `useHotkey('mod+k', openPalette)`, `useHotkey('g o', () => navigate('/orders'))`. */
export function useHotkey(
  keys: string,
  handler: (event: KeyboardEvent) => void,
  options: HotkeyOptions = {},
): void {
  useHotkeys([{ keys, handler, ...options }]);
}
