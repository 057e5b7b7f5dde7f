import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Toaster } from '../components/Toaster';
import { TooltipProvider } from '../components/Tooltip';
import { queryClient as appQueryClient } from '../lib/queryClient';

/** Everything the screens expect around them: data cache, tooltips, toasts. */
export function AppProviders({
  client = appQueryClient,
  children,
}: {
  client?: QueryClient;
  children: ReactNode;
}) {
  return (
    <QueryClientProvider client={client}>
      <TooltipProvider>
        {children}
        <Toaster />
      </TooltipProvider>
    </QueryClientProvider>
  );
}
