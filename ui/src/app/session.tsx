import { createContext, useContext, useMemo } from 'react';
import type { ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Actor } from '../bindings/Actor';
import type { AppStatus } from '../bindings/AppStatus';
import type { Permission } from '../bindings/Permission';
import { call } from '../api/invoke';
import { appKeys } from './appKeys';

export function useAppStatus() {
  return useQuery({ queryKey: appKeys.status, queryFn: () => call('app_status', null), staleTime: Infinity });
}

/** Replaces the logged-in user in the cached start-up status (after login, logout, language change). */
export function useSetSessionUser() {
  const qc = useQueryClient();
  return (user: Actor | null) =>
    qc.setQueryData<AppStatus>(appKeys.status, (s) => (s ? { ...s, user, needs_setup: false } : s));
}

export type Session = {
  actor: Actor;
  status: AppStatus;
  /** What the UI shows; the core checks every permission again. */
  can: (p: Permission) => boolean;
};

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ actor, status, children }: { actor: Actor; status: AppStatus; children: ReactNode }) {
  const value = useMemo<Session>(() => {
    const perms = new Set<string>(actor.permissions);
    return { actor, status, can: (p) => perms.has(p) };
  }, [actor, status]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export function useCan(): (p: Permission) => boolean {
  return useSession().can;
}
