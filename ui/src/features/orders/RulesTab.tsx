import { useState } from 'react';
import { App, Button, Card, Flex, Form, Input, InputNumber, Modal, Select, Switch, Table, Typography } from 'antd';
import type { ButtonProps, TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Condition } from '../../bindings/Condition';
import type { Outcome } from '../../bindings/Outcome';
import type { Rule } from '../../bindings/Rule';
import { useErrorReporter } from '../../api/errors';
import { useCan } from '../../app/session';
import { QueryError } from '../../components/QueryError';
import { CHANNELS, PROMOTION_KINDS, useReviewSettings, useRules, useSaveReviewSettings, useSaveRule } from './queries';

const CONDITIONS: Condition['kind'][] = [
  'always',
  'amount_at_least',
  'amount_below',
  'channel_in',
  'buyer_message',
  'invalid_address',
  'invalid_phone',
  'unmapped_sku',
  'out_of_stock',
  'price_below_floor',
  'repeated',
  'blacklisted',
  'customer_tag',
  'items_at_least',
  'payment_method',
  'used_promotion',
];
const OUTCOMES: Outcome['kind'][] = ['hold', 'priority', 'tag', 'warehouse', 'pass'];

/** A condition in words, with its parameters. */
export function conditionText(t: TFunction, c: Condition): string {
  const name = t(`orders:conditions.${c.kind}`);
  switch (c.kind) {
    case 'amount_at_least':
    case 'amount_below':
      return `${name} ${c.amount}`;
    case 'channel_in':
      return `${name}: ${c.channels.map((x) => t(`orders:channel.${x}`)).join(', ')}`;
    case 'price_below_floor':
      return `${name} (${c.percent_of_list}%)`;
    case 'repeated':
      return t('orders:conditions.repeatedText', { by: t(`orders:by.${c.by}`), hours: c.hours, orders: c.orders });
    case 'customer_tag':
      return `${name}: ${c.tag}`;
    case 'items_at_least':
      return `${name} ${c.qty}`;
    case 'payment_method':
      return `${name}: ${c.contains}`;
    case 'used_promotion':
      return `${name}: ${t(`orders:promotionKinds.${c.promotion_kind}`, { defaultValue: c.promotion_kind })}`;
    case 'all':
      return c.conditions.map((x) => conditionText(t, x)).join(' & ');
    default:
      return name;
  }
}

function outcomeText(t: TFunction, o: Outcome): string {
  const name = t(`orders:outcomes.${o.kind}`);
  switch (o.kind) {
    case 'hold':
      return `${name}: ${t(`orders:reasons.${o.reason}`, { defaultValue: o.reason })}`;
    case 'priority':
      return `${name} ${o.level}`;
    case 'tag':
      return `${name} ${o.tag}`;
    case 'warehouse':
      return `${name} ${o.code}`;
    default:
      return name;
  }
}

type RuleForm = {
  name: string;
  enabled: boolean;
  position?: number | null;
  ckind: Condition['kind'];
  amount?: string;
  channels?: string[];
  percent?: number;
  by?: string;
  hours?: number;
  orders?: number;
  tag?: string;
  qty?: number;
  contains?: string;
  promotionKind?: string;
  okind: Outcome['kind'];
  reason?: string;
  level?: number;
  otag?: string;
  code?: string;
};

function toForm(r: Rule | null): RuleForm {
  if (!r) return { name: '', enabled: true, ckind: 'amount_at_least', okind: 'hold' };
  const c = r.condition;
  const o = r.outcome;
  return {
    name: r.name,
    enabled: r.enabled,
    position: r.position,
    ckind: c.kind,
    amount: 'amount' in c ? c.amount : undefined,
    channels: 'channels' in c ? c.channels : undefined,
    percent: 'percent_of_list' in c ? c.percent_of_list : undefined,
    by: 'by' in c ? c.by : undefined,
    hours: 'hours' in c ? c.hours : undefined,
    orders: 'orders' in c ? c.orders : undefined,
    tag: c.kind === 'customer_tag' ? c.tag : undefined,
    qty: 'qty' in c ? Number(c.qty) : undefined,
    contains: 'contains' in c ? c.contains : undefined,
    promotionKind: c.kind === 'used_promotion' ? c.promotion_kind : undefined,
    okind: o.kind,
    reason: 'reason' in o ? o.reason : undefined,
    level: 'level' in o ? o.level : undefined,
    otag: o.kind === 'tag' ? o.tag : undefined,
    code: 'code' in o ? o.code : undefined,
  };
}

