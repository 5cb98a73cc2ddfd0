import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Flex, Form, Input, InputNumber, Modal, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import type { ButtonProps, TableColumnsType } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ManualOrderInput } from '../../bindings/ManualOrderInput';
import type { PricedLine } from '../../bindings/PricedLine';
import type { QuoteInput } from '../../bindings/QuoteInput';
import { call } from '../../api/invoke';
import { toApiError } from '../../api/apiError';
import { fieldErrorMessage, problemText, useErrorReporter } from '../../api/errors';
import { formatMinor } from '../../lib/money';
import { useDebounced } from '../../lib/useDebounced';
import { EMPTY_LIST_QUERY } from '../../lib/useListQuery';
import { kindText, PROMOTION_COLOR } from './PromotionsTab';
import { SkuPicker } from './UnmappedTab';
import { useCreateManual, useQuote } from './queries';

type LineForm = { sku?: string; qty?: number; unit_price?: string };
type OrderForm = Omit<ManualOrderInput, 'lines' | 'paid'> & { paid: boolean; lines: LineForm[] };

/** A customer picked by typing part of the code, name or phone. */
function CustomerPicker({ value, onChange }: { value?: string; onChange?: (v: string) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const list = useQuery({
    queryKey: ['customers', 'options', search],
    queryFn: () => call('customers_list', { ...EMPTY_LIST_QUERY, search: search.trim() || null, page_size: 20 }),
    placeholderData: keepPreviousData,
  });
  return (
    <Select
      allowClear
      showSearch
      filterOption={false}
      value={value || undefined}
      onSearch={setSearch}
      onChange={(v) => onChange?.(v ?? '')}
      placeholder={t('orders:manual.customerHint')}
      options={(list.data?.items ?? []).map((c) => ({ value: c.code, label: `${c.code} · ${c.name} ${c.phone}` }))}
      data-testid="manual-customer"
    />
  );
}

/** Price and stock of the SKUs on the form, shown as the clerk types. */
function Availability({ skus }: { skus: string[] }) {
  const { t } = useTranslation();
  const a = useQuery({
    queryKey: ['orders', 'availability', skus],
    queryFn: () => call('sku_availability', { skus }),
    enabled: skus.length > 0,
    placeholderData: keepPreviousData,
  });
  if (!a.data || a.data.length === 0) return null;
  return (
    <Space direction="vertical" size={0} data-testid="manual-availability">
      {a.data.map((x) => (
        <Typography.Text key={x.sku} type={x.available > 0 ? 'secondary' : 'danger'}>
          {t('orders:manual.available', { sku: x.sku, name: x.name, price: x.list_price, available: x.available })}
        </Typography.Text>
      ))}
    </Space>
  );
}

/** How long the form waits after the last change before it asks for a price. */
export const QUOTE_DEBOUNCE_MS = 300;

/** The price question for the form as it stands; `null` while a line still lacks its SKU or quantity. */
export function quoteInput(v: {
  customer_code?: string;
  receiver?: string;
  lines?: (LineForm | undefined)[];
  coupon?: string;
  group_size?: number | null;
}): QuoteInput | null {
  const lines = v.lines ?? [];
  if (lines.length === 0 || lines.some((l) => !l?.sku || !l.qty || l.qty <= 0)) return null;
  return {
    channel: 'manual',
    // As the order will record its buyer: the customer's code, else the receiver.
    buyer: (v.customer_code?.trim() || v.receiver?.trim()) ?? '',
    lines: lines.map((l) => ({ sku: l?.sku ?? '', qty: l?.qty ?? 0, unit_price: l?.unit_price ? String(l.unit_price).trim() : '' })),
    coupon: (v.coupon ?? '').trim(),
    group_size: v.group_size ?? 0,
  };
}

type QuoteRow = PricedLine & { no: number };

/** Why the price could not be worked out, each problem with the line it is on. */
function quoteProblem(t: TFunction, err: unknown): string {
  const e = toApiError(err);
  if (e.code !== 'validation' || e.details.length === 0) return problemText(t, e);
  return e.details
    .map((fe) => {
      const line = /^lines\[(\d+)\]/.exec(fe.field);
      const text = fieldErrorMessage(t, fe);
      return line ? t('orders:manual.quote.lineProblem', { line: Number(line[1]) + 1, problem: text }) : text;
    })
    .join('；');
}

/** The price with today's promotions, line by line with the steps that led to it, as the clerk types. */
function QuotePreview({ input }: { input: QuoteInput | null }) {
  const { t } = useTranslation();
  const settled = useDebounced(JSON.stringify(input), QUOTE_DEBOUNCE_MS);
  const asked = useMemo(() => JSON.parse(settled) as QuoteInput | null, [settled]);
  const quote = useQuote(asked);
  if (input === null || asked === null) return null;
  // A failed question shows why, not the answer to an earlier one.
  const p = quote.error ? undefined : quote.data;
  const cur = p?.currency ?? '';
  const rows: QuoteRow[] = (p?.lines ?? []).map((l, no) => ({ ...l, no }));
  const columns: TableColumnsType<QuoteRow> = [
    {
      key: 'item',
      title: t('orders:title_'),
      render: (_: unknown, l) => (
        <>
          {`${l.sku} · ${l.name}${l.spec ? ` · ${l.spec}` : ''}`}
          {l.steps.length > 0 && (
            <Typography.Text type="secondary" className="cell-sub" style={{ whiteSpace: 'pre-line' }} data-testid={`manual-quote-steps-${l.no}`}>
              {l.steps.join('\n')}
            </Typography.Text>
          )}
        </>
      ),
    },
    { key: 'qty', dataIndex: 'qty', title: t('orders:qty'), align: 'right', width: 60 },
    { key: 'price', dataIndex: 'unit_price', title: t('orders:unitPrice'), align: 'right', width: 90 },
    { key: 'discount', title: t('orders:discount'), align: 'right', width: 90, render: (_: unknown, l) => (l.discount ? `−${formatMinor(l.discount, cur)}` : '') },
    {
      key: 'amount',
      title: t('orders:amount'),
      align: 'right',
      width: 100,
      render: (_: unknown, l) => <span data-testid={`manual-quote-amount-${l.no}`}>{formatMinor(l.amount, cur)}</span>,
    },
  ];
  return (
    <Card
      size="small"
      title={t('orders:manual.quote.title')}
      extra={quote.isFetching ? <Spin size="small" /> : <Typography.Text type="secondary">{t('orders:manual.quote.excludes')}</Typography.Text>}
      style={{ marginBottom: 12 }}
      data-testid="manual-quote"
    >
      {quote.error && (
        <Typography.Text type="danger" data-testid="manual-quote-error">
          {quoteProblem(t, quote.error)}
        </Typography.Text>
      )}
      {p && (
        <>
          <Table<QuoteRow> rowKey="no" size="small" columns={columns} dataSource={rows} pagination={false} />
          {p.coupon_problem && (
            <Alert
              type="warning"
              showIcon
              style={{ marginTop: 8 }}
              message={t(`orders:manual.quote.couponProblems.${p.coupon_problem}`, { defaultValue: p.coupon_problem })}
              data-testid="manual-quote-coupon"
            />
          )}
          <Flex justify="space-between" align="start" gap={12} wrap style={{ marginTop: 8 }}>
            <Space size={[0, 4]} wrap data-testid="manual-quote-applied">
              {p.applied.length === 0 ? (
                <Typography.Text type="secondary">{t('orders:manual.quote.noPromotion')}</Typography.Text>
              ) : (
                p.applied.map((a) => (
                  <Tag key={a.code} color={PROMOTION_COLOR[a.kind] ?? 'default'}>
                    {kindText(t, a.kind)} · {a.name} −{formatMinor(a.discount, cur)}
                  </Tag>
                ))
              )}
            </Space>
            <Typography.Text strong data-testid="manual-quote-total">
              {t('orders:manual.quote.summary', { goods: p.goods, discount: p.discount, total: p.total, currency: p.currency })}
            </Typography.Text>
          </Flex>
        </>
      )}
    </Card>
  );
}

/** A phone order typed in by hand (电话订单). */
export function NewOrderModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const create = useCreateManual();
  const [form] = Form.useForm<OrderForm>();
  const lines = Form.useWatch('lines', form) ?? [];
  const coupon = Form.useWatch('coupon', form);
  const groupSize = Form.useWatch('group_size', form);
  const customer = Form.useWatch('customer_code', form);
  const receiver = Form.useWatch('receiver', form);
  const quote = quoteInput({ customer_code: customer, receiver, lines, coupon, group_size: groupSize });
  const skus = [...new Set(lines.map((l) => l?.sku).filter((s): s is string => !!s))];
  const submit = async () => {
    const v = await form.validateFields();
    try {
      const o = await create.mutateAsync({
        customer_code: v.customer_code ?? '',
        receiver: v.receiver ?? '',
        phone: v.phone ?? '',
        province: v.province ?? '',
        city: v.city ?? '',
        district: v.district ?? '',
        address: v.address ?? '',
        buyer_message: v.buyer_message ?? '',
        seller_note: v.seller_note ?? '',
        payment_method: v.payment_method ?? '',
        paid: v.paid ?? false,
        shipping_fee: String(v.shipping_fee ?? ''),
        discount: String(v.discount ?? ''),
        lines: v.lines.map((l) => ({ sku: l.sku ?? '', qty: l.qty ?? 1, unit_price: l.unit_price ? String(l.unit_price) : '' })),
        coupon: (v.coupon ?? '').trim(),
        group_size: v.group_size ?? 0,
      });
      message.success(t('orders:manual.created', { no: o.platform_order_no, total: `${o.total} ${o.currency}` }));
      onClose();
    } catch (e) {
      report(e, form);
    }
  };
  return (
    <Modal
      open
      width={820}
      title={t('orders:manual.title')}
      onCancel={onClose}
      onOk={() => void submit()}
      okButtonProps={{ loading: create.isPending, 'data-testid': 'manual-save' } as ButtonProps}
      maskClosable={false}
    >
      <Form form={form} layout="vertical" initialValues={{ lines: [{ qty: 1 }], paid: true, coupon: '', group_size: 0 }}>
        <Form.Item name="customer_code" label={t('orders:manual.customer')}>
          <CustomerPicker />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="receiver" label={t('orders:receiver')} style={{ flex: 1 }}>
            <Input placeholder={t('orders:manual.fromCustomer')} />
          </Form.Item>
          <Form.Item name="phone" label={t('orders:fields.phone')} style={{ flex: 1 }}>
            <Input placeholder={t('orders:manual.fromCustomer')} />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          <Form.Item name="province" label={t('orders:manual.province')} style={{ width: 140 }}>
            <Input />
          </Form.Item>
          <Form.Item name="city" label={t('orders:manual.city')} style={{ width: 140 }}>
            <Input />
          </Form.Item>
          <Form.Item name="address" label={t('orders:address')} style={{ flex: 1 }}>
            <Input placeholder={t('orders:manual.fromCustomer')} />
          </Form.Item>
        </Flex>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Flex key={f.key} gap={8} align="start">
                  <Form.Item name={[f.name, 'sku']} label={i === 0 ? t('orders:sku') : undefined} rules={[{ required: true }]}>
                    <SkuPicker testId={`manual-sku-${i}`} onChange={(sku) => form.setFieldValue(['lines', f.name, 'sku'], sku)} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'qty']} label={i === 0 ? t('orders:qty') : undefined} rules={[{ required: true }]}>
                    <InputNumber min={1} precision={0} style={{ width: 90 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'unit_price']} label={i === 0 ? t('orders:unitPrice') : undefined}>
                    <Input placeholder={t('orders:manual.listPrice')} style={{ width: 120 }} />
                  </Form.Item>
                  <Button type="text" icon={<MinusCircleOutlined />} disabled={fields.length === 1} onClick={() => remove(f.name)} style={{ marginTop: i === 0 ? 30 : 0 }} />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ qty: 1 })} style={{ marginBottom: 8 }}>
                {t('orders:manual.addLine')}
              </Button>
            </>
          )}
        </Form.List>
        <Availability skus={skus} />
        <Flex gap={12} style={{ marginTop: 12 }}>
          <Form.Item name="coupon" label={t('orders:manual.coupon')} extra={t('orders:manual.couponHint')}>
            <Input allowClear style={{ width: 200 }} data-testid="manual-coupon" />
          </Form.Item>
          <Form.Item name="group_size" label={t('orders:manual.groupSize')} extra={t('orders:manual.groupSizeHint')}>
            <InputNumber min={0} precision={0} style={{ width: 120 }} data-testid="manual-group-size" />
          </Form.Item>
        </Flex>
        <QuotePreview input={quote} />
        <Flex gap={12} style={{ marginTop: 12 }}>
          <Form.Item name="shipping_fee" label={t('orders:shipping')}>
            <Input style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="discount" label={t('orders:discount')}>
            <Input style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="payment_method" label={t('orders:manual.payment')}>
            <Select
              allowClear
              style={{ width: 160 }}
              options={['银行转账', '现金', '支付宝', '微信支付', '货到付款'].map((m) => ({ value: m, label: m }))}
            />
          </Form.Item>
          <Form.Item name="paid" valuePropName="checked" label=" ">
            <Checkbox>{t('orders:manual.paid')}</Checkbox>
          </Form.Item>
        </Flex>
        <Form.Item name="buyer_message" label={t('orders:buyerMessage')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
