/**
 * Glue between the generated command bindings (src/bindings.ts, tauri-specta) and TanStack
 * Query. Each generated command resolves to `{ status: 'ok', data }` or `{ status: 'error',
 * error }`; queries and mutations want a value or a thrown Error.
 *
 *   useQuery({ queryKey: ['order', id], queryFn: () => unwrap(commands.orderDetail(id)) })
 */

export type CommandResult<T, E> = { status: 'ok'; data: T } | { status: 'error'; error: E };

/** A command's error: `message` is the core's sentence for the person; `detail` the whole error. */
export class CommandError<E = unknown> extends Error {
  readonly detail: E;

  constructor(detail: E) {
    const message =
      typeof detail === 'object' &&
      detail !== null &&
      'message' in detail &&
      typeof detail.message === 'string'
        ? detail.message
        : String(detail);
    super(message);
    this.name = 'CommandError';
    this.detail = detail;
  }
}

/** The command's data, or a thrown CommandError carrying the core's error. */
export async function unwrap<T, E>(result: Promise<CommandResult<T, E>>): Promise<T> {
  const outcome = await result;
  if (outcome.status === 'ok') return outcome.data;
  throw new CommandError(outcome.error);
}

/** The `kind` of a command's error (`not_signed_in`, `conflict`…), or null for anything else. */
export function errorKind(error: unknown): string | null {
  if (!(error instanceof CommandError)) return null;
  const { detail } = error as CommandError<unknown>;
  if (typeof detail === 'object' && detail !== null && 'kind' in detail && typeof detail.kind === 'string') {
    return detail.kind;
  }
  return null;
}

/** True when a command failed with this kind of error. */
export function isErrorKind(error: unknown, kind: string): boolean {
  return errorKind(error) === kind;
}
