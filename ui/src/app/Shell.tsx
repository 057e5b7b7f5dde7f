import { useQueryClient } from '@tanstack/react-query';
import { isTauri } from '@tauri-apps/api/core';
import { Suspense, useEffect, useMemo, useState } from 'react';
import { events, type Me } from '../bindings';
import { Button } from '../components/Button';
import { EmptyState } from '../components/EmptyState';
import { ErrorBoundary } from '../components/ErrorBoundary';
import {
  AlertCircleIcon,
  ChevronDownIcon,
  KeyIcon,
  LockIcon,
  MonitorIcon,
  SearchIcon,
  SignOutIcon,
} from '../components/icons';
import { focusSearch, SEARCH_SHORTCUT } from '../components/SearchInput';
import { Shortcut } from '../components/Kbd';
import { Menu, MenuItem, MenuLabel, MenuSeparator } from '../components/Menu';
import { Spinner } from '../components/Spinner';
import { ChangePasswordDialog } from '../features/session/ChangePasswordDialog';
import { ConnectionBadge } from '../features/session/connection';
import { Bell } from '../features/notifications/Bell';
import { useDisputeClock } from '../features/disputes/useDisputeClock';
import { useDesktopAlerts } from '../features/notifications/useDesktopAlerts';
import { SyncBadge } from '../features/sync/SyncBadge';
import { IDLE_LOCK_MS, useIdle } from '../features/session/idle';
import { LockScreen } from '../features/session/LockScreen';
import { ROLE_LABELS } from '../features/session/roles';
import { useSession } from '../features/session/session';
import { ThisComputerDialog } from '../features/settings/ThisComputerDialog';
import { useHotkey } from '../lib/hotkeys';
import { invalidateEntity } from '../lib/queryKeys';
import { AppShell, type NavSection } from './AppShell';
import { CommandPalette, type PaletteCommand } from './CommandPalette';
import { navigate, Redirect, Routes, useLocation } from './router';
import { NAV_BY_ROLE, routableFor } from './roleScreens';
import { SCREENS } from './screens';

/** Refreshes what is on screen when the core says rows changed (only inside Tauri). */
function useDataChanged() {
  const client = useQueryClient();
  useEffect(() => {
    if (!isTauri()) return;
    let stop: (() => void) | undefined;
    let cancelled = false;
    events.dataChanged
      .listen((event) => void invalidateEntity(client, event.payload.entity))
      .then((unlisten) => {
        if (cancelled) unlisten();
        else stop = unlisten;
      })
      .catch((e: unknown) => console.warn('cannot listen for data changes', e));
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [client]);
}

function SignOutButton() {
  const { signOut } = useSession();
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="ghost"
      size="sm"
      data-testid="sign-out"
      icon={<SignOutIcon size={14} />}
      loading={pending}
      onClick={() => {
        setPending(true);
        void signOut().finally(() => setPending(false));
      }}
    >
      Sign out
    </Button>
  );
}

const LOCK_SHORTCUT = 'mod+l';
const PALETTE_SHORTCUT = 'mod+k';

/** Who is signed in; opens a menu with Lock. */
function AccountMenu({
  me,
  onLock,
  onChangePassword,
  onThisComputer,
}: {
  me: Me;
  onLock: () => void;
  onChangePassword: () => void;
  onThisComputer: () => void;
}) {
  return (
    <Menu
      trigger={
        <button
          type="button"
          data-testid="user-menu"
          aria-label={`Account: ${me.display_name}`}
          className="flex h-9 min-w-0 items-center gap-1.5 rounded-md px-1.5 text-fg hover:bg-raised"
        >
          <span className="flex min-w-0 flex-col items-end leading-tight">
            <span data-testid="user-name" className="max-w-48 truncate text-base font-medium">
              {me.display_name}
            </span>
            <span className="text-xs text-fg-subtle">{ROLE_LABELS[me.role]}</span>
          </span>
          <ChevronDownIcon size={14} className="shrink-0 text-fg-subtle" />
        </button>
      }
    >
      <MenuLabel>
        <span className="block truncate font-medium text-fg">{me.display_name}</span>
        <span className="block truncate">{me.email}</span>
      </MenuLabel>
      <MenuSeparator />
      <MenuItem data-testid="change-password" icon={<KeyIcon />} onSelect={onChangePassword}>
        Change password…
      </MenuItem>
      <MenuItem data-testid="this-computer" icon={<MonitorIcon />} onSelect={onThisComputer}>
        This computer…
      </MenuItem>
      <MenuItem data-testid="lock" icon={<LockIcon />} onSelect={onLock}>
        <span className="flex-1">Lock</span>
        <Shortcut keys={LOCK_SHORTCUT} className="ml-4" />
      </MenuItem>
    </Menu>
  );
}

/**
 * The signed-in app: the role's navigation, its screens, and who is signed in. It locks after
 * IDLE_LOCK_MS without activity, on mod+L or from the account menu; the lock screen then
 * covers it (made inert, still mounted) until the person unlocks.
 */
