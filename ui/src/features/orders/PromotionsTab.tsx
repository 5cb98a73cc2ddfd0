import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Flex, Form, Input, InputNumber, Select, Switch, Table, Tag, Typography } from 'antd';
import type { FormRule, TableColumnsType } from 'antd';
import { EditOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Promotion } from '../../bindings/Promotion';
import type { PromotionInput } from '../../bindings/PromotionInput';
import type { PromotionParams } from '../../bindings/PromotionParams';
import type { Tier } from '../../bindings/Tier';
import { toApiError } from '../../api/apiError';
import { useErrorReporter } from '../../api/errors';
import { useCan } from '../../app/session';
import { FormModal } from '../../components/FormModal';
import { QueryError } from '../../components/QueryError';
import { formatDateTime } from '../../lib/format';
import { useRules as useFieldRules } from '../../lib/rules';
import { checkUnitPrice } from '../../lib/validation';
import { CHANNELS, PROMOTION_KINDS, usePromotions, useSavePromotion } from './queries';
import type { PromotionKind } from './queries';

export const PROMOTION_COLOR: Record<string, string> = {
  percent: 'blue',
  flash_sale: 'red',
  group_buy: 'purple',
  spend_save: 'orange',
  coupon: 'green',
};

/** Channels a promotion may be limited to: the platforms, and phone orders typed in here. */
const PROMOTION_CHANNELS = [...CHANNELS, 'manual'] as const;

/** Letters, digits, - and _, at most 32: as the core checks the code. */
const CODE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

const EMPTY_PARAMS: PromotionParams = { percent_off: '', price: '', tiers: [], off: '', min_spend: '', min_group: 0 };

type Values = {
  code: string;
  name: string;
  kind: PromotionKind;
  period: [Dayjs, Dayjs] | null;
  skus: string[];
  channels: string[];
  cap: number | null;
  per_buyer: number | null;
  enabled: boolean;
  params: PromotionParams;
};

/** The kind of a promotion in words (折扣, 秒杀, ...). */
export function kindText(t: TFunction, kind: string): string {
  return t(`orders:promotionKinds.${kind}`, { defaultValue: kind });
}

/** What a promotion gives, in words: 减 10%, 秒杀价 9.90, 满 200 减 20, ... */
export function ruleText(t: TFunction, p: Promotion): string {
  const q = p.params;
  switch (p.kind) {
    case 'percent':
      return t('orders:promotions.rules.percent', { percent: q.percent_off });
    case 'flash_sale':
      return t('orders:promotions.rules.flash', { price: q.price });
    case 'group_buy':
      return t('orders:promotions.rules.group', { price: q.price, min: q.min_group });
    case 'spend_save':
      return q.tiers.map((x) => t('orders:promotions.rules.tier', { threshold: x.threshold, off: x.off })).join(t('orders:promotions.rules.sep'));
    case 'coupon': {
      const off = q.off.trim() ? t('orders:promotions.rules.off', { off: q.off }) : t('orders:promotions.rules.percent', { percent: q.percent_off });
      return q.min_spend.trim() ? t('orders:promotions.rules.minSpend', { min: q.min_spend, off }) : off;
    }
    default:
      return '';
  }
}

/** Where a promotion stands now: switched off, not started, running or over. */
function phase(p: Promotion, now: Dayjs): 'disabled' | 'upcoming' | 'active' | 'ended' {
  if (!p.enabled) return 'disabled';
  if (now.isBefore(dayjs(p.starts_at))) return 'upcoming';
  if (!now.isBefore(dayjs(p.ends_at))) return 'ended';
  return 'active';
}

const PHASE_COLOR = { disabled: 'default', upcoming: 'gold', active: 'green', ended: 'default' } as const;

/** A promotion as the core takes it back: the same one with one thing changed (switching it on or off). */
function toInput(p: Promotion): PromotionInput {
  return {
    code: p.code,
    name: p.name,
    kind: p.kind,
    params: p.params,
    channels: p.channels,
    skus: p.skus,
    starts_at: p.starts_at,
    ends_at: p.ends_at,
    cap: p.cap,
    per_buyer: p.per_buyer,
    enabled: p.enabled,
  };
}

