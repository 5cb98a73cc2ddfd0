import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ListQuery } from '../../bindings/ListQuery';
import type { ManualOrderInput } from '../../bindings/ManualOrderInput';
import type { OrderImportRequest } from '../../bindings/OrderImportRequest';
import type { OrderDecision } from '../../bindings/OrderDecision';
import type { PromotionInput } from '../../bindings/PromotionInput';
import type { QuoteInput } from '../../bindings/QuoteInput';
import type { ReviewScope } from '../../bindings/ReviewScope';
import type { RuleInput } from '../../bindings/RuleInput';
import type { ReviewSettings } from '../../bindings/ReviewSettings';
import type { SalesQuery } from '../../bindings/SalesQuery';
import { call } from '../../api/invoke';
import { invalidateAfterChange } from '../../lib/invalidate';

const KEY = 'orders';

export const CHANNELS = ['tmall', 'taobao', 'jd', 'pdd', 'shopify', 'amazon', 'generic'] as const;
/** The kinds of promotion (促销), in the order the form offers them. */
export const PROMOTION_KINDS = ['percent', 'flash_sale', 'group_buy', 'spend_save', 'coupon'] as const;
export type PromotionKind = (typeof PROMOTION_KINDS)[number];
export const ORDER_STATUSES = [
  'unpaid',
  'pending_review',
  'held',
  'approved',
  'allocated',
  'picking',
  'packed',
  'shipped',
  'completed',
  'closed',
  'cancelled',
] as const;

export function useOrders(q: ListQuery) {
  return useQuery({ queryKey: [KEY, 'list', q], queryFn: () => call('orders_list', q), placeholderData: keepPreviousData });
}

export function useTimeline(id: number | null) {
  return useQuery({ queryKey: [KEY, 'timeline', id], queryFn: () => call('order_timeline', { id: id ?? 0 }), enabled: id !== null });
}

export function useOrderPreview() {
  return useMutation({ mutationFn: (req: OrderImportRequest) => call('order_import_preview', req) });
}

export function useOrderImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: OrderImportRequest) => call('order_import', req),
    onSuccess: () => invalidateAfterChange(qc, KEY),
  });
}

export function useOrderRejects() {
  return useMutation({ mutationFn: (req: OrderImportRequest) => call('order_import_rejects', req) });
}

export function useUnmapped(channel: string | null) {
  return useQuery({ queryKey: [KEY, 'unmapped', channel], queryFn: () => call('unmapped_skus', { channel }) });
}

export function useMapSku() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { channel: string; platform_sku: string; sku: string }) => call('sku_map', v),
    onSuccess: () => invalidateAfterChange(qc, KEY),
  });
}

export function useSalesReport(q: SalesQuery) {
  return useQuery({ queryKey: [KEY, 'sales', q], queryFn: () => call('sales_report', q) });
}

export function useSalesExport() {
  return useMutation({ mutationFn: (v: { query: SalesQuery; format: string }) => call('sales_report_export', v) });
}

/** Products matching a text, for picking the SKU a platform code stands for. */
export function useProductOptions(search: string) {
  return useQuery({
    queryKey: ['products', 'options', search],
    queryFn: () =>
      call('products_list', {
        search: search.trim() || null,
        status: 'active',
        category: null,
        brand: null,
        tag: null,
        qualification: null,
        warehouse_id: null,
        sort: null,
        desc: false,
        page: 1,
        page_size: 20,
      }),
    placeholderData: keepPreviousData,
  });
}

export function useHeld() {
  return useQuery({ queryKey: [KEY, 'held'], queryFn: () => call('orders_held', null) });
}

export function useReview() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (scope: ReviewScope) => call('order_review', scope),
    onSuccess: (r) => (r.dry_run ? undefined : invalidateAfterChange(qc, KEY)),
  });
}

export function useDecide() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; decision: OrderDecision; note: string }) => call('order_decide', v),
    onSuccess: () => invalidateAfterChange(qc, KEY),
  });
}

export function useRules() {
  return useQuery({ queryKey: [KEY, 'rules'], queryFn: () => call('order_rules', null) });
}

export function useSaveRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number | null; rule: RuleInput }) => call('order_rule_save', v),
    onSuccess: () => invalidateAfterChange(qc, KEY),
  });
}

export function useReviewSettings() {
  return useQuery({ queryKey: [KEY, 'review-settings'], queryFn: () => call('review_settings_get', null) });
}

export function useSaveReviewSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (s: ReviewSettings) => call('review_settings_update', s),
    onSuccess: () => invalidateAfterChange(qc, KEY),
  });
}

export function useCreateManual() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ManualOrderInput) => call('order_create_manual', input),
    onSuccess: () => invalidateAfterChange(qc, KEY),
  });
}

export function usePromotions() {
  return useQuery({ queryKey: [KEY, 'promotions'], queryFn: () => call('promotions_list', null) });
}

export function useSavePromotion() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: PromotionInput) => call('promotion_save', input),
    onSuccess: () => invalidateAfterChange(qc, KEY),
  });
}

/** What an order would cost with today's promotions; `null` asks nothing (the form is not complete yet). */
export function useQuote(input: QuoteInput | null) {
  return useQuery({
    queryKey: [KEY, 'quote', input],
    queryFn: () => call('price_quote', input as QuoteInput),
    enabled: input !== null,
    placeholderData: keepPreviousData,
  });
}
