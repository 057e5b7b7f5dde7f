import { useMutation, useQuery } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { commands, type AppInfo, type ServerSetting } from '../../bindings';
import { Button } from '../../components/Button';
import { Checkbox } from '../../components/Checkbox';
import { AlertCircleIcon, InfoIcon } from '../../components/icons';
import { Field, Input } from '../../components/Input';
import { Skeleton } from '../../components/Skeleton';
import { ThemeToggle } from '../../components/ThemeToggle';
import { errorMessage } from '../../lib/errors';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { DEMO_PASSWORD, ROLE_LABELS } from './roles';
import { RememberedSignIn } from './RememberedSignIn';
import { SignInError } from './SignInError';
import { ServerDialog } from './ServerDialog';
import { useSession } from './session';

function InstallationInfo({ info, onChangeServer }: { info: AppInfo; onChangeServer?: () => void }) {
  return (
    <dl className="grid grid-cols-[88px_minmax(0,1fr)] gap-x-3 gap-y-1 text-sm">
      <dt className="text-fg-subtle">Version</dt>
      <dd className="text-fg-muted tabular-nums">{info.version}</dd>
      <dt className="text-fg-subtle">Database</dt>
      <dd className="min-w-0 break-all text-fg-muted" title={info.database}>
        {info.engine ? `${info.engine} · ` : ''}
        <span className="font-mono">{info.database}</span>
        {info.encrypted && info.local_note == null && (
          <span data-testid="encrypted" className="break-normal whitespace-nowrap text-fg-subtle">
            {' '}
            · encrypted
          </span>
        )}
      </dd>
      <dt className="text-fg-subtle">Server</dt>
      <dd className="flex min-w-0 items-baseline gap-2 text-fg-muted">
        <span data-testid="server" className={info.server ? 'min-w-0 font-mono break-all' : ''}>
          {info.server ?? 'none: this computer only'}
        </span>
        {onChangeServer && (
          <button
            type="button"
            data-testid="change-server"
            onClick={onChangeServer}
            className="shrink-0 text-accent-text hover:underline"
          >
            Change…
          </button>
        )}
      </dd>
    </dl>
  );
}

/** A saved server that waits for the next start, with the restart. */
function RestartNotice({ setting }: { setting: ServerSetting }) {
  const restart = useMutation({ mutationFn: () => unwrap(commands.restartApp()) });
  return (
    <div
      role="status"
      data-testid="restart-needed"
      className="mt-3 flex flex-col gap-2 rounded-md bg-info-soft px-3 py-2 text-base text-info"
    >
      <span>
        Saved: from its next start Marketdesk{' '}
        {setting.saved ? (
          <>
            signs in to <span className="font-mono break-all">{setting.saved}</span>
          </>
        ) : (
          'works on this computer alone'
        )}
        .
      </span>
      <span>
        <Button size="sm" data-testid="restart" loading={restart.isPending} onClick={() => restart.mutate()}>
          Restart now
        </Button>
      </span>
      {restart.isError && <span className="text-danger-text">{errorMessage(restart.error)}</span>}
    </div>
  );
}