function toForm(p: Promotion | null): Values {
  if (!p) {
    const start = dayjs().startOf('hour');
    return {
      code: '',
      name: '',
      kind: 'percent',
      period: [start, start.add(7, 'day')],
      skus: [],
      channels: [],
      cap: null,
      per_buyer: null,
      enabled: true,
      params: { ...EMPTY_PARAMS, min_group: 2, tiers: [{ threshold: '', off: '' }] },
    };
  }
  return {
    code: p.code,
    name: p.name,
    kind: (PROMOTION_KINDS as readonly string[]).includes(p.kind) ? (p.kind as PromotionKind) : 'percent',
    period: [dayjs(p.starts_at), dayjs(p.ends_at)],
    skus: p.skus,
    channels: p.channels,
    cap: p.cap,
    per_buyer: p.per_buyer,
    enabled: p.enabled,
    params: {
      ...EMPTY_PARAMS,
      ...p.params,
      min_group: p.params.min_group || 2,
      tiers: p.params.tiers.length > 0 ? p.params.tiers : [{ threshold: '', off: '' }],
    },
  };
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : v == null ? '' : String(v));
/** An amount or percentage as the core parses it: no thousands separators or spaces. */
const decimalText = (v: unknown) => text(v).replace(/[,，\s]/g, '');

/** Only what the kind uses is sent: a value left behind by another kind never reaches the core. */
function fromForm(v: Values): PromotionInput {
  const p = v.params;
  const params: PromotionParams = { ...EMPTY_PARAMS };
  switch (v.kind) {
    case 'percent':
      params.percent_off = decimalText(p.percent_off);
      break;
    case 'flash_sale':
      params.price = decimalText(p.price);
      break;
    case 'group_buy':
      params.price = decimalText(p.price);
      params.min_group = p.min_group ?? 0;
      break;
    case 'spend_save':
      params.tiers = (p.tiers ?? []).map((x: Tier) => ({ threshold: decimalText(x?.threshold), off: decimalText(x?.off) }));
      break;
    case 'coupon':
      params.off = decimalText(p.off);
      params.percent_off = decimalText(p.percent_off);
      params.min_spend = decimalText(p.min_spend);
      break;
  }
  const [start, end] = v.period ?? [dayjs(), dayjs()];
  return {
    code: v.code.trim(),
    name: v.name.trim(),
    kind: v.kind,
    params,
    channels: v.channels ?? [],
    skus: (v.skus ?? []).map((s) => s.trim()).filter(Boolean),
    starts_at: start.toISOString(),
    ends_at: end.toISOString(),
    cap: v.kind === 'flash_sale' || v.kind === 'coupon' ? (v.cap ?? null) : null,
    per_buyer: v.kind === 'coupon' ? (v.per_buyer ?? null) : null,
    enabled: v.enabled,
  };
}

/** The core names the ends of the validity; the form has them in one range picker. */
function onPeriod(err: unknown) {
  const e = toApiError(err);
  return { ...e, details: e.details.map((d) => (d.field === 'starts_at' || d.field === 'ends_at' ? { ...d, field: 'period' } : d)) };
}

