import * as RadixDialog from '@radix-ui/react-dialog';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import type { Me } from '../../bindings';
import { Button } from '../../components/Button';
import { AlertCircleIcon, LockIcon } from '../../components/icons';
import { Field, Input } from '../../components/Input';
import { errorMessage } from '../../lib/errors';
import { ROLE_LABELS } from './roles';
import { useSession } from './session';

/**
 * Covers the whole window while the session is locked: opaque, above everything (toasts
 * included), and modal, so focus stays here and Esc or clicks reach nothing behind it. The
 * app behind stays mounted (Shell makes it `inert`), so unlocking returns to it as it was.
 */
export function LockScreen({ me }: { me: Me }) {
  const { unlock, signOut } = useSession();
  const [password, setPassword] = useState('');
  const [empty, setEmpty] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  // Where focus was when the app locked: it goes back there on unlocking.
  const returnTo = useRef<Element | null>(null);

  const attempt = useMutation({
    mutationFn: (pw: string) => unlock(pw),
    onError: () => {
      setPassword('');
      inputRef.current?.focus();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (attempt.isPending) return;
    if (password === '') {
      setEmpty(true);
      inputRef.current?.focus();
      return;
    }
    setEmpty(false);
    attempt.mutate(password);
  };

  const error = empty ? 'Enter your password.' : attempt.isError ? errorMessage(attempt.error) : null;

  return (
    <RadixDialog.Root open>
      <RadixDialog.Portal>
        <RadixDialog.Content
          data-testid="lock-screen"
          aria-describedby={undefined}
          onOpenAutoFocus={(event) => {
            returnTo.current = document.activeElement;
            event.preventDefault();
            inputRef.current?.focus();
          }}
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            const target = returnTo.current;
            const back =
              target instanceof HTMLElement && target.isConnected && target !== document.body
                ? target
                : document.getElementById('main');
            back?.focus();
          }}
          onEscapeKeyDown={(event) => event.preventDefault()}
          onPointerDownOutside={(event) => event.preventDefault()}
          onInteractOutside={(event) => event.preventDefault()}
          className="pointer-events-auto fixed inset-0 z-[100] flex items-start justify-center overflow-y-auto bg-canvas px-4 pt-[14vh] pb-10 text-fg focus:outline-none"
        >
          <div className="w-full max-w-sm">
            <div className="mb-6 flex items-center gap-2.5">
              <span
                aria-hidden="true"
                className="flex size-9 items-center justify-center rounded-lg bg-accent-soft text-accent-text"
              >
                <LockIcon size={18} />
              </span>
              <div className="min-w-0">
                <RadixDialog.Title className="text-xl font-semibold tracking-tight">
                  Marketdesk is locked
                </RadixDialog.Title>
                <p className="text-sm text-fg-subtle">Enter your password to go on where you left off.</p>
              </div>
            </div>

            <form
              onSubmit={submit}
              aria-label="Unlock"
              noValidate
              className="flex flex-col gap-4 rounded-xl border border-line bg-surface p-5 shadow-xs"
            >
              <div className="min-w-0">
                <p data-testid="lock-user" className="truncate text-md font-medium">
                  {me.display_name}
                </p>
                <p className="truncate text-sm text-fg-subtle">
                  {me.email} · {ROLE_LABELS[me.role]}
                </p>
              </div>
              <Field label="Password">
                {(p) => (
                  <Input
                    {...p}
                    ref={inputRef}
                    data-testid="unlock-password"
                    type="password"
                    autoFocus
                    autoComplete="current-password"
                    value={password}
                    aria-invalid={error !== null || undefined}
                    onChange={(e) => {
                      setPassword(e.target.value);
                      setEmpty(false);
                    }}
                  />
                )}
              </Field>
              {error !== null && (
                <p
                  role="alert"
                  data-testid="unlock-error"
                  className="flex items-start gap-2 rounded-md bg-danger-soft px-3 py-2 text-base text-danger-text"
                >
                  <AlertCircleIcon className="mt-0.5 shrink-0" />
                  <span>{error}</span>
                </p>
              )}
              <Button
                type="submit"
                variant="primary"
                size="lg"
                data-testid="unlock"
                loading={attempt.isPending}
                disabled={signingOut}
              >
                {attempt.isPending ? 'Unlocking…' : 'Unlock'}
              </Button>
            </form>

            <div className="mt-4 px-1">
              <button
                type="button"
                data-testid="lock-sign-out"
                disabled={signingOut || attempt.isPending}
                onClick={() => {
                  setSigningOut(true);
                  void signOut().finally(() => setSigningOut(false));
                }}
                className="text-sm font-medium text-accent-text hover:underline disabled:opacity-50"
              >
                Sign out
              </button>
            </div>
          </div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
