import { Alert, Button, Card, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Difference } from '../../bindings/Difference';
import type { PayablesDifference } from '../../bindings/PayablesDifference';
import { call } from '../../api/invoke';
import { useErrorReporter } from '../../api/errors';
import { useCan } from '../../app/session';

/** Integrity checks (数据校验): recompute stock balances and values, and supplier balances, from their ledgers. */
export function IntegrityCard() {
  const { t } = useTranslation();
  const report = useErrorReporter();
  const can = useCan();
  const stock = useMutation({ mutationFn: () => call('stock_ledger_check', null), onError: report });
  const payables = useMutation({ mutationFn: () => call('payables_check', null), onError: report });

  const stockColumns: TableColumnsType<Difference> = [
    { key: 'kind', title: t('settings:integrity.kind'), width: 100, render: (_: unknown, d) => t(`settings:integrity.kinds.${d.kind}`, { defaultValue: d.kind }) },
    { key: 'where', title: t('settings:integrity.where'), render: (_: unknown, d) => [d.sku, d.warehouse, d.location].filter(Boolean).join(' / ') },
    { key: 'field', dataIndex: 'field', title: t('settings:integrity.field'), width: 140 },
    { key: 'stored', dataIndex: 'stored', title: t('settings:integrity.stored'), align: 'right', width: 110 },
    { key: 'ledger', dataIndex: 'from_ledger', title: t('settings:integrity.fromLedger'), align: 'right', width: 110 },
  ];
  const payColumns: TableColumnsType<PayablesDifference> = [
    { key: 'kind', dataIndex: 'kind', title: t('settings:integrity.kind'), width: 100 },
    { key: 'key', dataIndex: 'key', title: t('settings:integrity.where') },
    { key: 'expected', dataIndex: 'expected', title: t('settings:integrity.fromLedger'), align: 'right', width: 110 },
    { key: 'actual', dataIndex: 'actual', title: t('settings:integrity.stored'), align: 'right', width: 110 },
  ];
  const s = stock.data;
  const p = payables.data;
  return (
    <Card title={t('settings:integrity.title')} className="settings-card">
      <Typography.Paragraph type="secondary">{t('settings:integrity.hint')}</Typography.Paragraph>
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <Space wrap>
          <Button icon={<SafetyCertificateOutlined />} loading={stock.isPending} onClick={() => stock.mutate()} data-testid="check-stock">
            {t('settings:integrity.checkStock')}
          </Button>
          {can('view_payables') && (
            <Button icon={<SafetyCertificateOutlined />} loading={payables.isPending} onClick={() => payables.mutate()} data-testid="check-payables">
              {t('settings:integrity.checkPayables')}
            </Button>
          )}
        </Space>
        {s && (
          <div data-testid="check-stock-result">
            <Alert
              showIcon
              type={s.ok ? 'success' : 'error'}
              message={s.ok ? t('settings:integrity.stockOk', { entries: s.ledger_entries, balances: s.balances_checked }) : t('settings:integrity.stockBad', { count: s.differences.length })}
            />
            {!s.ok && <Table<Difference> size="small" rowKey={(d) => `${d.kind}-${d.product_id}-${d.warehouse_id}-${d.location_id ?? ''}-${d.field}`} columns={stockColumns} dataSource={s.differences} pagination={{ pageSize: 20 }} />}
          </div>
        )}
        {p && (
          <div data-testid="check-payables-result">
            <Alert
              showIcon
              type={p.ok ? 'success' : 'error'}
              message={p.ok ? t('settings:integrity.payablesOk', { entries: p.entries }) : t('settings:integrity.payablesBad', { count: p.differences.length })}
            />
            {!p.ok && <Table<PayablesDifference> size="small" rowKey={(d) => `${d.kind}-${d.key}`} columns={payColumns} dataSource={p.differences} pagination={{ pageSize: 20 }} />}
          </div>
        )}
      </Space>
    </Card>
  );
}
