import { useState } from 'react';
import { App, Button, Card, Flex, Select, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Supplier } from '../../bindings/Supplier';
import { useErrorReporter } from '../../api/errors';
import { useCan } from '../../app/session';
import { ArchiveButton } from '../../components/ArchiveButton';
import { ExpiryDate } from '../../components/ExpiryTag';
import { ExportButton } from '../../components/ExportButton';
import { ListSearch } from '../../components/ListSearch';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { StatusFilter } from '../../components/StatusFilter';
import { StatusTag } from '../../components/StatusTag';
import { formatDateTime } from '../../lib/format';
import { useListQuery } from '../../lib/useListQuery';
import { QualificationTag } from './QualificationTag';
import { QUALIFICATIONS, useArchiveSupplier, useSuppliers } from './queries';
import { SupplierFormModal } from './SupplierFormModal';

export function SuppliersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const report = useErrorReporter();
  const list = useListQuery<Supplier>();
  const { query } = list;
  const suppliers = useSuppliers(query);
  const archive = useArchiveSupplier();
  const [editing, setEditing] = useState<{ supplier: Supplier | null } | null>(null);
  const canEdit = can('edit_suppliers');

  const columns: TableColumnsType<Supplier> = [
    { key: 'code', dataIndex: 'code', title: t('suppliers:fields.code'), sorter: true, sortOrder: list.sortOrder('code'), width: 120 },
    {
      key: 'name',
      dataIndex: 'name',
      title: t('suppliers:fields.name'),
      sorter: true,
      sortOrder: list.sortOrder('name'),
      width: 240,
      render: (name: string, s) => (
        <div>
          <div>{name}</div>
          {s.address && (
            <Typography.Text type="secondary" className="cell-sub">
              {s.address}
            </Typography.Text>
          )}
        </div>
      ),
    },
    {
      key: 'contact',
      title: t('suppliers:fields.contact'),
      width: 150,
      render: (_: unknown, s) => (
        <div>
          <div>{s.contact_name}</div>
          <Typography.Text type="secondary" className="cell-sub">
            {s.phone}
          </Typography.Text>
        </div>
      ),
    },
    {
      key: 'qualification',
      dataIndex: 'qualification',
      title: t('suppliers:fields.qualification'),
      sorter: true,
      sortOrder: list.sortOrder('qualification'),
      width: 100,
      render: (q: string) => <QualificationTag value={q} />,
    },
    {
      key: 'payment_days',
      dataIndex: 'payment_days',
      title: t('suppliers:fields.payment'),
      sorter: true,
      sortOrder: list.sortOrder('payment_days'),
      width: 130,
      render: (days: number, s) => (
        <div>
          <div>{s.payment_terms}</div>
          <Typography.Text type="secondary" className="cell-sub">
            {t('suppliers:paymentDays', { count: days })}
          </Typography.Text>
        </div>
      ),
    },
    {
      key: 'next_expiry',
      dataIndex: 'next_expiry',
      title: t('suppliers:fields.next_expiry'),
      width: 220,
      render: (d: string | null, s) => (
        <div>
          {d ? <ExpiryDate date={d} /> : <Typography.Text type="secondary">{t('suppliers:noExpiry')}</Typography.Text>}
          <Typography.Text type="secondary" className="cell-sub">
            {t('suppliers:certificateCount', { count: s.certificates.length })}
          </Typography.Text>
        </div>
      ),
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
      render: (_: unknown, s) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setEditing({ supplier: s })}>
            {t('common:actions.edit')}
          </Button>
          <ArchiveButton
            archived={s.status === 'archived'}
            name={s.code}
            onConfirm={() =>
              archive
                .mutateAsync({ id: s.id, archived: s.status !== 'archived' })
                .then((r) => message.success(t(r.status === 'archived' ? 'common:archived' : 'common:restored', { name: r.code })))
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
        title={t('suppliers:title')}
        subtitle={t('suppliers:subtitle')}
        extra={
          <>
            <ExportButton list="suppliers" query={query} />
            {canEdit && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ supplier: null })} data-testid="suppliers-new">
                {t('suppliers:new')}
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
            placeholder={t('suppliers:searchPlaceholder')}
            testId="suppliers-search"
          />
          <Select
            allowClear
            placeholder={t('suppliers:fields.qualification')}
            value={query.qualification}
            onChange={(v?: string) => list.setFilter('qualification', v)}
            options={QUALIFICATIONS.map((q) => ({ value: q, label: t(`suppliers:qualification.${q}`) }))}
            style={{ width: 160 }}
            data-testid="suppliers-qualification"
          />
          <StatusFilter value={query.status} onChange={(v) => list.setFilter('status', v)} />
        </Flex>
        <QueryError error={suppliers.error} onRetry={() => void suppliers.refetch()} />
        <div data-testid="suppliers-table">
          <Table<Supplier>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={suppliers.data?.items}
            loading={suppliers.isFetching}
            onChange={list.onTableChange}
            pagination={list.pagination(suppliers.data?.total, (total) => t('common:list.total', { count: total }))}
            scroll={{ x: 1300 }}
            onRow={(s) => ({ onDoubleClick: canEdit ? () => setEditing({ supplier: s }) : undefined })}
          />
        </div>
      </Card>
      {editing && <SupplierFormModal supplier={editing.supplier} onClose={() => setEditing(null)} />}
    </div>
  );
}
