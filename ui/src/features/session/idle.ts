import { useEffect, useEffectEvent } from 'react';

/** How long the signed-in app may go without keyboard, mouse, wheel or touch activity before it locks. */
export const IDLE_LOCK_MS = 15 * 60_000;

/** What counts as the person being there (listened for on the window, before anything handles it). */
const ACTIVITY_EVENTS = ['keydown', 'mousedown', 'mousemove', 'pointerdown', 'wheel', 'touchstart'] as const;

/**
 * Calls `onIdle` once `timeoutMs` pass without activity in the window. Activity only notes
 * the time (cheap for mousemove); one timer checks it when the period could be over.
 * `enabled: false` stops watching; enabling again starts a fresh period.
 */
export function useIdle(timeoutMs: number, onIdle: () => void, enabled = true): void {
  const fire = useEffectEvent(onIdle);

  useEffect(() => {
    if (!enabled) return;
    let last = Date.now();
    let timer = 0;
    const check = () => {
      const idle = Date.now() - last;
      if (idle >= timeoutMs) fire();
      else timer = window.setTimeout(check, timeoutMs - idle);
    };
    const activity = () => {
      last = Date.now();
    };
    timer = window.setTimeout(check, timeoutMs);
    const options = { capture: true, passive: true } as const;
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, activity, options);
    return () => {
      window.clearTimeout(timer);
      for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, activity, options);
    };
  }, [enabled, timeoutMs]);
}
