import { QueryClient } from '@tanstack/react-query';
import { isErrorKind } from './ipc';

/** Once, unless asking again cannot help: no session, or the session is locked. */
function retryOnce(failureCount: number, error: unknown): boolean {
  return failureCount < 1 && !isErrorKind(error, 'not_signed_in') && !isErrorKind(error, 'locked');
}

/**
 * Queries here call the local Rust core over IPC, not the network: `networkMode: 'always'`
 * keeps them running when the OS reports no network (the core then serves the local copy).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        networkMode: 'always',
        staleTime: 30_000,
        gcTime: 5 * 60_000,
        retry: retryOnce,
        // A desktop app gains focus all day long; screens refresh on their own terms.
        refetchOnWindowFocus: false,
      },
      mutations: {
        networkMode: 'always',
        retry: 0,
      },
    },
  });
}

/** The app's single client. Tests create their own with `createQueryClient()`. */
export const queryClient = createQueryClient();