function fromForm(v: RuleForm): { condition: Condition; outcome: Outcome } {
  const condition = ((): Condition => {
    switch (v.ckind) {
      case 'amount_at_least':
      case 'amount_below':
        return { kind: v.ckind, amount: String(v.amount ?? '') };
      case 'channel_in':
        return { kind: 'channel_in', channels: v.channels ?? [] };
      case 'price_below_floor':
        return { kind: 'price_below_floor', percent_of_list: v.percent ?? 50 };
      case 'repeated':
        return { kind: 'repeated', by: v.by ?? 'phone', hours: v.hours ?? 24, orders: v.orders ?? 3 };
      case 'customer_tag':
        return { kind: 'customer_tag', tag: v.tag ?? '' };
      case 'items_at_least':
        return { kind: 'items_at_least', qty: v.qty ?? 1 };
      case 'payment_method':
        return { kind: 'payment_method', contains: v.contains ?? '' };
      case 'used_promotion':
        return { kind: 'used_promotion', promotion_kind: v.promotionKind ?? 'flash_sale' };
      case 'all':
        return { kind: 'always' };
      default:
        return { kind: v.ckind } as Condition;
    }
  })();
  const outcome = ((): Outcome => {
    switch (v.okind) {
      case 'hold':
        return { kind: 'hold', reason: v.reason ?? '' };
      case 'priority':
        return { kind: 'priority', level: v.level ?? 1 };
      case 'tag':
        return { kind: 'tag', tag: v.otag ?? '' };
      case 'warehouse':
        return { kind: 'warehouse', code: v.code ?? '' };
      default:
        return { kind: 'pass' };
    }
  })();
  return { condition, outcome };
}

