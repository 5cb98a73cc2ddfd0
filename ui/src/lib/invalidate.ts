import type { QueryClient } from '@tanstack/react-query';

/** After a change: the module's own queries, and the dashboard and audit log that reflect every change. */
export function invalidateAfterChange(qc: QueryClient, ...moduleKeys: string[]): Promise<unknown> {
  return Promise.all(
    [...moduleKeys, 'dashboard', 'audit'].map((k) => qc.invalidateQueries({ queryKey: [k] })),
  );
}
