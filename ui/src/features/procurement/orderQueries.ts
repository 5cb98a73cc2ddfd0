import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ListQuery } from '../../bindings/ListQuery';
import type { PoAction } from '../../bindings/PoAction';
import type { PoInput } from '../../bindings/PoInput';
import type { ReceiptInput } from '../../bindings/ReceiptInput';
import { call } from '../../api/invoke';
import { invalidateAfterChange } from '../../lib/invalidate';

const KEY = 'purchase-orders';

export function usePurchaseOrders(q: ListQuery) {
  return useQuery({ queryKey: [KEY, 'list', q], queryFn: () => call('po_list', q), placeholderData: keepPreviousData });
}

export function usePurchaseOrder(id: number | null) {
  return useQuery({ queryKey: [KEY, 'one', id], queryFn: () => call('po_get', { id: id ?? 0 }), enabled: id !== null });
}

export function useChaseList(days: number) {
  return useQuery({ queryKey: [KEY, 'chase', days], queryFn: () => call('po_chase_list', { days }) });
}

function useChange<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => invalidateAfterChange(qc, KEY) });
}

export const useCreatePo = () => useChange((input: PoInput) => call('po_create', input));
export const usePoAction = () => useChange((v: { id: number; action: PoAction }) => call('po_action', v));
export const useReceive = () => useChange((input: ReceiptInput) => call('po_receive', input));
export const useMarkChased = () =>
  useChange((v: { line_id: number; note: string; promised_date: string | null }) => call('po_mark_chased', v));
export const usePoExport = () => useMutation({ mutationFn: (v: { id: number; format: string }) => call('po_export', v) });