export function Shell({ me }: { me: Me }) {
  useDataChanged();
  const { state, lock, signOut } = useSession();
  // Opened at once on a first sign-in or after a reset, and from the account menu.
  const [changingPassword, setChangingPassword] = useState(me.must_change_password);
  const [thisComputer, setThisComputer] = useState(false);
  const locked = state.status === 'signed-in' && state.locked;
  useIdle(IDLE_LOCK_MS, lock, !locked);
  useHotkey(LOCK_SHORTCUT, lock, { enabled: !locked });
  const [palette, setPalette] = useState(false);
  useHotkey(PALETTE_SHORTCUT, () => setPalette(true), { enabled: !locked });

  const { path } = useLocation();
  const names = NAV_BY_ROLE[me.role];
  const home = names[0];

  const sections: NavSection[] = useMemo(
    () =>
      names.map((name) => ({
        label: SCREENS[name].label,
        to: `/${name}`,
        icon: SCREENS[name].icon,
        shortcut: SCREENS[name].shortcut,
        testId: `nav-${name}`,
      })),
    [names],
  );

  const routable = useMemo(() => routableFor(me.role), [me.role]);
  useDesktopAlerts(routable);
  useDisputeClock(me.role);
  const commands: PaletteCommand[] = useMemo(
    () => [
      ...routable.map((name) => ({
        id: `go-${name}`,
        label: SCREENS[name].label,
        group: 'Go to',
        icon: SCREENS[name].icon,
        shortcut: SCREENS[name].shortcut,
        run: () => navigate(`/${name}`),
      })),
      {
        id: 'search',
        label: 'Search this list',
        group: 'Actions',
        icon: <SearchIcon />,
        shortcut: SEARCH_SHORTCUT,
        keywords: 'find filter',
        run: focusSearch,
      },
      {
        id: 'change-password',
        label: 'Change password…',
        group: 'Actions',
        icon: <KeyIcon />,
        run: () => setChangingPassword(true),
      },
      {
        id: 'this-computer',
        label: 'This computer…',
        group: 'Actions',
        icon: <MonitorIcon />,
        keywords: 'keys keychain integration',
        run: () => setThisComputer(true),
      },
      { id: 'lock', label: 'Lock', group: 'Actions', icon: <LockIcon />, shortcut: LOCK_SHORTCUT, run: lock },
      {
        id: 'sign-out',
        label: 'Sign out',
        group: 'Actions',
        icon: <SignOutIcon />,
        keywords: 'log out leave',
        run: () => void signOut(),
      },
    ],
    [routable, lock, signOut],
  );
  const current = routable.find((n) => path === `/${n}` || path.startsWith(`/${n}/`));
  const title = current ? SCREENS[current].label : 'Marketdesk';

  return (
    <>
      <AppShell
        sections={sections}
        title={title}
        inert={locked}
        userMenu={
          <div className="flex items-center gap-2">
            <ConnectionBadge />
            <SyncBadge />
            <Bell />
            <AccountMenu
              me={me}
              onLock={lock}
              onChangePassword={() => setChangingPassword(true)}
              onThisComputer={() => setThisComputer(true)}
            />
            <SignOutButton />
          </div>
        }
        sidebarFooter={
          <div className="truncate text-sm text-fg-subtle" title={me.email}>
            {me.email}
          </div>
        }
      >
        {me.must_change_password && (
          <p
            role="status"
            className="mb-3 flex items-start gap-2 rounded-md bg-warning-soft px-3 py-2 text-base text-warning"
          >
            <AlertCircleIcon className="mt-0.5 shrink-0" />
            <span className="flex-1">
              {me.status === 'invited'
                ? 'You signed in with your invitation code. Choose your own password before you go on working.'
                : 'You are signed in with a temporary password. Choose a new one before you go on working.'}
            </span>
            <Button size="sm" data-testid="choose-password" onClick={() => setChangingPassword(true)}>
              Choose a password…
            </Button>
          </p>
        )}
        {changingPassword && <ChangePasswordDialog me={me} onClose={() => setChangingPassword(false)} />}
        {thisComputer && <ThisComputerDialog onClose={() => setThisComputer(false)} />}
        {palette && <CommandPalette commands={commands} onClose={() => setPalette(false)} />}
        {me.must_change_password ? (
          // Until the invitation is accepted, or a reset's temporary password
          // replaced, the server grants nothing but choosing a password.
          <EmptyState
            icon={<KeyIcon size={20} />}
            title={
              me.status === 'invited'
                ? `Welcome to Marketdesk, ${me.display_name}`
                : `Choose a new password, ${me.display_name}`
            }
            description={
              me.status === 'invited'
                ? 'Your invitation is accepted once you choose your own password. Then your screens open here.'
                : 'An admin reset your password. Your screens open here once you replace the temporary one.'
            }
            action={
              <Button
                variant="primary"
                data-testid="accept-invitation"
                onClick={() => setChangingPassword(true)}
              >
                Choose a password…
              </Button>
            }
          />
        ) : home === undefined ? (
          <p className="text-base text-fg-muted">
            {ROLE_LABELS[me.role]} accounts have nothing to do in Marketdesk: use the storefront.
          </p>
        ) : (
          <ErrorBoundary key={current ?? path}>
            <Suspense
              fallback={
                <div className="flex flex-1 items-center justify-center">
                  <Spinner size={20} label="Loading the screen" />
                </div>
              }
            >
              <Routes
                routes={routable.map((name) => ({ path: `/${name}`, render: () => SCREENS[name].render() }))}
                fallback={<Redirect to={`/${home}`} />}
              />
            </Suspense>
          </ErrorBoundary>
        )}
      </AppShell>
      {locked && <LockScreen me={me} />}
    </>
  );
}
