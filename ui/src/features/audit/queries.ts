import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { AuditQuery } from '../../bindings/AuditQuery';
import { call } from '../../api/invoke';

export const AUDIT_ENTITIES = ['product', 'supplier', 'warehouse', 'location', 'customer', 'user', 'settings', 'database'] as const;
export const AUDIT_ACTIONS = ['create', 'update', 'archive', 'restore', 'import', 'backup', 'restore_backup', 'load_demo'] as const;

export const auditKeys = {
  all: ['audit'] as const,
  list: (q: AuditQuery) => ['audit', 'list', q] as const,
};

export function useAuditLog(q: AuditQuery) {
  return useQuery({ queryKey: auditKeys.list(q), queryFn: () => call('audit_list', q), placeholderData: keepPreviousData });
}

/** Where the label of a changed field lives, per audited entity. */
const FIELD_LABELS: Record<string, string> = {
  product: 'products:fields.',
  supplier: 'suppliers:fields.',
  warehouse: 'warehouses:fields.',
  location: 'warehouses:location.fields.',
  customer: 'customers:fields.',
  user: 'users:fields.',
  settings: 'settings:fields.',
};

export function fieldLabelKey(entity: string, field: string): string | null {
  const prefix = FIELD_LABELS[entity];
  return prefix ? prefix + field : null;
}
