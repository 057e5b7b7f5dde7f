import type { InvokeArgs } from '@tauri-apps/api/core';
import { mockIPC } from '@tauri-apps/api/mocks';

/**
 * Fakes the Rust side for component tests: each command name maps to a handler that gets
 * the invoke arguments and returns the result (or throws / returns a rejected promise, which
 * the caller sees as the command's error). A command without a handler rejects, naming it.
 * The setup file calls clearMocks() after each test.
 *
 *   mockCommands({ app_info: () => ({ version: '0.1.0' }) });
 *   await invoke('app_info'); // → { version: '0.1.0' }
 */
export type CommandHandler = (args: InvokeArgs | undefined) => unknown;

export function mockCommands(
  handlers: Record<string, CommandHandler>,
  options: {
    /** Let `listen` and `emit` (@tauri-apps/api/event) work in the page, as core events would. */
    events?: boolean;
  } = {},
): {
  calls: { cmd: string; args: unknown }[];
} {
  const calls: { cmd: string; args: unknown }[] = [];
  mockIPC(
    (cmd, args) => {
      calls.push({ cmd, args });
      const handler = handlers[cmd];
      if (!handler) return Promise.reject(new Error(`no mock for command '${cmd}'`));
      return handler(args);
    },
    { shouldMockEvents: options.events ?? false },
  );
  return { calls };
}
