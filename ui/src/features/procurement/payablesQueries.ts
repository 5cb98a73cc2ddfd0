import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InvoiceDecision } from '../../bindings/InvoiceDecision';
import type { InvoiceInput } from '../../bindings/InvoiceInput';
import type { ListQuery } from '../../bindings/ListQuery';
import type { PaymentInput } from '../../bindings/PaymentInput';
import type { StatementQuery } from '../../bindings/StatementQuery';
import { call } from '../../api/invoke';
import { invalidateAfterChange } from '../../lib/invalidate';

const KEY = 'payables';

export function useInvoices(query: ListQuery, supplierCode: string | null) {
  return useQuery({
    queryKey: [KEY, 'invoices', query, supplierCode],
    queryFn: () => call('invoice_list', { query, supplier_code: supplierCode }),
    placeholderData: keepPreviousData,
  });
}

export function useInvoice(id: number | null) {
  return useQuery({ queryKey: [KEY, 'invoice', id], queryFn: () => call('invoice_get', { id: id ?? 0 }), enabled: id !== null });
}

export function useBillableLines(poId: number | null) {
  return useQuery({
    queryKey: [KEY, 'billable', poId],
    queryFn: () => call('invoice_billable_lines', { id: poId ?? 0 }),
    enabled: poId !== null,
  });
}

export function usePayments(query: ListQuery, supplierCode: string | null) {
  return useQuery({
    queryKey: [KEY, 'payments', query, supplierCode],
    queryFn: () => call('payment_list', { query, supplier_code: supplierCode }),
    placeholderData: keepPreviousData,
  });
}

export function useAgeing(asOf: string | null) {
  return useQuery({ queryKey: [KEY, 'ageing', asOf], queryFn: () => call('payables_ageing', { as_of: asOf }) });
}

export function useStatement(q: StatementQuery | null) {
  return useQuery({
    queryKey: [KEY, 'statement', q],
    queryFn: () => call('supplier_statement', q as StatementQuery),
    enabled: q !== null,
  });
}

function useChange<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => invalidateAfterChange(qc, KEY, 'purchase-orders') });
}

export const useRecordInvoice = () => useChange((input: InvoiceInput) => call('invoice_record', input));
export const useDecideInvoice = () =>
  useChange((v: { id: number; decision: InvoiceDecision; note: string }) => call('invoice_decide', v));
export const useRecordPayment = () => useChange((input: PaymentInput) => call('payment_record', input));
