import { useState } from 'react';
import { App, Button, Card, Select, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { UnmappedSku } from '../../bindings/UnmappedSku';
import { useErrorReporter } from '../../api/errors';
import { useCan } from '../../app/session';
import { QueryError } from '../../components/QueryError';
import { CHANNELS, useMapSku, useProductOptions, useUnmapped } from './queries';

/** Picks one of our SKUs by typing part of its code or name. */
export function SkuPicker({ value, onChange, testId = 'sku-picker' }: { value?: string; onChange: (sku: string) => void; testId?: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const products = useProductOptions(search);
  return (
    <Select
      showSearch
      filterOption={false}
      style={{ width: 260 }}
      placeholder={t('orders:unmappedTab.pick')}
      value={value}
      onSearch={setSearch}
      onChange={onChange}
      loading={products.isFetching}
      options={(products.data?.items ?? []).map((p) => ({ value: p.sku, label: `${p.sku} · ${p.name}` }))}
      data-testid={testId}
    />
  );
}

/** Platform codes no SKU of ours answers to yet: map each once, for the orders imported and every later import. */
export function UnmappedTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const can = useCan();
  const [channel, setChannel] = useState<string | null>(null);
  const list = useUnmapped(channel);
  const map = useMapSku();
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const key = (u: UnmappedSku) => `${u.channel}:${u.platform_sku}`;
  const columns: TableColumnsType<UnmappedSku> = [
    { key: 'channel', title: t('orders:channelCol'), width: 90, render: (_: unknown, u) => t(`orders:channel.${u.channel}`) },
    { key: 'code', dataIndex: 'platform_sku', title: t('orders:platformSku'), width: 160 },
    { key: 'title', title: t('orders:title_'), render: (_: unknown, u) => `${u.title}${u.spec ? ` · ${u.spec}` : ''}` },
    { key: 'lines', dataIndex: 'lines', title: t('orders:lines'), align: 'right', width: 70 },
    { key: 'qty', dataIndex: 'qty', title: t('orders:qty'), align: 'right', width: 70 },
    ...(can('edit_orders')
      ? [
          {
            key: 'map',
            title: t('orders:unmappedTab.mapTo'),
            width: 360,
            render: (_: unknown, u: UnmappedSku) => (
              <Space>
                <SkuPicker value={chosen[key(u)]} onChange={(sku) => setChosen({ ...chosen, [key(u)]: sku })} />
                <Button
                  type="primary"
                  disabled={!chosen[key(u)]}
                  loading={map.isPending && map.variables?.platform_sku === u.platform_sku}
                  onClick={() =>
                    void map
                      .mutateAsync({ channel: u.channel, platform_sku: u.platform_sku, sku: chosen[key(u)] })
                      .then((m) => message.success(t('orders:unmappedTab.mapped', { code: m.platform_sku, sku: m.sku, count: m.lines_updated })))
                      .catch(report)
                  }
                >
                  {t('orders:unmappedTab.map')}
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];
  return (
    <Card className="list-card">
      <Space style={{ marginBottom: 12 }}>
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('orders:channelCol')}
          value={channel ?? undefined}
          onChange={(v) => setChannel(v ?? null)}
          options={CHANNELS.map((c) => ({ value: c, label: t(`orders:channel.${c}`) }))}
        />
        <Typography.Text type="secondary">{t('orders:unmappedTab.hint')}</Typography.Text>
      </Space>
      <QueryError error={list.error} onRetry={() => void list.refetch()} />
      <div data-testid="unmapped-table">
        <Table<UnmappedSku> rowKey={key} size="middle" columns={columns} dataSource={list.data} loading={list.isFetching} pagination={{ pageSize: 50 }} />
      </div>
    </Card>
  );
}
