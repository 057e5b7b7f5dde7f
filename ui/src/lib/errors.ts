/**
 * The message to show for an error from the core (a rejected `invoke`), a thrown Error or
 * anything else. Tauri commands reject with the serialized error: a string, or an object
 * with a `message`.
 */
export function errorMessage(error: unknown): string {
  if (typeof error === 'string' && error.trim() !== '') return error;
  if (error instanceof Error && error.message !== '') return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const { message } = error;
    if (typeof message === 'string' && message !== '') return message;
  }
  return 'Something went wrong.';
}