function PromotionModal({ promotion, onClose }: { promotion: Promotion | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const report = useErrorReporter();
  const save = useSavePromotion();
  const rules = useFieldRules();
  // Taken once: a new promotion runs from this hour for a week unless changed.
  const [initial] = useState(() => toForm(promotion));
  const kind = Form.useWatch('kind', form) ?? initial.kind;
  const fail = (code: string) => Promise.reject(new Error(t(`errors:field.${code}`)));
  /** Decimal text the core accepts: not negative, at most 4 decimals; `need` makes it required. */
  const amount = (need: boolean): FormRule[] => [
    ...(need ? [rules.required()] : []),
    {
      validator: (_r, v: unknown) => {
        const c = checkUnitPrice(text(v));
        return c ? Promise.reject(new Error(t(`errors:field.${c.code}`, c.params ?? {}))) : Promise.resolve();
      },
    },
  ];
  /** A percentage strictly between 0 and 100, compared as decimal text. */
  const percent: FormRule = {
    validator: (_r, v: unknown) => {
      const s = decimalText(v);
      if (s === '') return Promise.resolve();
      if (checkUnitPrice(s)) return fail('number');
      return compareDecimal(s, '0') > 0 && compareDecimal(s, '100') < 0
        ? Promise.resolve()
        : Promise.reject(new Error(t('errors:field.range', { context: 'percent_off' })));
    },
  };
  const submit = (v: Values) => {
    const input = fromForm(v);
    save.mutate(input, {
      onSuccess: (p) => {
        void message.success(t('orders:promotions.saved', { name: p.name }));
        onClose();
      },
      onError: (e) => report(onPeriod(e), form),
    });
  };
  const capLabel = kind === 'flash_sale' ? t('orders:promotions.capFlash') : t('orders:promotions.capCoupon');
  return (
    <FormModal<Values>
      title={promotion ? t('orders:promotions.edit', { code: promotion.code }) : t('orders:promotions.new')}
      form={form}
      initialValues={initial}
      onSubmit={submit}
      onClose={onClose}
      submitting={save.isPending}
      submitTestId="promotion-save"
      width={760}
    >
      <Flex gap={12}>
        <Form.Item
          name="code"
          label={t('orders:promotions.code')}
          extra={t('orders:promotions.codeHint')}
          style={{ width: 240 }}
          rules={[
            rules.required(),
            { validator: (_r, v: unknown) => (text(v) === '' || CODE_PATTERN.test(text(v)) ? Promise.resolve() : Promise.reject(new Error(t('errors:field.format', { context: 'code' })))) },
          ]}
        >
          {/* The code names the promotion: saving under it again updates that one, so an existing code stays. */}
          <Input disabled={promotion !== null} data-testid="promotion-form-code" />
        </Form.Item>
        <Form.Item name="name" label={t('orders:promotions.name')} style={{ flex: 1 }} rules={[rules.required(), rules.maxLength(128)]}>
          <Input data-testid="promotion-form-name" />
        </Form.Item>
      </Flex>
      <Flex gap={12}>
        <Form.Item name="kind" label={t('orders:promotions.kind')} style={{ width: 240 }}>
          <Select options={PROMOTION_KINDS.map((k) => ({ value: k, label: kindText(t, k) }))} data-testid="promotion-form-kind" />
        </Form.Item>
        <Form.Item
          name="period"
          label={t('orders:promotions.period')}
          style={{ flex: 1 }}
          rules={[
            { required: true, message: t('errors:field.required') },
            {
              validator: (_r, v: Values['period']) =>
                v && v[0] && v[1] && !v[1].isAfter(v[0]) ? fail('after_start') : Promise.resolve(),
            },
          ]}
        >
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" allowClear={false} style={{ width: '100%' }} data-testid="promotion-form-period" />
        </Form.Item>
      </Flex>

      {kind === 'percent' && (
        <Form.Item name={['params', 'percent_off']} label={t('orders:promotions.percentOff')} extra={t('orders:promotions.percentHint')} rules={[rules.required(), percent]}>
          <Input suffix="%" style={{ width: 160 }} data-testid="promotion-form-percent-off" />
        </Form.Item>
      )}
      {(kind === 'flash_sale' || kind === 'group_buy') && (
        <Flex gap={12}>
          <Form.Item name={['params', 'price']} label={t('orders:promotions.price')} rules={amount(true)}>
            <Input style={{ width: 160 }} data-testid="promotion-form-price" />
          </Form.Item>
          {kind === 'group_buy' && (
            <Form.Item name={['params', 'min_group']} label={t('orders:promotions.minGroup')} rules={[{ required: true, message: t('errors:field.required') }]}>
              <InputNumber min={2} precision={0} style={{ width: 120 }} data-testid="promotion-form-min-group" />
            </Form.Item>
          )}
        </Flex>
      )}
      {kind === 'spend_save' && (
        <Form.List
          name={['params', 'tiers']}
          rules={[{ validator: (_r, v: Tier[] | undefined) => (v && v.length > 0 ? Promise.resolve() : fail('required_tiers')) }]}
        >
          {(fields, { add, remove }, { errors }) => (
            <div data-testid="promotion-form-tiers">
              <Typography.Text>{t('orders:promotions.tiers')}</Typography.Text>
              {fields.map((f, i) => (
                <Flex key={f.key} gap={8} align="start" style={{ marginTop: 8 }}>
                  <Form.Item name={[f.name, 'threshold']} rules={amount(true)} style={{ marginBottom: 8 }}>
                    <Input prefix={t('orders:promotions.threshold')} style={{ width: 200 }} data-testid={`promotion-form-tier-threshold-${i}`} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'off']}
                    dependencies={[['params', 'tiers', f.name, 'threshold']]}
                    rules={[
                      ...amount(true),
                      ({ getFieldValue }) => ({
                        validator: (_r, v: unknown) => {
                          const th = decimalText(getFieldValue(['params', 'tiers', f.name, 'threshold']));
                          const off = decimalText(v);
                          if (!th || !off || checkUnitPrice(th) || checkUnitPrice(off)) return Promise.resolve();
                          return compareDecimal(off, th) >= 0 ? Promise.reject(new Error(t('errors:field.range', { context: 'off' }))) : Promise.resolve();
                        },
                      }),
                    ]}
                    style={{ marginBottom: 8 }}
                  >
                    <Input prefix={t('orders:promotions.tierOff')} style={{ width: 200 }} data-testid={`promotion-form-tier-off-${i}`} />
                  </Form.Item>
                  <Button type="text" icon={<MinusCircleOutlined />} disabled={fields.length === 1} onClick={() => remove(f.name)} aria-label={t('orders:promotions.removeTier')} data-testid={`promotion-form-tier-remove-${i}`} />
                </Flex>
              ))}
              <Form.ErrorList errors={errors} />
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ threshold: '', off: '' })} style={{ margin: '8px 0 16px' }} data-testid="promotion-form-tier-add">
                {t('orders:promotions.addTier')}
              </Button>
            </div>
          )}
        </Form.List>
      )}
      {kind === 'coupon' && (
        <Flex gap={12}>
          <Form.Item
            name={['params', 'off']}
            label={t('orders:promotions.off')}
            dependencies={[['params', 'percent_off']]}
            extra={t('orders:promotions.couponHint')}
            rules={[
              ...amount(false),
              ({ getFieldValue }) => ({
                validator: (_r, v: unknown) => ((text(v) === '') === (text(getFieldValue(['params', 'percent_off'])) === '') ? Promise.reject(new Error(t('errors:field.one_of', { context: 'off' }))) : Promise.resolve()),
              }),
            ]}
          >
            <Input style={{ width: 160 }} data-testid="promotion-form-off" />
          </Form.Item>
          <Form.Item name={['params', 'percent_off']} label={t('orders:promotions.percentOff')} rules={[percent]}>
            <Input suffix="%" style={{ width: 160 }} data-testid="promotion-form-percent-off" />
          </Form.Item>
          <Form.Item name={['params', 'min_spend']} label={t('orders:promotions.minSpend')} rules={amount(false)}>
            <Input style={{ width: 160 }} data-testid="promotion-form-min-spend" />
          </Form.Item>
        </Flex>
      )}
      {(kind === 'flash_sale' || kind === 'coupon') && (
        <Flex gap={12}>
          <Form.Item name="cap" label={capLabel} rules={kind === 'flash_sale' ? [{ required: true, message: t('errors:field.required') }] : []}>
            <InputNumber min={1} precision={0} style={{ width: 160 }} placeholder={kind === 'coupon' ? t('orders:promotions.unlimited') : undefined} data-testid="promotion-form-cap" />
          </Form.Item>
          {kind === 'coupon' && (
            <Form.Item name="per_buyer" label={t('orders:promotions.perBuyer')}>
              <InputNumber min={1} precision={0} style={{ width: 160 }} placeholder={t('orders:promotions.unlimited')} data-testid="promotion-form-per-buyer" />
            </Form.Item>
          )}
        </Flex>
      )}

      <Form.Item
        name="skus"
        label={t('orders:promotions.skus')}
        extra={t('orders:promotions.skusHint')}
        rules={kind === 'flash_sale' || kind === 'group_buy' ? [{ required: true, type: 'array', min: 1, message: t('errors:field.required') }] : []}
      >
        <Select mode="tags" tokenSeparators={[',', '，', ' ', '、']} notFoundContent={null} placeholder={t('orders:promotions.allSkus')} data-testid="promotion-form-skus" />
      </Form.Item>
      <Flex gap={12}>
        <Form.Item name="channels" label={t('orders:promotions.channels')} extra={t('orders:promotions.channelsHint')} style={{ flex: 1 }}>
          <Select
            mode="multiple"
            allowClear
            placeholder={t('orders:promotions.allChannels')}
            options={PROMOTION_CHANNELS.map((c) => ({ value: c, label: t(`orders:channel.${c}`) }))}
            data-testid="promotion-form-channels"
          />
        </Form.Item>
        <Form.Item name="enabled" label={t('orders:promotions.enabled')} valuePropName="checked">
          <Switch data-testid="promotion-form-enabled" />
        </Form.Item>
      </Flex>
    </FormModal>
  );
}

