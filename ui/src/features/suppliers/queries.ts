import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ListQuery } from '../../bindings/ListQuery';
import type { SupplierInput } from '../../bindings/SupplierInput';
import { call } from '../../api/invoke';
import { invalidateAfterChange } from '../../lib/invalidate';

export const QUALIFICATIONS = ['candidate', 'approved', 'suspended'] as const;
export type Qualification = (typeof QUALIFICATIONS)[number];

export const supplierKeys = {
  all: ['suppliers'] as const,
  list: (q: ListQuery) => ['suppliers', 'list', q] as const,
};

export function useSuppliers(q: ListQuery) {
  return useQuery({ queryKey: supplierKeys.list(q), queryFn: () => call('suppliers_list', q), placeholderData: keepPreviousData });
}

export function useSaveSupplier() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, data }: { id: number | null; data: SupplierInput }) =>
      id === null ? call('supplier_create', data) : call('supplier_update', { id, data }),
    onSuccess: () => invalidateAfterChange(qc, supplierKeys.all[0]),
  });
}

export function useArchiveSupplier() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; archived: boolean }) => call('supplier_set_archived', v),
    onSuccess: () => invalidateAfterChange(qc, supplierKeys.all[0]),
  });
}
