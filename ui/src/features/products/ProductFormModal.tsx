import { App, AutoComplete, Col, Form, Input, InputNumber, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Product } from '../../bindings/Product';
import type { ProductInput } from '../../bindings/ProductInput';
import { useErrorReporter } from '../../api/errors';
import { useSession } from '../../app/session';
import { FormModal } from '../../components/FormModal';
import { CURRENCIES } from '../../lib/currencies';
import { useRules } from '../../lib/rules';
import { useProductFacets, useSaveProduct } from './queries';

type Values = {
  sku: string;
  barcode: string;
  name: string;
  spec: string;
  unit: string;
  category: string;
  brand: string;
  cost: string;
  price: string;
  currency: string | null;
  safety_stock: number | null;
};

function toValues(p: Product | null): Values {
  return {
    sku: p?.sku ?? '',
    barcode: p?.barcode ?? '',
    name: p?.name ?? '',
    spec: p?.spec ?? '',
    unit: p?.unit ?? '',
    category: p?.category ?? '',
    brand: p?.brand ?? '',
    cost: p?.cost ?? '',
    price: p?.price ?? '',
    currency: p?.currency ?? null,
    safety_stock: p?.safety_stock ?? 0,
  };
}

function toInput(v: Values): ProductInput {
  const barcode = (v.barcode ?? '').trim();
  return {
    sku: v.sku.trim(),
    barcode: barcode === '' ? null : barcode,
    name: v.name.trim(),
    spec: (v.spec ?? '').trim(),
    unit: v.unit.trim(),
    category: (v.category ?? '').trim(),
    brand: (v.brand ?? '').trim(),
    cost: (v.cost ?? '').trim(),
    price: (v.price ?? '').trim(),
    currency: v.currency ?? null,
    safety_stock: v.safety_stock ?? 0,
  };
}

const suggestions = (values: string[] | undefined) => (values ?? []).map((v) => ({ value: v }));

/** Create or edit one product; `product` null means a new one. */
export function ProductFormModal({ product, onClose }: { product: Product | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const rules = useRules();
  const report = useErrorReporter();
  const { status } = useSession();
  const facets = useProductFacets();
  const save = useSaveProduct();
  const companyCurrency = status.company?.currency ?? 'CNY';

  const submit = (v: Values) =>
    save.mutate(
      { id: product?.id ?? null, data: toInput(v) },
      {
        onSuccess: (p) => {
          void message.success(product ? t('products:saved', { sku: p.sku }) : t('products:created', { sku: p.sku }));
          onClose();
        },
        onError: (e) => report(e, form),
      },
    );

  return (
    <FormModal<Values>
      title={product ? t('products:edit', { sku: product.sku }) : t('products:new')}
      form={form}
      initialValues={toValues(product)}
      onSubmit={submit}
      onClose={onClose}
      submitting={save.isPending}
      submitTestId="product-form-submit"
    >
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="sku" label={t('products:fields.sku')} rules={[rules.required(), rules.maxLength(64), rules.noSpaces()]}>
            <Input autoFocus data-testid="product-form-sku" placeholder={t('products:placeholders.sku')} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="barcode" label={t('products:fields.barcode')} rules={[rules.barcode()]} extra={t('products:hints.barcode')}>
            <Input inputMode="numeric" data-testid="product-form-barcode" placeholder={t('products:placeholders.barcode')} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="name" label={t('products:fields.name')} rules={[rules.required(), rules.maxLength(200)]}>
            <Input data-testid="product-form-name" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="spec" label={t('products:fields.spec')} rules={[rules.maxLength(200)]}>
            <Input data-testid="product-form-spec" placeholder={t('products:placeholders.spec')} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="unit" label={t('products:fields.unit')} rules={[rules.required(), rules.maxLength(16)]}>
            <Input data-testid="product-form-unit" placeholder={t('products:placeholders.unit')} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="category" label={t('products:fields.category')} rules={[rules.maxLength(64)]}>
            <AutoComplete
              options={suggestions(facets.data?.categories)}
              filterOption={(input, o) => String(o?.value ?? '').toLowerCase().includes(input.toLowerCase())}
            >
              <Input data-testid="product-form-category" />
            </AutoComplete>
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="brand" label={t('products:fields.brand')} rules={[rules.maxLength(64)]}>
            <AutoComplete
              options={suggestions(facets.data?.brands)}
              filterOption={(input, o) => String(o?.value ?? '').toLowerCase().includes(input.toLowerCase())}
            >
              <Input data-testid="product-form-brand" />
            </AutoComplete>
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="price" label={t('products:fields.price')} rules={[rules.unitPrice()]}>
            <Input inputMode="decimal" className="money-input" data-testid="product-form-price" placeholder="0.00" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="cost" label={t('products:fields.cost')} rules={[rules.unitPrice()]}>
            <Input inputMode="decimal" className="money-input" data-testid="product-form-cost" placeholder="0.00" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="currency" label={t('products:fields.currency')}>
            <Select
              allowClear
              showSearch
              placeholder={t('products:currencyDefault', { currency: companyCurrency })}
              options={CURRENCIES.map((c) => ({ value: c, label: `${c} · ${t(`settings:currencies.${c}`)}` }))}
              data-testid="product-form-currency"
            />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item
            name="safety_stock"
            label={t('products:fields.safety_stock')}
            rules={[rules.nonNegative()]}
            extra={t('products:hints.safetyStock')}
          >
            <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid="product-form-safety-stock" />
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  );
}
