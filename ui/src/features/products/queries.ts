import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ListQuery } from '../../bindings/ListQuery';
import type { ProductInput } from '../../bindings/ProductInput';
import { call } from '../../api/invoke';
import { invalidateAfterChange } from '../../lib/invalidate';

export const productKeys = {
  all: ['products'] as const,
  list: (q: ListQuery) => ['products', 'list', q] as const,
  facets: ['products', 'facets'] as const,
};

export function useProducts(q: ListQuery) {
  return useQuery({ queryKey: productKeys.list(q), queryFn: () => call('products_list', q), placeholderData: keepPreviousData });
}

export function useProductFacets() {
  return useQuery({ queryKey: productKeys.facets, queryFn: () => call('product_facets', null) });
}

export function useSaveProduct() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, data }: { id: number | null; data: ProductInput }) =>
      id === null ? call('product_create', data) : call('product_update', { id, data }),
    onSuccess: () => invalidateAfterChange(qc, productKeys.all[0]),
  });
}

export function useArchiveProduct() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; archived: boolean }) => call('product_set_archived', v),
    onSuccess: () => invalidateAfterChange(qc, productKeys.all[0]),
  });
}
