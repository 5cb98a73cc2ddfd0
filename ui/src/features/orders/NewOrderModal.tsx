import { useState } from 'react';
import { App, Button, Checkbox, Flex, Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ManualOrderInput } from '../../bindings/ManualOrderInput';
import { call } from '../../api/invoke';
import { useErrorReporter } from '../../api/errors';
import { EMPTY_LIST_QUERY } from '../../lib/useListQuery';
import { SkuPicker } from './UnmappedTab';
import { useCreateManual } from './queries';

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

/** A phone order typed in by hand (电话订单). */
export function NewOrderModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const create = useCreateManual();
  const [form] = Form.useForm<OrderForm>();
  const lines = Form.useWatch('lines', form) ?? [];
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
      <Form form={form} layout="vertical" initialValues={{ lines: [{ qty: 1 }], paid: true }}>
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
