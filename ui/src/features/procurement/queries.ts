import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ListQuery } from '../../bindings/ListQuery';
import type { PriceSheetRequest } from '../../bindings/PriceSheetRequest';
import { call } from '../../api/invoke';
import { invalidateAfterChange } from '../../lib/invalidate';

export const procurementKeys = {
  all: ['procurement'] as const,
  items: (supplier: string, q: ListQuery) => ['procurement', 'items', supplier, q] as const,
  history: (id: number) => ['procurement', 'history', id] as const,
  compare: (sku: string) => ['procurement', 'compare', sku] as const,
  mapping: (supplier: string) => ['procurement', 'mapping', supplier] as const,
};

/** Reads a picked file as base64 (the webview has the bytes; the core keeps a copy for preview and import). */
export function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(file);
  });
}

export function useStageFile() {
  return useMutation({
    mutationFn: async (file: File) =>
      call('import_stage_file', { file_name: file.name, content_base64: await readAsBase64(file) }),
  });
}

export function usePreview() {
  return useMutation({ mutationFn: (req: PriceSheetRequest) => call('price_sheet_preview', req) });
}

export function useImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: PriceSheetRequest) => call('price_sheet_import', req),
    onSuccess: () => invalidateAfterChange(qc, procurementKeys.all[0]),
  });
}

export function useRejects() {
  return useMutation({ mutationFn: (req: PriceSheetRequest) => call('price_sheet_rejects', req) });
}

export function useImportProgress(enabled: boolean) {
  return useQuery({
    queryKey: ['procurement', 'progress'],
    queryFn: () => call('import_progress', null),
    enabled,
    refetchInterval: enabled ? 300 : false,
  });
}

export function useSupplierItems(supplier: string | undefined, q: ListQuery) {
  return useQuery({
    queryKey: procurementKeys.items(supplier ?? '', q),
    queryFn: () => call('supplier_items_list', { supplier_code: supplier ?? '', query: q }),
    enabled: !!supplier,
    placeholderData: keepPreviousData,
  });
}

export function useItemHistory(id: number | null) {
  return useQuery({
    queryKey: procurementKeys.history(id ?? 0),
    queryFn: () => call('supplier_item_history', { id: id ?? 0 }),
    enabled: id !== null,
  });
}

export function useMatchItem() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; sku: string | null }) => call('supplier_item_match', v),
    onSuccess: () => invalidateAfterChange(qc, procurementKeys.all[0]),
  });
}

export function useCompare(sku: string) {
  return useQuery({
    queryKey: procurementKeys.compare(sku),
    queryFn: () => call('price_compare', { sku }),
    enabled: sku.trim() !== '',
    retry: false,
  });
}
