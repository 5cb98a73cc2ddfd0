import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CompanySettings } from '../../bindings/CompanySettings';
import type { ProcurementSettings } from '../../bindings/ProcurementSettings';
import { call } from '../../api/invoke';
import { appKeys } from '../../app/appKeys';
import { invalidateAfterChange } from '../../lib/invalidate';

export const settingsKeys = {
  all: ['settings'] as const,
  company: ['settings', 'company'] as const,
  procurement: ['settings', 'procurement'] as const,
  database: ['settings', 'database'] as const,
  backups: ['settings', 'backups'] as const,
};

export function useCompanySettings() {
  return useQuery({ queryKey: settingsKeys.company, queryFn: () => call('settings_get', null) });
}

export function useSaveCompanySettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (s: CompanySettings) => call('settings_update', s),
    onSuccess: async () => {
      await invalidateAfterChange(qc, settingsKeys.all[0]);
      // The header shows the company name from the start-up status.
      await qc.invalidateQueries({ queryKey: appKeys.status });
    },
  });
}

export function useDatabaseInfo() {
  return useQuery({ queryKey: settingsKeys.database, queryFn: () => call('database_get', null) });
}

export function useSetDatabase() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (url: string | null) => call('database_set', { url }),
    onSuccess: (info) => qc.setQueryData(settingsKeys.database, info),
  });
}

export function useBackups(enabled: boolean) {
  return useQuery({ queryKey: settingsKeys.backups, queryFn: () => call('backups_list', null), enabled });
}

export function useBackupNow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => call('backup_now', null),
    onSuccess: () => invalidateAfterChange(qc, settingsKeys.all[0]),
  });
}

export function useRestoreBackup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (path: string) => call('backup_restore', { path }),
    // Every record may have changed, and the session may be gone: ask the core for everything again.
    onSuccess: () => qc.invalidateQueries(),
  });
}

export function useProcurementSettings() {
  return useQuery({ queryKey: settingsKeys.procurement, queryFn: () => call('procurement_settings_get', null) });
}

export function useSaveProcurementSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (s: ProcurementSettings) => call('procurement_settings_update', s),
    onSuccess: () => invalidateAfterChange(qc, settingsKeys.all[0]),
  });
}
