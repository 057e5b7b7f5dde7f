/** Stopping a listener of the core's events (Tauri `listen`) safely, whatever the page is doing. */
import type { UnlistenFn } from '@tauri-apps/api/event';

/**
 * `unlisten`, callable any number of times, running once. It answers with a promise that
 * rejects when the page is going away: nothing is left to stop then.
 */
export function once(unlisten: UnlistenFn): () => void {
  let called = false;
  return () => {
    if (called) return;
    called = true;
    const result: unknown = unlisten();
    if (result instanceof Promise) result.catch(() => undefined);
  };
}
