import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AllocateOptions } from '../../bindings/AllocateOptions';
import type { CarrierExportInput } from '../../bindings/CarrierExportInput';
import type { ExceptionInput } from '../../bindings/ExceptionInput';
import type { HandSplitInput } from '../../bindings/HandSplitInput';
import type { NoticesQuery } from '../../bindings/NoticesQuery';
import type { PackInput } from '../../bindings/PackInput';
import type { ParcelFilter } from '../../bindings/ParcelFilter';
import type { ParcelNoteInput } from '../../bindings/ParcelNoteInput';
import type { ResolveInput } from '../../bindings/ResolveInput';
import type { ScanInput } from '../../bindings/ScanInput';
import type { ShipInput } from '../../bindings/ShipInput';
import type { TrackingImportInput } from '../../bindings/TrackingImportInput';
import type { WaveDocInput } from '../../bindings/WaveDocInput';
import type { WaveInput } from '../../bindings/WaveInput';
import type { WaveKind } from '../../bindings/WaveKind';
import type { WavesQuery } from '../../bindings/WavesQuery';
import { call } from '../../api/invoke';
import { invalidateAfterChange } from '../../lib/invalidate';

/** Parcels, waves and notices live under the orders key: every order change refreshes them, and the reverse. */
const KEY = 'orders';
/** Reserving, picking and shipping move stock: the inventory screens refresh too. */
const STOCK = 'inventory';

export const PARCEL_STATUSES = ['allocated', 'picking', 'packed', 'shipped', 'delivered', 'cancelled', 'replaced'] as const;
export const WAVE_KINDS: WaveKind[] = ['single', 'multi', 'hot', 'mixed'];
export const EXCEPTION_KINDS = ['no_update', 'late', 'lost', 'damaged'] as const;
/** The kinds a user reports by hand; `no_update` and `late` come from the scan. */
export const REPORTED_KINDS = ['lost', 'damaged'] as const;

export const PARCEL_STATUS_COLOR: Record<string, string> = {
  allocated: 'cyan',
  picking: 'geekblue',
  packed: 'purple',
  shipped: 'green',
  delivered: 'success',
  cancelled: 'default',
  replaced: 'default',
};

export const EXCEPTION_COLOR: Record<string, string> = {
  no_update: 'orange',
  late: 'gold',
  lost: 'red',
  damaged: 'volcano',
};

/** Parcels not yet out of the door: these can still be cancelled. */
export const UNSHIPPED = ['allocated', 'picking', 'packed'];

export const EMPTY_PARCEL_FILTER: ParcelFilter = { status: null, warehouse: null, wave_no: null, carrier: null, exceptions: false, search: null };

export function useParcels(f: ParcelFilter) {
  return useQuery({ queryKey: [KEY, 'parcels', f], queryFn: () => call('parcels_list', f), placeholderData: keepPreviousData });
}

export function useOrderParcels(id: number) {
  return useQuery({ queryKey: [KEY, 'parcels', 'order', id], queryFn: () => call('order_parcels', { id }) });
}

export function useMergeCandidates() {
  return useQuery({ queryKey: [KEY, 'mergeCandidates'], queryFn: () => call('order_merge_candidates', null) });
}

export function useWaves(q: WavesQuery) {
  return useQuery({ queryKey: [KEY, 'waves', q], queryFn: () => call('waves_list', q), placeholderData: keepPreviousData });
}

export function usePickList(waveNo: string | null) {
  return useQuery({
    queryKey: [KEY, 'pickList', waveNo],
    queryFn: () => call('pick_list', { key: waveNo ?? '', format: '' }),
    enabled: waveNo !== null,
  });
}

export function useShipNotices(q: NoticesQuery) {
  return useQuery({ queryKey: [KEY, 'notices', q], queryFn: () => call('ship_notices', q) });
}

function useChange<I, O>(fn: (input: I) => Promise<O>, ...also: string[]) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => invalidateAfterChange(qc, KEY, ...also) });
}

export const useAllocate = () => useChange((o: AllocateOptions) => call('order_allocate', o), STOCK);
export const useSplitOrder = () => useChange((v: HandSplitInput) => call('order_split', v), STOCK);
export const useCancelParcel = () => useChange((v: ParcelNoteInput) => call('parcel_cancel', v), STOCK);
export const useCreateWave = () => useChange((v: WaveInput) => call('wave_create', v), STOCK);
export const usePack = () => useChange((v: PackInput) => call('parcel_pack', v));
export const useSetTracking = () => useChange((v: ShipInput) => call('parcel_set_tracking', v));
export const useShip = () => useChange((v: ShipInput) => call('parcel_ship', v), STOCK);
export const useTrackingImport = () => useChange((v: TrackingImportInput) => call('tracking_import', v));
export const useNoticesSent = () => useChange((ids: number[]) => call('ship_notices_sent', { ids }));
export const useLogisticsScan = () => useChange((_: void) => call('logistics_scan', null));
export const useReportException = () => useChange((v: ExceptionInput) => call('logistics_report', v));
export const useResolveException = () => useChange((v: ResolveInput) => call('logistics_resolve', v), STOCK);

/** One parcel by its number (or tracking number), for the outbound check. */
export function useLoadParcel() {
  return useMutation({ mutationFn: (parcel_no: string) => call('parcel_get', { parcel_no }) });
}

/**
 * One scan of the outbound check. It changes only the parcel's checked counts, which the check screen holds
 * itself: nothing to refresh until the parcel is packed.
 */
export function useScan() {
  return useMutation({ mutationFn: (v: ScanInput) => call('parcel_scan', v) });
}

export function useCheckReset() {
  return useMutation({ mutationFn: (parcel_no: string) => call('parcel_check_reset', { parcel_no }) });
}

export function usePickListExport() {
  return useMutation({ mutationFn: (v: WaveDocInput) => call('pick_list_export', v) });
}

export function usePackingSlipsExport() {
  return useMutation({ mutationFn: (key: string) => call('packing_slips_export', { key, format: 'pdf' }) });
}

export function useCarrierExport() {
  return useMutation({ mutationFn: (v: CarrierExportInput) => call('carrier_export', v) });
}
