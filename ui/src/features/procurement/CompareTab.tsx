import { useState } from 'react';
import { Card, Empty, Flex, Input, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Offer } from '../../bindings/Offer';
import { QueryError } from '../../components/QueryError';
import { QualificationTag } from '../suppliers/QualificationTag';
import { useCompare } from './queries';

/** Every supplier's current price for one of our SKUs: the cheapest and the fastest marked. */
export function CompareTab() {
  const { t } = useTranslation();
  const [sku, setSku] = useState('');
  const compare = useCompare(sku);
  const columns: TableColumnsType<Offer> = [
    {
      key: 'supplier',
      title: t('procurement:fields.supplier'),
      width: 260,
      render: (_: unknown, o) => (
        <div>
          <div>
            {o.supplier_code} · {o.supplier_name}
          </div>
          <QualificationTag value={o.qualification} />
        </div>
      ),
    },
    { key: 'item', title: t('procurement:compare.item'), render: (_: unknown, o) => `${o.supplier_sku ? `${o.supplier_sku} ` : ''}${o.item_name}` },
    {
      key: 'price',
      title: t('procurement:fields.price'),
      align: 'right',
      width: 150,
      render: (_: unknown, o) => (
        <Typography.Text strong={o.cheapest}>
          {o.price.price} {o.price.currency}
          {o.price.price_unit ? `/${o.price.price_unit}` : ''}
        </Typography.Text>
      ),
    },
    { key: 'moq', title: t('procurement:fields.moq'), width: 90, render: (_: unknown, o) => o.price.moq ?? '' },
    {
      key: 'lead',
      title: t('procurement:fields.lead_time_days'),
      width: 100,
      render: (_: unknown, o) => (o.price.lead_time_days != null ? t('procurement:days', { count: o.price.lead_time_days }) : ''),
    },
    { key: 'from', title: t('procurement:history.from'), width: 110, render: (_: unknown, o) => o.price.valid_from },
    {
      key: 'marks',
      title: '',
      width: 200,
      render: (_: unknown, o) => (
        <>
          {o.cheapest && <Tag color="green">{t('procurement:compare.cheapest')}</Tag>}
          {o.fastest && <Tag color="blue">{t('procurement:compare.fastest')}</Tag>}
          {o.match_status !== 'confirmed' && <Tag color="gold">{t('procurement:match.suggested')}</Tag>}
        </>
      ),
    },
  ];
  return (
    <Card className="list-card">
      <Flex gap={12} className="list-toolbar" align="center">
        <Input.Search
          placeholder={t('procurement:compare.skuPlaceholder')}
          allowClear
          enterButton={t('procurement:compare.go')}
          onSearch={(v) => setSku(v.trim())}
          style={{ maxWidth: 360 }}
          data-testid="compare-sku"
        />
        {compare.data && (
          <Typography.Text>
            {compare.data.sku} · {compare.data.product_name}
          </Typography.Text>
        )}
      </Flex>
      <QueryError error={compare.error} />
      {sku === '' ? (
        <Empty description={t('procurement:compare.hint')} />
      ) : (
        <div data-testid="compare-table">
          <Table<Offer>
            rowKey="supplier_item_id"
            size="middle"
            columns={columns}
            dataSource={compare.data?.offers}
            loading={compare.isFetching}
            pagination={false}
            locale={{ emptyText: t('procurement:compare.none') }}
          />
        </div>
      )}
    </Card>
  );
}