function RuleModal({ rule, onClose }: { rule: Rule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const report = useErrorReporter();
  const save = useSaveRule();
  const [form] = Form.useForm<RuleForm>();
  const ckind = Form.useWatch('ckind', form);
  const okind = Form.useWatch('okind', form);
  const submit = async () => {
    const v = await form.validateFields();
    const { condition, outcome } = fromForm(v);
    try {
      await save.mutateAsync({ id: rule?.id ?? null, rule: { name: v.name, enabled: v.enabled, position: v.position ?? null, condition, outcome } });
      onClose();
    } catch (e) {
      report(e, form);
    }
  };
  return (
    <Modal open title={rule ? rule.name : t('orders:rules.new')} onCancel={onClose} onOk={() => void submit()} okButtonProps={{ loading: save.isPending, 'data-testid': 'rule-save' } as ButtonProps} width={640}>
      <Form form={form} layout="vertical" initialValues={toForm(rule)}>
        <Form.Item name="name" label={t('orders:rules.name')} rules={[{ required: true, max: 128 }]}>
          <Input data-testid="rule-name" />
        </Form.Item>
        <Form.Item name="ckind" label={t('orders:rules.condition')}>
          <Select options={CONDITIONS.map((c) => ({ value: c, label: t(`orders:conditions.${c}`) }))} />
        </Form.Item>
        {(ckind === 'amount_at_least' || ckind === 'amount_below') && (
          <Form.Item name="amount" label={t('orders:rules.amount')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        )}
        {ckind === 'channel_in' && (
          <Form.Item name="channels" label={t('orders:channelCol')} rules={[{ required: true }]}>
            <Select mode="multiple" options={CHANNELS.map((c) => ({ value: c, label: t(`orders:channel.${c}`) }))} />
          </Form.Item>
        )}
        {ckind === 'price_below_floor' && (
          <Form.Item name="percent" label={t('orders:rules.percent')} initialValue={50}>
            <InputNumber min={0} max={100} />
          </Form.Item>
        )}
        {ckind === 'repeated' && (
          <>
            <Form.Item name="by" label={t('orders:rules.by')} initialValue="phone">
              <Select options={['phone', 'address', 'buyer'].map((b) => ({ value: b, label: t(`orders:by.${b}`) }))} />
            </Form.Item>
            <Form.Item name="hours" label={t('orders:rules.hours')} initialValue={24}>
              <InputNumber min={1} />
            </Form.Item>
            <Form.Item name="orders" label={t('orders:rules.orders')} initialValue={3}>
              <InputNumber min={2} />
            </Form.Item>
          </>
        )}
        {ckind === 'customer_tag' && (
          <Form.Item name="tag" label={t('orders:rules.tag')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        )}
        {ckind === 'items_at_least' && (
          <Form.Item name="qty" label={t('orders:qty')} rules={[{ required: true }]}>
            <InputNumber min={1} />
          </Form.Item>
        )}
        {ckind === 'payment_method' && (
          <Form.Item name="contains" label={t('orders:rules.contains')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        )}
        {ckind === 'used_promotion' && (
          <Form.Item name="promotionKind" label={t('orders:rules.promotionKind')} initialValue="flash_sale" rules={[{ required: true }]}>
            <Select options={PROMOTION_KINDS.map((k) => ({ value: k, label: t(`orders:promotionKinds.${k}`) }))} />
          </Form.Item>
        )}
        <Form.Item name="okind" label={t('orders:rules.outcome')}>
          <Select options={OUTCOMES.map((o) => ({ value: o, label: t(`orders:outcomes.${o}`) }))} />
        </Form.Item>
        {okind === 'hold' && (
          <Form.Item name="reason" label={t('orders:rules.reason')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        )}
        {okind === 'priority' && (
          <Form.Item name="level" label={t('orders:rules.level')} rules={[{ required: true }]}>
            <InputNumber />
          </Form.Item>
        )}
        {okind === 'tag' && (
          <Form.Item name="otag" label={t('orders:rules.tag')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        )}
        {okind === 'warehouse' && (
          <Form.Item name="code" label={t('orders:rules.warehouse')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        )}
        <Form.Item name="position" label={t('orders:rules.position')}>
          <InputNumber />
        </Form.Item>
        <Form.Item name="enabled" label={t('orders:rules.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The review rules (审单规则) in the order they run: read, switch on or off, edit, add. */
export function RulesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const can = useCan();
  const rules = useRules();
  const save = useSaveRule();
  const settings = useReviewSettings();
  const saveSettings = useSaveReviewSettings();
  const [editing, setEditing] = useState<Rule | null | 'new'>(null);
  const columns: TableColumnsType<Rule> = [
    { key: 'position', dataIndex: 'position', title: '#', width: 60 },
    { key: 'name', dataIndex: 'name', title: t('orders:rules.name'), width: 160 },
    { key: 'condition', title: t('orders:rules.condition'), render: (_: unknown, r) => conditionText(t, r.condition) },
    { key: 'outcome', title: t('orders:rules.outcome'), width: 220, render: (_: unknown, r) => outcomeText(t, r.outcome) },
    {
      key: 'enabled',
      title: t('orders:rules.enabled'),
      width: 80,
      render: (_: unknown, r) => (
        <Switch
          size="small"
          checked={r.enabled}
          disabled={!can('edit_orders')}
          onChange={(on) =>
            void save
              .mutateAsync({ id: r.id, rule: { name: r.name, enabled: on, position: null, condition: r.condition, outcome: r.outcome } })
              .then(() => message.success(t(on ? 'orders:rules.on' : 'orders:rules.off', { name: r.name })))
              .catch(report)
          }
        />
      ),
    },
    ...(can('edit_orders') ? [{ key: 'edit', width: 60, render: (_: unknown, r: Rule) => <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)} /> }] : []),
  ];
  return (
    <Card
      className="list-card"
      extra={
        can('edit_orders') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="rule-new">
            {t('orders:rules.new')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('orders:rules.hint')}</Typography.Paragraph>
      <Flex gap={8} align="center" style={{ marginBottom: 12 }}>
        <Switch
          data-testid="review-on-import"
          checked={settings.data?.review_on_import ?? false}
          loading={settings.isFetching || saveSettings.isPending}
          disabled={!can('edit_orders') || !settings.data}
          onChange={(on) =>
            void saveSettings
              .mutateAsync({ review_on_import: on, allocate_on_import: settings.data?.allocate_on_import ?? false })
              .then(() => message.success(t(on ? 'orders:rules.onImportOn' : 'orders:rules.onImportOff')))
              .catch(report)
          }
        />
        <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>{t('orders:rules.onImport')}</Typography.Text>
        <Typography.Text type="secondary">{t('orders:rules.onImportHint')}</Typography.Text>
      </Flex>
      <Flex gap={8} align="center" style={{ marginBottom: 12 }}>
        <Switch
          data-testid="allocate-on-import"
          checked={settings.data?.allocate_on_import ?? false}
          loading={settings.isFetching || saveSettings.isPending}
          disabled={!can('edit_orders') || !can('reserve_stock') || !settings.data?.review_on_import}
          onChange={(on) =>
            void saveSettings
              .mutateAsync({ review_on_import: settings.data?.review_on_import ?? false, allocate_on_import: on })
              .then(() => message.success(t(on ? 'orders:rules.allocateOnImportOn' : 'orders:rules.allocateOnImportOff')))
              .catch(report)
          }
        />
        <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>{t('orders:rules.allocateOnImport')}</Typography.Text>
        <Typography.Text type="secondary">{t('orders:rules.allocateOnImportHint')}</Typography.Text>
      </Flex>
      <QueryError error={rules.error} onRetry={() => void rules.refetch()} />
      <div data-testid="rules-table">
        <Table<Rule> rowKey="id" size="middle" columns={columns} dataSource={rules.data} loading={rules.isFetching} pagination={false} />
      </div>
      {editing && <RuleModal rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}
