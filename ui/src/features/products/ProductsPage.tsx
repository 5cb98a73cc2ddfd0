import { useState } from 'react';
import { App, Button, Card, Flex, Select, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Product } from '../../bindings/Product';
import { useErrorReporter } from '../../api/errors';
import { useCan, useSession } from '../../app/session';
import { ArchiveButton } from '../../components/ArchiveButton';
import { ExportButton } from '../../components/ExportButton';
import { ListSearch } from '../../components/ListSearch';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { StatusFilter } from '../../components/StatusFilter';
import { StatusTag } from '../../components/StatusTag';
import { formatDateTime } from '../../lib/format';
import { useListQuery } from '../../lib/useListQuery';
import { ProductFormModal } from './ProductFormModal';
import { useArchiveProduct, useProductFacets, useProducts } from './queries';

type Editing = { product: Product | null } | null;

export function ProductsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const { status } = useSession();
  const report = useErrorReporter();
  const list = useListQuery<Product>();
  const { query } = list;
  const products = useProducts(query);
  const facets = useProductFacets();
  const archive = useArchiveProduct();
  const [editing, setEditing] = useState<Editing>(null);
  const canEdit = can('edit_products');
  const companyCurrency = status.company?.currency;

  const money = (value: string, p: Product) => (
    <span className="money">
      {value}
      {p.currency !== companyCurrency && <span className="money-currency"> {p.currency}</span>}
    </span>
  );

  const columns: TableColumnsType<Product> = [
    {
      key: 'sku',
      dataIndex: 'sku',
      title: t('products:fields.sku'),
      sorter: true,
      sortOrder: list.sortOrder('sku'),
      width: 140,
      render: (sku: string) => <Typography.Text copyable={{ text: sku }}>{sku}</Typography.Text>,
    },
    {
      key: 'name',
      dataIndex: 'name',
      title: t('products:fields.name'),
      sorter: true,
      sortOrder: list.sortOrder('name'),
      width: 260,
      render: (name: string, p) => (
        <div>
          <div>{name}</div>
          {(p.spec || p.barcode) && (
            <Typography.Text type="secondary" className="cell-sub">
              {[p.spec, p.barcode].filter(Boolean).join(' · ')}
            </Typography.Text>
          )}
        </div>
      ),
    },
    { key: 'category', dataIndex: 'category', title: t('products:fields.category'), sorter: true, sortOrder: list.sortOrder('category'), width: 110 },
    { key: 'brand', dataIndex: 'brand', title: t('products:fields.brand'), sorter: true, sortOrder: list.sortOrder('brand'), width: 110 },
    { key: 'unit', dataIndex: 'unit', title: t('products:fields.unit'), width: 60 },
    {
      key: 'price',
      dataIndex: 'price',
      title: t('products:fields.price'),
      align: 'right',
      sorter: true,
      sortOrder: list.sortOrder('price'),
      width: 110,
      render: money,
    },
    {
      key: 'cost',
      dataIndex: 'cost',
      title: t('products:fields.cost'),
      align: 'right',
      sorter: true,
      sortOrder: list.sortOrder('cost'),
      width: 110,
      render: money,
    },
    {
      key: 'safety_stock',
      dataIndex: 'safety_stock',
      title: t('products:fields.safety_stock'),
      align: 'right',
      sorter: true,
      sortOrder: list.sortOrder('safety_stock'),
      width: 100,
    },
    { key: 'status', dataIndex: 'status', title: t('common:columns.status'), width: 90, render: (s: string) => <StatusTag status={s} /> },
    {
      key: 'updated_at',
      dataIndex: 'updated_at',
      title: t('common:columns.updatedAt'),
      sorter: true,
      sortOrder: list.sortOrder('updated_at'),
      width: 150,
      render: formatDateTime,
    },
  ];
  if (canEdit) {
    columns.push({
      key: 'actions',
      title: t('common:columns.actions'),
      width: 130,
      fixed: 'right',
      render: (_: unknown, p) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setEditing({ product: p })}>
            {t('common:actions.edit')}
          </Button>
          <ArchiveButton
            archived={p.status === 'archived'}
            name={p.sku}
            onConfirm={() =>
              archive
                .mutateAsync({ id: p.id, archived: p.status !== 'archived' })
                .then((r) => message.success(t(r.status === 'archived' ? 'common:archived' : 'common:restored', { name: r.sku })))
                .catch(report)
            }
          />
        </Space>
      ),
    });
  }

  return (
    <div className="page">
      <PageHeader
        title={t('products:title')}
        subtitle={t('products:subtitle')}
        extra={
          <>
            <ExportButton list="products" query={query} />
            {canEdit && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ product: null })} data-testid="products-new">
                {t('products:new')}
              </Button>
            )}
          </>
        }
      />
      <Card className="list-card">
        <Flex wrap gap={12} className="list-toolbar">
          <ListSearch
            value={list.searchText}
            onChange={list.onSearchChange}
            placeholder={t('products:searchPlaceholder')}
            testId="products-search"
          />
          <Select
            allowClear
            showSearch
            placeholder={t('products:fields.category')}
            value={query.category}
            onChange={(v?: string) => list.setFilter('category', v)}
            options={(facets.data?.categories ?? []).map((c) => ({ value: c, label: c }))}
            style={{ width: 170 }}
            data-testid="products-category"
          />
          <Select
            allowClear
            showSearch
            placeholder={t('products:fields.brand')}
            value={query.brand}
            onChange={(v?: string) => list.setFilter('brand', v)}
            options={(facets.data?.brands ?? []).map((b) => ({ value: b, label: b }))}
            style={{ width: 170 }}
            data-testid="products-brand"
          />
          <StatusFilter value={query.status} onChange={(v) => list.setFilter('status', v)} />
        </Flex>
        <QueryError error={products.error} onRetry={() => void products.refetch()} />
        <div data-testid="products-table">
          <Table<Product>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={products.data?.items}
            loading={products.isFetching}
            onChange={list.onTableChange}
            pagination={list.pagination(products.data?.total, (total) => t('common:list.total', { count: total }))}
            scroll={{ x: 1350 }}
            onRow={(p) => ({ onDoubleClick: canEdit ? () => setEditing({ product: p }) : undefined })}
          />
        </div>
      </Card>
      {editing && <ProductFormModal product={editing.product} onClose={() => setEditing(null)} />}
    </div>
  );
}
