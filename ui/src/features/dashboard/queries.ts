import { useQuery } from '@tanstack/react-query';
import { call } from '../../api/invoke';

export const dashboardKeys = {
  all: ['dashboard'] as const,
  summary: ['dashboard', 'summary'] as const,
};

export function useDashboard() {
  return useQuery({ queryKey: dashboardKeys.summary, queryFn: () => call('dashboard', null) });
}
