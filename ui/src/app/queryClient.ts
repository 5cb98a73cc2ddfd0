import { QueryCache, QueryClient } from '@tanstack/react-query';
import type { ApiError } from '../bindings/ApiError';
import { appKeys } from './appKeys';

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: ApiError;
  }
}

/** One client per app: no retries (the core answers locally), no refetch on focus (a desktop window). */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (err, query) => {
        // The session ended behind our back (restore, user deactivated): ask the core who is logged in.
        if (err.code === 'auth.not_logged_in' && query.queryKey[0] !== appKeys.all[0]) {
          void client.invalidateQueries({ queryKey: appKeys.status });
        }
      },
    }),
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: 15_000 },
      mutations: { retry: false },
    },
  });
  return client;
}
