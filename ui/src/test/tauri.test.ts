import { invoke } from '@tauri-apps/api/core';
import { describe, expect, it } from 'vitest';
import { mockCommands } from './tauri';

describe('mockCommands', () => {
  it('answers invoke with the mocked command', async () => {
    const { calls } = mockCommands({
      app_info: () => ({ name: 'Marketdesk', version: '0.1.0' }),
    });
    await expect(invoke('app_info')).resolves.toEqual({ name: 'Marketdesk', version: '0.1.0' });
    expect(calls).toEqual([{ cmd: 'app_info', args: {} }]);
  });

  it('passes arguments and surfaces the command error', async () => {
    mockCommands({
      order_get: (args) => {
        const { id } = args as { id: string };
        throw new Error(`order ${id} not found`);
      },
    });
    await expect(invoke('order_get', { id: 'x' })).rejects.toThrow('order x not found');
    await expect(invoke('nope')).rejects.toThrow("no mock for command 'nope'");
  });
});
