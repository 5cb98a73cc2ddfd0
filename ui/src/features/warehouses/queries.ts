import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ListQuery } from '../../bindings/ListQuery';
import type { LocationInput } from '../../bindings/LocationInput';
import type { WarehouseInput } from '../../bindings/WarehouseInput';
import { call } from '../../api/invoke';
import { invalidateAfterChange } from '../../lib/invalidate';

export const LOCATION_KINDS = ['storage', 'receiving', 'shipping', 'defect'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

export const warehouseKeys = {
  all: ['warehouses'] as const,
  list: (q: ListQuery) => ['warehouses', 'list', q] as const,
  locations: (q: ListQuery) => ['warehouses', 'locations', q] as const,
};

export function useWarehouses(q: ListQuery) {
  return useQuery({ queryKey: warehouseKeys.list(q), queryFn: () => call('warehouses_list', q), placeholderData: keepPreviousData });
}

export function useLocations(q: ListQuery) {
  return useQuery({
    queryKey: warehouseKeys.locations(q),
    queryFn: () => call('locations_list', q),
    placeholderData: keepPreviousData,
    enabled: q.warehouse_id !== null,
  });
}

export function useSaveWarehouse() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, data }: { id: number | null; data: WarehouseInput }) =>
      id === null ? call('warehouse_create', data) : call('warehouse_update', { id, data }),
    onSuccess: () => invalidateAfterChange(qc, warehouseKeys.all[0]),
  });
}

export function useArchiveWarehouse() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; archived: boolean }) => call('warehouse_set_archived', v),
    onSuccess: () => invalidateAfterChange(qc, warehouseKeys.all[0]),
  });
}

export function useSaveLocation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, data }: { id: number | null; data: LocationInput }) =>
      id === null ? call('location_create', data) : call('location_update', { id, data }),
    onSuccess: () => invalidateAfterChange(qc, warehouseKeys.all[0]),
  });
}

export function useArchiveLocation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; archived: boolean }) => call('location_set_archived', v),
    onSuccess: () => invalidateAfterChange(qc, warehouseKeys.all[0]),
  });
}
