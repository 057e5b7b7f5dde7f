import { describe, expect, it } from 'vitest';
import { errorMessage } from './errors';
import { CommandError, unwrap } from './ipc';

describe('unwrap', () => {
  it('returns the data of an ok result', async () => {
    await expect(unwrap(Promise.resolve({ status: 'ok', data: 42 }))).resolves.toBe(42);
  });

  it('throws the core’s error with its message', async () => {
    const failed = unwrap(
      Promise.resolve({
        status: 'error',
        error: { kind: 'Conflict', message: 'The order changed meanwhile.' },
      }),
    );
    await expect(failed).rejects.toBeInstanceOf(CommandError);
    const error = await failed.catch((e: unknown) => e);
    expect(errorMessage(error)).toBe('The order changed meanwhile.');
    expect((error as CommandError<{ kind: string }>).detail.kind).toBe('Conflict');
  });
});
