import { useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Flex,
  Input,
  InputNumber,
  Modal,
  Radio,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ButtonProps, TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { AgeingRow } from '../../bindings/AgeingRow';
import type { BillableLine } from '../../bindings/BillableLine';
import type { Invoice } from '../../bindings/Invoice';
import type { InvoiceDecision } from '../../bindings/InvoiceDecision';
import type { InvoiceLine } from '../../bindings/InvoiceLine';
import type { Payment } from '../../bindings/Payment';
import type { StatementLine } from '../../bindings/StatementLine';
import { useErrorReporter } from '../../api/errors';
import { useCan } from '../../app/session';
import { QueryError } from '../../components/QueryError';
import { EMPTY_LIST_QUERY, useListQuery } from '../../lib/useListQuery';
import { SupplierSelect } from './SupplierSelect';
import { usePurchaseOrders } from './orderQueries';
import {
  useAgeing,
  useBillableLines,
  useDecideInvoice,
  useInvoice,
  useInvoices,
  usePayments,
  useRecordInvoice,
  useRecordPayment,
  useStatement,
} from './payablesQueries';

const INVOICE_STATUSES = ['held', 'open', 'matched', 'approved', 'rejected'] as const;
const STATUS_COLOR: Record<string, string> = { matched: 'green', held: 'red', approved: 'blue', rejected: 'default' };
const PAY_COLOR: Record<string, string> = { unpaid: 'gold', partially_paid: 'orange', paid: 'green', not_payable: 'default' };
const METHODS = ['bank', 'cash', 'alipay', 'wechat', 'cheque', 'other'] as const;
const day = (d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null);

/** Issue codes as stored (`amount`, `line 2: price`) in the user's language. */
function useIssueText() {
  const { t } = useTranslation();
  return (issue: string) => {
    const m = /^line (\d+): (.+)$/.exec(issue);
    return m ? t('procurement:ap.lineIssue', { line: m[1], issue: t(`procurement:ap.issue.${m[2]}`) }) : t(`procurement:ap.issue.${issue}`);
  };
}

/** Picks a PO that can be invoiced (sent or received), searching by number. */
function PoPicker({ value, onChange }: { value: number | null; onChange: (id: number | null) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const orders = usePurchaseOrders({ ...EMPTY_LIST_QUERY, status: null, search: search.trim() || null, page_size: 50 });
  const options = (orders.data?.items ?? [])
    .filter((p) => ['sent', 'partially_received', 'received', 'closed'].includes(p.status))
    .map((p) => ({ value: p.id, label: `${p.po_no} · ${p.supplier_name} · ${p.total_amount} ${p.currency}` }));
  return (
    <Select
      showSearch
      filterOption={false}
      value={value ?? undefined}
      onSearch={setSearch}
      onChange={(v?: number) => onChange(v ?? null)}
      options={options}
      placeholder={t('procurement:ap.pickPo')}
      loading={orders.isFetching}
      style={{ width: '100%' }}
      data-testid="invoice-po"
    />
  );
}

type LineDraft = { qty: number; unit_price: string; tax_rate: string };

/** Records a supplier invoice against a PO: lines prefilled with what was received and not yet billed. */
export function RecordInvoiceModal({ poId, onClose }: { poId: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const report = useErrorReporter();
  const issueText = useIssueText();
  const [po, setPo] = useState<number | null>(poId);
  const lines = useBillableLines(po);
  const record = useRecordInvoice();
  const [invoiceNo, setInvoiceNo] = useState('');
  const [invoiceDate, setInvoiceDate] = useState<Dayjs | null>(dayjs());
  const [dueDate, setDueDate] = useState<Dayjs | null>(null);
  const [notes, setNotes] = useState('');
  const [drafts, setDrafts] = useState<Record<number, LineDraft>>({});
  const draft = (l: BillableLine): LineDraft => drafts[l.po_line_id] ?? { qty: l.billable, unit_price: l.unit_price, tax_rate: l.tax_rate };
  const edit = (l: BillableLine, patch: Partial<LineDraft>) => setDrafts((d) => ({ ...d, [l.po_line_id]: { ...draft(l), ...patch } }));
  const columns: TableColumnsType<BillableLine> = [
    { key: 'no', dataIndex: 'line_no', title: '#', width: 40 },
    { key: 'item', title: t('procurement:fields.name'), render: (_: unknown, l) => `${l.sku} ${l.name}` },
    { key: 'recv', title: t('procurement:ap.receivedBilled'), width: 120, render: (_: unknown, l) => `${l.received} / ${l.invoiced}` },
    {
      key: 'qty',
      title: t('procurement:ap.invoicedQty'),
      width: 110,
      render: (_: unknown, l) => (
        <InputNumber min={0} value={draft(l).qty} onChange={(v) => edit(l, { qty: v ?? 0 })} data-testid={`invoice-qty-${l.line_no}`} style={{ width: 96 }} />
      ),
    },
    {
      key: 'price',
      title: t('procurement:ap.invoicedPrice'),
      width: 130,
      render: (_: unknown, l) => (
        <Input value={draft(l).unit_price} onChange={(e) => edit(l, { unit_price: e.target.value })} data-testid={`invoice-price-${l.line_no}`} />
      ),
    },
    {
      key: 'tax',
      title: t('procurement:po.tax'),
      width: 80,
      render: (_: unknown, l) => <Input value={draft(l).tax_rate} suffix="%" onChange={(e) => edit(l, { tax_rate: e.target.value })} />,
    },
  ];
  const submit = () => {
    if (po === null || !lines.data) return;
    const chosen = lines.data.filter((l) => draft(l).qty > 0);
    record
      .mutateAsync({
        po_id: po,
        invoice_no: invoiceNo,
        invoice_date: day(invoiceDate),
        due_date: day(dueDate),
        notes,
        lines: chosen.map((l) => ({ po_line_id: l.po_line_id, qty: draft(l).qty, unit_price: draft(l).unit_price, tax_rate: draft(l).tax_rate })),
      })
      .then((inv) => {
        if (inv.status === 'matched') {
          void message.success(t('procurement:ap.matched', { no: inv.doc_no, total: inv.total_amount }));
        } else {
          modal.warning({
            title: t('procurement:ap.heldTitle', { no: inv.doc_no }),
            content: (
              <ul data-testid="invoice-held-issues">
                {inv.issues.map((i) => (
                  <li key={i}>{issueText(i)}</li>
                ))}
              </ul>
            ),
          });
        }
        onClose();
      })
      .catch(report);
  };
  return (
    <Modal
      open
      width={860}
      title={t('procurement:ap.recordInvoice')}
      onCancel={onClose}
      onOk={submit}
      okButtonProps={{ disabled: po === null, 'data-testid': 'invoice-save' } as ButtonProps}
      confirmLoading={record.isPending}
      data-testid="invoice-modal"
    >
      <Flex vertical gap={12}>
        {poId === null && <PoPicker value={po} onChange={(v) => { setPo(v); setDrafts({}); }} />}
        <Space wrap>
          <Input placeholder={t('procurement:ap.invoiceNo')} value={invoiceNo} onChange={(e) => setInvoiceNo(e.target.value)} style={{ width: 220 }} data-testid="invoice-no" />
          <Space size={4}>
            <Typography.Text>{t('procurement:ap.invoiceDate')}</Typography.Text>
            <DatePicker value={invoiceDate} onChange={setInvoiceDate} allowClear={false} />
          </Space>
          <Space size={4}>
            <Typography.Text>{t('procurement:ap.dueDate')}</Typography.Text>
            <DatePicker value={dueDate} onChange={setDueDate} placeholder={t('procurement:ap.dueDefault')} />
          </Space>
        </Space>
        <QueryError error={lines.error} />
        <Table<BillableLine> rowKey="po_line_id" size="small" columns={columns} dataSource={lines.data} loading={lines.isFetching} pagination={false} />
        <Input.TextArea rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} placeholder={t('procurement:ap.notes')} maxLength={1000} />
        <Typography.Text type="secondary">{t('procurement:ap.matchHint')}</Typography.Text>
      </Flex>
    </Modal>
  );
}

function InvoiceDrawer({ id, onClose }: { id: number; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const issueText = useIssueText();
  const inv = useInvoice(id);
  const decide = useDecideInvoice();
  const [note, setNote] = useState('');
  const i = inv.data;
  const columns: TableColumnsType<InvoiceLine> = [
    { key: 'no', dataIndex: 'line_no', title: '#', width: 40 },
    { key: 'item', title: t('procurement:fields.name'), render: (_: unknown, l) => `${l.sku} ${l.name}` },
    { key: 'qty', dataIndex: 'qty', title: t('procurement:ap.invoicedQty'), align: 'right', width: 80 },
    { key: 'recv', title: t('procurement:ap.receivedBilled'), width: 120, render: (_: unknown, l) => `${l.received_qty} / ${l.invoiced_before}` },
    { key: 'price', title: t('procurement:ap.priceVsPo'), width: 150, render: (_: unknown, l) => `${l.unit_price} / ${l.po_unit_price}` },
    { key: 'tax', title: t('procurement:po.tax'), width: 90, render: (_: unknown, l) => `${l.tax_rate}% / ${l.po_tax_rate}%` },
    { key: 'amount', title: t('procurement:ap.amountVsExpected'), width: 170, render: (_: unknown, l) => `${l.net_amount} + ${l.tax_amount} / ${l.expected_amount}` },
    {
      key: 'issues',
      title: t('procurement:ap.issues'),
      render: (_: unknown, l) => l.issues.map((x) => <Tag color="red" key={x}>{t(`procurement:ap.issue.${x}`)}</Tag>),
    },
  ];
  const doDecide = (decision: InvoiceDecision) =>
    decide
      .mutateAsync({ id, decision, note })
      .then((r) => message.success(t('procurement:ap.decided', { no: r.doc_no, status: t(`procurement:ap.status.${r.status}`) })))
      .catch(report);
  return (
    <Drawer open width={980} onClose={onClose} title={i ? `${i.doc_no} · ${i.supplier_name}` : ''} data-testid="invoice-drawer">
      <QueryError error={inv.error} />
      {i && (
        <Flex vertical gap={16}>
          <Descriptions size="small" bordered column={3}>
            <Descriptions.Item label={t('procurement:ap.statusCol')}>
              <Tag color={STATUS_COLOR[i.status]}>{t(`procurement:ap.status.${i.status}`)}</Tag>
              <Tag color={PAY_COLOR[i.payment_status]}>{t(`procurement:ap.payStatus.${i.payment_status}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('procurement:ap.invoiceNo')}>{i.invoice_no}</Descriptions.Item>
            <Descriptions.Item label={t('procurement:po.no')}>{i.po_no}</Descriptions.Item>
            <Descriptions.Item label={t('procurement:ap.invoiceDate')}>{i.invoice_date}</Descriptions.Item>
            <Descriptions.Item label={t('procurement:ap.dueDate')}>{i.due_date}</Descriptions.Item>
            <Descriptions.Item label={t('procurement:ap.total')}>{`${i.total_amount} ${i.currency}`}</Descriptions.Item>
            <Descriptions.Item label={t('procurement:ap.expected')}>{i.expected_amount}</Descriptions.Item>
            <Descriptions.Item label={t('procurement:ap.variance')}>{i.variance}</Descriptions.Item>
            <Descriptions.Item label={t('procurement:ap.paid')}>{`${i.paid_amount} / ${i.open_amount}`}</Descriptions.Item>
          </Descriptions>
          {i.issues.length > 0 && (
            <Alert
              type={i.status === 'held' ? 'error' : 'info'}
              showIcon
              message={t('procurement:ap.issues')}
              description={
                <ul style={{ margin: 0 }} data-testid="invoice-issues">
                  {i.issues.map((x) => (
                    <li key={x}>{issueText(x)}</li>
                  ))}
                </ul>
              }
            />
          )}
          <Table<InvoiceLine> rowKey="po_line_id" size="small" columns={columns} dataSource={i.lines} pagination={false} />
          {i.decided_by && (
            <Typography.Text type="secondary">
              {t('procurement:ap.decision', { who: i.decided_by, note: i.decision_note })}
            </Typography.Text>
          )}
          {i.status === 'held' && can('approve_invoice_variances') && (
            <Flex vertical gap={8}>
              <Input.TextArea rows={2} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('procurement:ap.decisionNote')} maxLength={1000} data-testid="invoice-note" />
              <Space>
                <Button type="primary" disabled={!note.trim()} loading={decide.isPending} onClick={() => void doDecide('approve')} data-testid="invoice-approve">
                  {t('procurement:ap.approve')}
                </Button>
                <Button danger disabled={!note.trim()} loading={decide.isPending} onClick={() => void doDecide('reject')} data-testid="invoice-reject">
                  {t('procurement:ap.reject')}
                </Button>
              </Space>
            </Flex>
          )}
        </Flex>
      )}
    </Drawer>
  );
}

function PaymentModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const record = useRecordPayment();
  const [supplier, setSupplier] = useState<string | undefined>();
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('');
  const [payDate, setPayDate] = useState<Dayjs | null>(dayjs());
  const [method, setMethod] = useState<string>('bank');
  const [reference, setReference] = useState('');
  const [notes, setNotes] = useState('');
  const [mode, setMode] = useState<'auto' | 'manual'>('auto');
  const [applied, setApplied] = useState<Record<string, string>>({});
  const open = useInvoices({ ...EMPTY_LIST_QUERY, status: 'open', page_size: 100 }, supplier ?? null);
  const submit = () =>
    record
      .mutateAsync({
        supplier_code: supplier ?? '',
        currency: currency.trim() || null,
        amount,
        pay_date: day(payDate),
        method,
        reference,
        notes,
        allocations:
          mode === 'manual'
            ? Object.entries(applied)
                .filter(([, a]) => a.trim() !== '')
                .map(([doc, a]) => ({ invoice_doc_no: doc, amount: a }))
            : [],
      })
      .then((p) => {
        void message.success(t('procurement:ap.paidMsg', { no: p.payment_no, amount: p.amount, advance: p.unallocated }));
        onClose();
      })
      .catch(report);
  return (
    <Modal open width={760} title={t('procurement:ap.recordPayment')} onCancel={onClose} onOk={submit} confirmLoading={record.isPending} okButtonProps={{ 'data-testid': 'payment-save' } as ButtonProps}>
      <Flex vertical gap={12}>
        <SupplierSelect value={supplier} onChange={setSupplier} testId="payment-supplier" />
        <Space wrap>
          <Input placeholder={t('procurement:ap.amount')} value={amount} onChange={(e) => setAmount(e.target.value)} style={{ width: 160 }} data-testid="payment-amount" />
          <Input placeholder={t('procurement:ap.currencyDefault')} value={currency} onChange={(e) => setCurrency(e.target.value)} style={{ width: 130 }} />
          <DatePicker value={payDate} onChange={setPayDate} allowClear={false} />
          <Select value={method} onChange={setMethod} style={{ width: 130 }} options={METHODS.map((m) => ({ value: m, label: t(`procurement:ap.method.${m}`) }))} />
          <Input placeholder={t('procurement:ap.reference')} value={reference} onChange={(e) => setReference(e.target.value)} style={{ width: 180 }} />
        </Space>
        <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as 'auto' | 'manual')}>
          <Radio value="auto">{t('procurement:ap.applyAuto')}</Radio>
          <Radio value="manual">{t('procurement:ap.applyManual')}</Radio>
        </Radio.Group>
        {mode === 'manual' && supplier && (
          <Table<Invoice>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={open.data?.items}
            loading={open.isFetching}
            columns={[
              { key: 'doc', dataIndex: 'doc_no', title: t('procurement:ap.docNo') },
              { key: 'no', dataIndex: 'invoice_no', title: t('procurement:ap.invoiceNo') },
              { key: 'due', dataIndex: 'due_date', title: t('procurement:ap.dueDate') },
              { key: 'open', title: t('procurement:ap.open'), align: 'right', render: (_: unknown, i) => `${i.open_amount} ${i.currency}` },
              {
                key: 'apply',
                title: t('procurement:ap.apply'),
                width: 140,
                render: (_: unknown, i) => (
                  <Input value={applied[i.doc_no] ?? ''} onChange={(e) => setApplied((a) => ({ ...a, [i.doc_no]: e.target.value }))} />
                ),
              },
            ]}
          />
        )}
        <Input.TextArea rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} placeholder={t('procurement:ap.notes')} maxLength={1000} />
      </Flex>
    </Modal>
  );
}

function InvoicesView() {
  const { t } = useTranslation();
  const can = useCan();
  const list = useListQuery<Invoice>({ status: 'held' });
  const [supplier, setSupplier] = useState<string | undefined>();
  const invoices = useInvoices(list.query, supplier ?? null);
  const [open, setOpen] = useState<number | null>(null);
  const [recording, setRecording] = useState(false);
  const columns: TableColumnsType<Invoice> = [
    { key: 'doc_no', dataIndex: 'doc_no', title: t('procurement:ap.docNo'), width: 160 },
    { key: 'supplier', title: t('procurement:fields.supplier'), width: 220, ellipsis: true, render: (_: unknown, i) => `${i.supplier_code} · ${i.supplier_name}` },
    { key: 'po', dataIndex: 'po_no', title: t('procurement:po.no'), width: 160 },
    { key: 'invoice_no', dataIndex: 'invoice_no', title: t('procurement:ap.invoiceNo'), width: 140 },
    { key: 'due_date', dataIndex: 'due_date', title: t('procurement:ap.dueDate'), width: 110 },
    { key: 'total', title: t('procurement:ap.total'), align: 'right', width: 130, render: (_: unknown, i) => `${i.total_amount} ${i.currency}` },
    { key: 'variance', dataIndex: 'variance', title: t('procurement:ap.variance'), align: 'right', width: 90 },
    {
      key: 'status',
      title: t('procurement:ap.statusCol'),
      width: 170,
      render: (_: unknown, i) => (
        <Space size={2}>
          <Tag color={STATUS_COLOR[i.status]}>{t(`procurement:ap.status.${i.status}`)}</Tag>
          {i.payment_status !== 'not_payable' && <Tag color={PAY_COLOR[i.payment_status]}>{t(`procurement:ap.payStatus.${i.payment_status}`)}</Tag>}
        </Space>
      ),
    },
  ];
  return (
    <>
      <Flex wrap gap={12} className="list-toolbar">
        <Select
          allowClear
          placeholder={t('procurement:ap.statusCol')}
          value={list.query.status ?? undefined}
          onChange={(v?: string) => list.setFilter('status', v ?? 'all')}
          options={INVOICE_STATUSES.map((s) => ({ value: s, label: t(`procurement:ap.filter.${s}`) }))}
          style={{ width: 180 }}
          data-testid="invoice-status-filter"
        />
        <SupplierSelect value={supplier} onChange={setSupplier} />
        {can('edit_payables') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="invoice-new">
            {t('procurement:ap.recordInvoice')}
          </Button>
        )}
      </Flex>
      <QueryError error={invoices.error} onRetry={() => void invoices.refetch()} />
      <div data-testid="invoice-table">
        <Table<Invoice>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={invoices.data?.items}
          loading={invoices.isFetching}
          onChange={list.onTableChange}
          pagination={list.pagination(invoices.data?.total, (total) => t('common:list.total', { count: total }))}
          onRow={(i) => ({ onClick: () => setOpen(i.id), style: { cursor: 'pointer' } })}
        />
      </div>
      {open !== null && <InvoiceDrawer id={open} onClose={() => setOpen(null)} />}
      {recording && <RecordInvoiceModal poId={null} onClose={() => setRecording(false)} />}
    </>
  );
}

function PaymentsView() {
  const { t } = useTranslation();
  const can = useCan();
  const list = useListQuery<Payment>({ status: null });
  const [supplier, setSupplier] = useState<string | undefined>();
  const payments = usePayments(list.query, supplier ?? null);
  const [paying, setPaying] = useState(false);
  const columns: TableColumnsType<Payment> = [
    { key: 'payment_no', dataIndex: 'payment_no', title: t('procurement:ap.paymentNo'), width: 170 },
    { key: 'pay_date', dataIndex: 'pay_date', title: t('procurement:ap.payDate'), width: 110 },
    { key: 'supplier', title: t('procurement:fields.supplier'), render: (_: unknown, p) => `${p.supplier_code} · ${p.supplier_name}` },
    { key: 'amount', title: t('procurement:ap.amount'), align: 'right', width: 130, render: (_: unknown, p) => `${p.amount} ${p.currency}` },
    { key: 'method', title: t('procurement:ap.methodCol'), width: 90, render: (_: unknown, p) => t(`procurement:ap.method.${p.method}`) },
    { key: 'reference', dataIndex: 'reference', title: t('procurement:ap.reference'), width: 140 },
    {
      key: 'applied',
      title: t('procurement:ap.appliedTo'),
      render: (_: unknown, p) => p.allocations.map((a) => `${a.invoice_doc_no} ${a.amount}`).join('，'),
    },
    { key: 'advance', dataIndex: 'unallocated', title: t('procurement:ap.advance'), align: 'right', width: 100 },
  ];
  return (
    <>
      <Flex wrap gap={12} className="list-toolbar">
        <SupplierSelect value={supplier} onChange={setSupplier} />
        {can('edit_payables') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setPaying(true)} data-testid="payment-new">
            {t('procurement:ap.recordPayment')}
          </Button>
        )}
      </Flex>
      <QueryError error={payments.error} onRetry={() => void payments.refetch()} />
      <Table<Payment>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={payments.data?.items}
        loading={payments.isFetching}
        onChange={list.onTableChange}
        pagination={list.pagination(payments.data?.total, (total) => t('common:list.total', { count: total }))}
      />
      {paying && <PaymentModal onClose={() => setPaying(false)} />}
    </>
  );
}

function AgeingView() {
  const { t } = useTranslation();
  const [asOf, setAsOf] = useState<Dayjs | null>(null);
  const ageing = useAgeing(day(asOf));
  const columns: TableColumnsType<AgeingRow> = [
    { key: 'supplier', title: t('procurement:fields.supplier'), render: (_: unknown, r) => `${r.supplier_code} · ${r.supplier_name}` },
    { key: 'currency', dataIndex: 'currency', title: t('procurement:ap.currency'), width: 70 },
    { key: 'current', dataIndex: 'current', title: t('procurement:ap.bucket.current'), align: 'right' },
    { key: 'd1', dataIndex: 'days_1_30', title: t('procurement:ap.bucket.d1'), align: 'right' },
    { key: 'd31', dataIndex: 'days_31_60', title: t('procurement:ap.bucket.d31'), align: 'right' },
    { key: 'd61', dataIndex: 'days_61_90', title: t('procurement:ap.bucket.d61'), align: 'right' },
    { key: 'd90', dataIndex: 'days_over_90', title: t('procurement:ap.bucket.d90'), align: 'right' },
    { key: 'advance', dataIndex: 'unapplied', title: t('procurement:ap.advance'), align: 'right' },
    { key: 'balance', dataIndex: 'balance', title: t('procurement:ap.balance'), align: 'right', render: (b: string) => <Typography.Text strong>{b}</Typography.Text> },
  ];
  return (
    <>
      <Flex gap={12} align="center" className="list-toolbar">
        <Typography.Text>{t('procurement:ap.asOf')}</Typography.Text>
        <DatePicker value={asOf} onChange={setAsOf} placeholder={t('procurement:ap.today')} />
      </Flex>
      <QueryError error={ageing.error} onRetry={() => void ageing.refetch()} />
      <div data-testid="ageing-table">
        <Table<AgeingRow> rowKey={(r) => `${r.supplier_code}-${r.currency}`} size="middle" columns={columns} dataSource={ageing.data?.rows} loading={ageing.isFetching} pagination={false} />
      </div>
    </>
  );
}

function StatementView() {
  const { t } = useTranslation();
  const [supplier, setSupplier] = useState<string | undefined>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const q = useMemo(
    () => (supplier ? { supplier_code: supplier, currency: null, from: day(range?.[0] ?? null), to: day(range?.[1] ?? null) } : null),
    [supplier, range],
  );
  const st = useStatement(q);
  const columns: TableColumnsType<StatementLine> = [
    { key: 'date', dataIndex: 'biz_date', title: t('procurement:ap.date'), width: 110 },
    { key: 'kind', title: t('procurement:ap.kind'), width: 90, render: (_: unknown, l) => t(`procurement:ap.entry.${l.kind}`) },
    { key: 'doc', dataIndex: 'doc_no', title: t('procurement:ap.docNo') },
    { key: 'amount', dataIndex: 'amount', title: t('procurement:ap.amount'), align: 'right' },
    { key: 'balance', dataIndex: 'balance', title: t('procurement:ap.balance'), align: 'right' },
  ];
  return (
    <>
      <Flex wrap gap={12} align="center" className="list-toolbar">
        <SupplierSelect value={supplier} onChange={setSupplier} />
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)} />
      </Flex>
      <QueryError error={st.error} />
      {st.data && (
        <Flex vertical gap={8}>
          <Typography.Text>{t('procurement:ap.opening', { amount: st.data.opening, currency: st.data.currency })}</Typography.Text>
          <Table<StatementLine> rowKey={(l) => `${l.doc_no}-${l.kind}`} size="small" columns={columns} dataSource={st.data.lines} pagination={false} />
          <Typography.Text strong>{t('procurement:ap.closing', { amount: st.data.closing, currency: st.data.currency })}</Typography.Text>
        </Flex>
      )}
    </>
  );
}

/** Payables (应付): invoices with the three-way match and the mismatch queue, payments, ageing, statements. */
export function PayablesTab() {
  const { t } = useTranslation();
  const [view, setView] = useState<'invoices' | 'payments' | 'ageing' | 'statement'>('invoices');
  return (
    <Card className="list-card">
      <Flex vertical gap={12}>
        <Segmented
          value={view}
          onChange={(v) => setView(v as typeof view)}
          options={(['invoices', 'payments', 'ageing', 'statement'] as const).map((v) => ({
            value: v,
            label: <span data-testid={`ap-view-${v}`}>{t(`procurement:ap.views.${v}`)}</span>,
          }))}
        />
        {view === 'invoices' && <InvoicesView />}
        {view === 'payments' && <PaymentsView />}
        {view === 'ageing' && <AgeingView />}
        {view === 'statement' && <StatementView />}
      </Flex>
    </Card>
  );
}