/** The first screen: who is signing in, and on which database. */
export function SignInScreen() {
  const { signedIn } = useSession();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);

  const info = useQuery({
    queryKey: queryKeys.appInfo,
    queryFn: () => unwrap(commands.appInfo()),
    retry: false,
  });

  const signIn = useMutation({
    mutationFn: (credentials: { login: string; password: string; remember: boolean }) =>
      unwrap(commands.signIn(credentials.login, credentials.password, credentials.remember)),
    onSuccess: (me) => signedIn(me),
  });
  const remembered = info.data?.remembered ?? null;
  const serverSetting = useQuery({
    queryKey: queryKeys.serverSetting,
    queryFn: () => unwrap(commands.serverSetting()),
    retry: false,
  });
  const [changingServer, setChangingServer] = useState(false);
  const canChangeServer = serverSetting.data != null && !serverSetting.data.from_environment;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (signIn.isPending) return;
    signIn.mutate({
      login: login.trim(),
      password,
      remember: remember && (info.data?.can_remember ?? false),
    });
  };

  const demoLogins = info.data?.demo_logins ?? [];

  return (
    <div className="flex min-h-screen flex-col bg-canvas text-fg">
      <div className="flex justify-end p-3">
        <ThemeToggle />
      </div>
      <main className="flex flex-1 items-start justify-center px-4 pt-[8vh] pb-10">
        <div className="w-full max-w-sm">
          <div className="mb-6 flex items-center gap-2.5">
            <span aria-hidden="true" className="size-7 rounded-lg bg-accent" />
            <div>
              <h1 className="text-xl font-semibold tracking-tight">Marketdesk</h1>
              <p className="text-sm text-fg-subtle">Marketplace back office</p>
            </div>
          </div>

          <RememberedSignIn username={remembered} />

          <form
            onSubmit={submit}
            aria-label="Sign in"
            className="flex flex-col gap-4 rounded-xl border border-line bg-surface p-5 shadow-xs"
            noValidate
          >
            <Field label="Sign-in name">
              {(p) => (
                <Input
                  {...p}
                  data-testid="login"
                  autoFocus
                  autoComplete="username"
                  autoCapitalize="none"
                  spellCheck={false}
                  placeholder="Email or username"
                  value={login}
                  onChange={(e) => setLogin(e.target.value)}
                />
              )}
            </Field>
            <Field label="Password">
              {(p) => (
                <Input
                  {...p}
                  ref={passwordRef}
                  data-testid="password"
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              )}
            </Field>
            {info.data?.can_remember && (
              <Checkbox
                data-testid="remember"
                checked={remember}
                onChange={setRemember}
                className="text-fg-muted"
              >
                Remember me on this computer
              </Checkbox>
            )}
            {signIn.isError && <SignInError error={signIn.error} />}
            <Button
              type="submit"
              variant="primary"
              size="lg"
              data-testid="sign-in"
              loading={signIn.isPending}
              disabled={signIn.isPending}
            >
              {signIn.isPending ? 'Signing in…' : 'Sign in'}
            </Button>
          </form>

          <div className="mt-5 px-1">
            {info.isPending ? (
              <div className="flex flex-col gap-2" aria-hidden="true">
                <Skeleton className="w-32" />
                <Skeleton className="w-64" />
              </div>
            ) : info.isError ? (
              <p role="alert" className="text-sm text-danger-text">
                Could not read this installation: {errorMessage(info.error)}
              </p>
            ) : (
              <InstallationInfo
                info={info.data}
                onChangeServer={canChangeServer ? () => setChangingServer(true) : undefined}
              />
            )}
            {info.data?.problem && (
              <p
                role="alert"
                data-testid="database-problem"
                className="mt-3 flex items-start gap-2 rounded-md bg-warning-soft px-3 py-2 text-base text-warning"
              >
                <AlertCircleIcon className="mt-0.5 shrink-0" />
                <span>
                  <span className="font-medium">The database cannot be used.</span> {info.data.problem}
                </span>
              </p>
            )}
            {serverSetting.data?.restart_needed && <RestartNotice setting={serverSetting.data} />}
            {changingServer && serverSetting.data && (
              <ServerDialog setting={serverSetting.data} onClose={() => setChangingServer(false)} />
            )}
            {info.data?.local_note && (
              <p
                role="status"
                data-testid="local-note"
                className="mt-3 flex items-start gap-2 rounded-md bg-info-soft px-3 py-2 text-base text-info"
              >
                <InfoIcon className="mt-0.5 shrink-0" />
                <span>{info.data.local_note}</span>
              </p>
            )}
          </div>

          {demoLogins.length > 0 && (
            <section aria-labelledby="demo-sign-ins" className="mt-6 px-1">
              <h2 id="demo-sign-ins" className="text-sm font-medium text-fg-muted">
                Demo sign-ins
              </h2>
              <p className="mt-0.5 text-sm text-fg-subtle">
                Every demo person’s password is{' '}
                <code className="rounded-sm bg-raised px-1 font-mono text-fg-muted">{DEMO_PASSWORD}</code>.
              </p>
              <ul className="mt-2 flex flex-col gap-px">
                {demoLogins.map((d) => (
                  <li key={d.email}>
                    <button
                      type="button"
                      data-testid={`demo-login-${d.role}`}
                      onClick={() => {
                        setLogin(d.email);
                        passwordRef.current?.focus();
                      }}
                      className="flex w-full items-center gap-3 rounded-md px-2 py-1.5 text-left text-base hover:bg-raised"
                    >
                      <span className="w-20 shrink-0 text-fg-subtle">{ROLE_LABELS[d.role]}</span>
                      <span className="min-w-0 truncate text-fg">{d.email}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
      </main>
    </div>
  );
}
