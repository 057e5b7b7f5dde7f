import { useMutation, useQueryClient } from '@tanstack/react-query';
import { commands } from '../../bindings';
import { Button } from '../../components/Button';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { useSession } from './session';
import { SignInError } from './SignInError';

/**
 * "Continue as …" for the person this computer remembers (`username`; `null` when nobody is),
 * and "Forget me". Stays mounted when the core forgets a password that stopped working, so
 * the reason stays on screen.
 */
export function RememberedSignIn({ username }: { username: string | null }) {
  const { signedIn } = useSession();
  const client = useQueryClient();
  const refreshInfo = () => client.invalidateQueries({ queryKey: queryKeys.appInfo });
  const continueAs = useMutation({
    mutationFn: () => unwrap(commands.signInRemembered()),
    onSuccess: (me) => signedIn(me),
    // A remembered password that no longer works has been forgotten.
    onError: () => void refreshInfo(),
  });
  const forget = useMutation({
    mutationFn: () => unwrap(commands.forgetRemembered()),
    onSettled: () => void refreshInfo(),
  });
  return (
    <>
      {username != null && (
        <section
          aria-label="Remembered sign-in"
          data-testid="remembered"
          className="mb-4 flex flex-col gap-3 rounded-xl border border-line bg-surface p-5 shadow-xs"
        >
          <p className="text-base text-fg-muted">
            This computer remembers <span className="font-medium text-fg">{username}</span>.
          </p>
          <div className="flex items-center gap-2">
            <Button
              variant="primary"
              data-testid="continue-remembered"
              loading={continueAs.isPending}
              disabled={continueAs.isPending}
              onClick={() => continueAs.mutate()}
            >
              Continue as {username}
            </Button>
            <Button
              variant="ghost"
              data-testid="forget-remembered"
              loading={forget.isPending}
              disabled={continueAs.isPending}
              onClick={() => forget.mutate()}
            >
              Forget me
            </Button>
          </div>
        </section>
      )}
      {continueAs.isError && (
        <div className="mb-4">
          <SignInError error={continueAs.error} />
        </div>
      )}
    </>
  );
}