/** Compares two non-negative decimal texts exactly (digit by digit, no floats): −1, 0 or 1. */
export function compareDecimal(a: string, b: string): number {
  const split = (s: string) => {
    const [w, f = ''] = s.trim().replace(/^\+/, '').split('.');
    return [w.replace(/^0+/, ''), f.replace(/0+$/, '')] as const;
  };
  const [aw, af] = split(a);
  const [bw, bf] = split(b);
  if (aw.length !== bw.length) return aw.length < bw.length ? -1 : 1;
  if (aw !== bw) return aw < bw ? -1 : 1;
  const n = Math.max(af.length, bf.length);
  const ap = af.padEnd(n, '0');
  const bp = bf.padEnd(n, '0');
  return ap === bp ? 0 : ap < bp ? -1 : 1;
}

/** The validity of a promotion: from – to, and where it stands now. */
function Validity({ p }: { p: Promotion }) {
  const { t } = useTranslation();
  const ph = phase(p, dayjs());
  return (
    <>
      <Tag color={PHASE_COLOR[ph]}>{t(`orders:promotions.phase.${ph}`)}</Tag>
      <span className="cell-sub">
        {formatDateTime(p.starts_at)} – {formatDateTime(p.ends_at)}
      </span>
    </>
  );
}

/** Promotions (促销): percentage off, flash sales, group buys, spend-and-save and coupons, priced into phone orders. */
export function PromotionsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const can = useCan();
  const list = usePromotions();
  const save = useSavePromotion();
  const [editing, setEditing] = useState<Promotion | 'new' | null>(null);
  const mayEdit = can('edit_orders');
  const columns: TableColumnsType<Promotion> = [
    { key: 'code', dataIndex: 'code', title: t('orders:promotions.code'), width: 130 },
    { key: 'name', dataIndex: 'name', title: t('orders:promotions.name'), width: 180, ellipsis: true },
    {
      key: 'kind',
      title: t('orders:promotions.kind'),
      width: 90,
      render: (_: unknown, p) => <Tag color={PROMOTION_COLOR[p.kind] ?? 'default'}>{kindText(t, p.kind)}</Tag>,
    },
    {
      key: 'rule',
      title: t('orders:promotions.rule'),
      render: (_: unknown, p) => (
        <>
          {ruleText(t, p)}
          <Typography.Text type="secondary" className="cell-sub">
            {p.skus.length > 0 ? p.skus.join(', ') : t('orders:promotions.allSkus')} ·{' '}
            {p.channels.length > 0 ? p.channels.map((c) => t(`orders:channel.${c}`, { defaultValue: c })).join(', ') : t('orders:promotions.allChannels')}
          </Typography.Text>
        </>
      ),
    },
    { key: 'period', title: t('orders:promotions.period'), width: 280, render: (_: unknown, p) => <Validity p={p} /> },
    {
      key: 'used',
      title: t('orders:promotions.used'),
      align: 'right',
      width: 110,
      render: (_: unknown, p) => `${p.used} / ${p.cap ?? t('orders:promotions.unlimited')}`,
    },
    {
      key: 'enabled',
      title: t('orders:promotions.enabled'),
      width: 70,
      render: (_: unknown, p) => (
        <Switch
          size="small"
          checked={p.enabled}
          disabled={!mayEdit}
          loading={save.isPending && save.variables?.code === p.code}
          onChange={(on) =>
            void save
              .mutateAsync({ ...toInput(p), enabled: on })
              .then(() => message.success(t(on ? 'orders:promotions.on' : 'orders:promotions.off', { name: p.name })))
              .catch((e: unknown) => report(e))
          }
          data-testid={`promotion-enabled-${p.code}`}
        />
      ),
    },
    ...(mayEdit
      ? [
          {
            key: 'edit',
            width: 60,
            render: (_: unknown, p: Promotion) => (
              <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(p)} aria-label={t('orders:promotions.edit', { code: p.code })} data-testid={`promotion-edit-${p.code}`} />
            ),
          },
        ]
      : []),
  ];
  return (
    <Card
      className="list-card"
      extra={
        mayEdit && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="promotion-new">
            {t('orders:promotions.new')}
          </Button>
        )
      }
    >
      <Alert
        type="info"
        showIcon
        className="form-alert"
        message={t('orders:promotions.stackingTitle')}
        description={t('orders:promotions.stacking')}
        data-testid="promotions-help"
      />
      <QueryError error={list.error} onRetry={() => void list.refetch()} />
      <div data-testid="promotions-table">
        <Table<Promotion>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data}
          loading={list.isFetching}
          pagination={false}
          locale={{ emptyText: t('orders:promotions.none') }}
        />
      </div>
      {editing && <PromotionModal promotion={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}
