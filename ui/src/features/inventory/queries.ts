import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CountDecision } from '../../bindings/CountDecision';
import type { CountEntry } from '../../bindings/CountEntry';
import type { CountInput } from '../../bindings/CountInput';
import type { MoveInput } from '../../bindings/MoveInput';
import type { StockQuery } from '../../bindings/StockQuery';
import type { TransferInput } from '../../bindings/TransferInput';
import type { TransferReceiptLine } from '../../bindings/TransferReceiptLine';
import { call } from '../../api/invoke';
import { invalidateAfterChange } from '../../lib/invalidate';
import { EMPTY_LIST_QUERY } from '../../lib/useListQuery';
import { useWarehouses } from '../warehouses/queries';

const KEY = 'inventory';

export function useStockRows(q: StockQuery) {
  return useQuery({ queryKey: [KEY, 'rows', q], queryFn: () => call('stock_rows', q), placeholderData: keepPreviousData });
}

export function useMovements(code: string | null) {
  return useQuery({
    queryKey: [KEY, 'movements', code],
    queryFn: () => call('stock_movements', { code: code ?? '', limit: 200 }),
    enabled: code !== null,
  });
}

export function useAlerts() {
  return useQuery({ queryKey: [KEY, 'alerts'], queryFn: () => call('stock_alerts', null) });
}

export function useRejectedGoods() {
  return useQuery({ queryKey: [KEY, 'rejected'], queryFn: () => call('rejected_goods', null) });
}

export function useTransfers(openOnly: boolean) {
  return useQuery({ queryKey: [KEY, 'transfers', openOnly], queryFn: () => call('transfer_list', { open_only: openOnly }) });
}

export function useCounts() {
  return useQuery({ queryKey: [KEY, 'counts'], queryFn: () => call('count_list', null) });
}

export function useCount(countNo: string | null) {
  return useQuery({
    queryKey: [KEY, 'count', countNo],
    queryFn: () => call('count_get', { count_no: countNo ?? '' }),
    enabled: countNo !== null,
  });
}

/** Warehouse codes for the pickers. */
export function useWarehouseOptions() {
  const w = useWarehouses({ ...EMPTY_LIST_QUERY, page_size: 100 });
  return (w.data?.items ?? []).map((x) => ({ value: x.code, label: `${x.code} · ${x.name}` }));
}

function useChange<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => invalidateAfterChange(qc, KEY) });
}

export const useMoveStock = () => useChange((input: MoveInput) => call('stock_move', input));
export const useShipTransfer = () => useChange((input: TransferInput) => call('transfer_ship', input));
export const useReceiveTransfer = () =>
  useChange((v: { transfer_no: string; lines: TransferReceiptLine[] }) => call('transfer_receive', v));
export const useStartCount = () => useChange((input: CountInput) => call('count_start', input));
export const useRecordCounts = () =>
  useChange((v: { count_no: string; entries: CountEntry[] }) => call('count_record', v));
export const useDecideCount = () =>
  useChange((v: { count_no: string; decision: CountDecision }) => call('count_decide', v));
export const useCountSheet = () => useMutation({ mutationFn: (count_no: string) => call('count_sheet_export', { count_no }) });
