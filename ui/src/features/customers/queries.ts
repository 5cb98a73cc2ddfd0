import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CustomerInput } from '../../bindings/CustomerInput';
import type { ListQuery } from '../../bindings/ListQuery';
import { call } from '../../api/invoke';
import { invalidateAfterChange } from '../../lib/invalidate';

/** Tags offered in the filter and the form besides the ones already on customers. */
export const COMMON_TAGS = ['VIP'];

export const customerKeys = {
  all: ['customers'] as const,
  list: (q: ListQuery) => ['customers', 'list', q] as const,
};

export function useCustomers(q: ListQuery) {
  return useQuery({ queryKey: customerKeys.list(q), queryFn: () => call('customers_list', q), placeholderData: keepPreviousData });
}

export function useSaveCustomer() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, data }: { id: number | null; data: CustomerInput }) =>
      id === null ? call('customer_create', data) : call('customer_update', { id, data }),
    onSuccess: () => invalidateAfterChange(qc, customerKeys.all[0]),
  });
}

export function useArchiveCustomer() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; archived: boolean }) => call('customer_set_archived', v),
    onSuccess: () => invalidateAfterChange(qc, customerKeys.all[0]),
  });
}
