import { AlertCircleIcon } from '../../components/icons';
import { errorMessage } from '../../lib/errors';

/** Why a sign-in failed, as the core said it. */
export function SignInError({ error }: { error: unknown }) {
  return (
    <p
      role="alert"
      data-testid="sign-in-error"
      className="flex items-start gap-2 rounded-md bg-danger-soft px-3 py-2 text-base text-danger-text"
    >
      <AlertCircleIcon className="mt-0.5 shrink-0" />
      <span>{errorMessage(error)}</span>
    </p>
  );
}
