import { useEffect, useSyncExternalStore, type ComponentProps, type ReactNode } from 'react';

/**
 * A tiny hash router: '#/orders/0190…?status=open'. Hash URLs survive Tauri's custom
 * protocol (no server to rewrite paths) and reloads.
 *
 *   <Routes routes={[{ path: '/orders/:id', render: ({ id }) => <Order id={id} /> }]} fallback={<NotFound />} />
 *   <Link to="/orders">Orders</Link>        navigate('/orders/42')        useLocation().search.get('status')
 */

const NAVIGATE_EVENT = 'md:navigate';

function currentHash(): string {
  return window.location.hash;
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  window.addEventListener(NAVIGATE_EVENT, listener);
  return () => {
    window.removeEventListener('hashchange', listener);
    window.removeEventListener(NAVIGATE_EVENT, listener);
  };
}

export type Location = {
  /** '/orders/42' ('/' when the hash is empty). */
  path: string;
  /** The query after '?', e.g. status=open. */
  search: URLSearchParams;
};

export function parseHash(hash: string): Location {
  const raw = hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const path = (q === -1 ? raw : raw.slice(0, q)) || '/';
  return {
    path: path.startsWith('/') ? path : `/${path}`,
    search: new URLSearchParams(q === -1 ? '' : raw.slice(q + 1)),
  };
}

/** The current location; re-renders when it changes. */
export function useLocation(): Location {
  const hash = useSyncExternalStore(subscribe, currentHash, () => '');
  return parseHash(hash);
}

/** Goes to `to` ('/orders?status=open'). `replace` leaves no history entry (redirects, filters). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const hash = `#${to.startsWith('/') ? to : `/${to}`}`;
  if (hash === window.location.hash) return;
  if (options.replace) {
    window.history.replaceState(window.history.state, '', hash);
  } else {
    window.history.pushState(window.history.state, '', hash);
  }
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

export type RouteParams = Record<string, string>;

/**
 * Matches a path against a pattern: '/orders/:id' captures `id`; a trailing '/*' matches
 * any rest (captured as `*`). Returns the params, or null.
 */
export function matchPath(pattern: string, path: string): RouteParams | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  const params: RouteParams = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i] ?? '';
    if (segment === '*') {
      params['*'] = have.slice(i).map(decodeURIComponent).join('/');
      return params;
    }
    const value = have[i];
    if (value === undefined) return null;
    if (segment.startsWith(':')) params[segment.slice(1)] = decodeURIComponent(value);
    else if (segment !== value) return null;
  }
  return want.length === have.length ? params : null;
}

/** True when the current path is `to` or below it ('/orders' is active on '/orders/42'). */
export function isActivePath(to: string, path: string): boolean {
  const base = to.split('?')[0] ?? to;
  return path === base || (base !== '/' && path.startsWith(`${base}/`));
}

export type RouteDef = {
  path: string;
  render: (params: RouteParams) => ReactNode;
};

/** Renders the first route whose pattern matches the current path. */
export function Routes({ routes, fallback = null }: { routes: readonly RouteDef[]; fallback?: ReactNode }) {
  const { path } = useLocation();
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return <>{route.render(params)}</>;
  }
  return <>{fallback}</>;
}

export type LinkProps = Omit<ComponentProps<'a'>, 'href'> & { to: string };

/** An anchor to a route; carries aria-current="page" while its route is active. */
export function Link({ to, ...props }: LinkProps) {
  const { path } = useLocation();
  return (
    <a
      href={`#${to.startsWith('/') ? to : `/${to}`}`}
      aria-current={isActivePath(to, path) ? 'page' : undefined}
      {...props}
    />
  );
}

/** Replaces the current location on mount (e.g. '/' → the role's home screen). */
export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}
