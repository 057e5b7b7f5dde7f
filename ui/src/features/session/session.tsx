import { useQueryClient } from '@tanstack/react-query';
import { createContext, use, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { navigate } from '../../app/router';
import { commands, type Me } from '../../bindings';
import { toast } from '../../components/toast';
import { isErrorKind, unwrap } from '../../lib/ipc';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  /** `locked`: the lock screen covers the app until the person types their password. */
  | { status: 'signed-in'; me: Me; locked: boolean };

export type Session = {
  state: SessionState;
  /** After a successful `signIn`. */
  signedIn: (me: Me) => void;
  /**
   * The same person, changed (a new password ends "must change" or an invitation); keeps the
   * cached answers but refetches them, since an accepted invitation grants the role's rights.
   */
  updateMe: (me: Me) => void;
  /** Signs out in the core, forgets every cached answer and shows the sign-in screen. */
  signOut: () => Promise<void>;
  /** Locks at once (idle, or on request): the core refuses every command until `unlock`. */
  lock: () => void;
  /**
   * Unlocks with the signed-in person's password; throws the core's error (wrong password,
   * back-off). Keeps every cached answer and refetches the queries that failed while locked.
   */
  unlock: (password: string) => Promise<void>;
};

const SessionContext = createContext<Session | null>(null);

/**
 * Who is signed in. Restores the session on reload (`currentUser`), returns to the sign-in
 * screen whenever a command answers `not_signed_in` (the session ended in the core), and
 * shows the lock screen whenever one answers `locked` (locked here or in another window).
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    let cancelled = false;
    unwrap(commands.currentUser())
      .then((me) => {
        if (!cancelled) {
          setState(me ? { status: 'signed-in', me, locked: false } : { status: 'signed-out' });
        }
      })
      .catch(() => {
        if (!cancelled) setState({ status: 'signed-out' });
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const endLocally = useCallback(() => {
    // Forget everything the last person saw before the sign-in screen asks for anything.
    client.clear();
    setState({ status: 'signed-out' });
    navigate('/', { replace: true });
  }, [client]);

  const current = useRef(state);
  useEffect(() => {
    current.current = state;
  }, [state]);

  // The session ended in the core (sign-out elsewhere, restart): back to the sign-in screen.
  const sessionEnded = useCallback(() => {
    if (current.current.status !== 'signed-in') return;
    current.current = { status: 'signed-out' };
    toast.info('Your session has ended', { description: 'Sign in again to continue.' });
    // Not while the cache is still notifying about the failed query.
    window.setTimeout(endLocally, 0);
  }, [endLocally]);

  /** Shows the lock screen (the core is, or is about to be, locked). */
  const showLocked = useCallback(() => {
    const now = current.current;
    if (now.status !== 'signed-in' || now.locked) return;
    current.current = { ...now, locked: true };
    setState((s) => (s.status === 'signed-in' ? { ...s, locked: true } : s));
  }, []);

  useEffect(() => {
    const check = (error: unknown) => {
      if (isErrorKind(error, 'not_signed_in')) sessionEnded();
      else if (isErrorKind(error, 'locked')) showLocked();
    };
    const unsubscribeQueries = client.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') check(event.action.error);
    });
    const unsubscribeMutations = client.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') check(event.action.error);
    });
    return () => {
      unsubscribeQueries();
      unsubscribeMutations();
    };
  }, [client, sessionEnded, showLocked]);

  const lock = useCallback(() => {
    const now = current.current;
    if (now.status !== 'signed-in' || now.locked) return;
    // The screen first: nothing stays readable while the core is told.
    showLocked();
    unwrap(commands.lockSession()).catch((e: unknown) => {
      if (isErrorKind(e, 'not_signed_in')) sessionEnded();
      else console.warn('lock_session failed', e);
    });
  }, [showLocked, sessionEnded]);

  const unlock = useCallback(
    async (password: string) => {
      await unwrap(commands.unlockSession(password));
      const now = current.current;
      if (now.status === 'signed-in') current.current = { ...now, locked: false };
      setState((s) => (s.status === 'signed-in' ? { ...s, locked: false } : s));
      // What failed while locked (refused with `locked`) loads again; the rest stays as it was.
      void client.refetchQueries({ type: 'active', predicate: (q) => q.state.status === 'error' });
    },
    [client],
  );

  const signedIn = useCallback(
    (me: Me) => {
      client.clear();
      setState({ status: 'signed-in', me, locked: false });
    },
    [client],
  );

  const updateMe = useCallback(
    (me: Me) => {
      setState((s) => (s.status === 'signed-in' && s.me.id === me.id ? { ...s, me } : s));
      // An accepted invitation grants the role's rights: what was refused before may load now.
      void client.invalidateQueries();
    },
    [client],
  );

  const signOut = useCallback(async () => {
    try {
      await unwrap(commands.signOut());
    } catch (e) {
      // Signed out locally all the same: the core refuses everything without a session.
      if (!isErrorKind(e, 'not_signed_in')) console.warn('sign_out failed', e);
    }
    // The next person at this desk should not read what the last one was told.
    toast.dismiss();
    endLocally();
  }, [endLocally]);

  const value = useMemo(
    () => ({ state, signedIn, updateMe, signOut, lock, unlock }),
    [state, signedIn, updateMe, signOut, lock, unlock],
  );
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): Session {
  const session = use(SessionContext);
  if (!session) throw new Error('useSession outside <SessionProvider>');
  return session;
}

/** The signed-in person. Only for components under the signed-in shell. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe without a signed-in person');
  return state.me;
}
