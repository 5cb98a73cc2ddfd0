import { useMemo, useState } from 'react';
import { App, Button, Card, Flex, Select, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../bindings/Customer';
import { useErrorReporter } from '../../api/errors';
import { useCan } from '../../app/session';
import { ArchiveButton } from '../../components/ArchiveButton';
import { ExportButton } from '../../components/ExportButton';
import { ListSearch } from '../../components/ListSearch';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { StatusFilter } from '../../components/StatusFilter';
import { StatusTag } from '../../components/StatusTag';
import { formatDateTime } from '../../lib/format';
import { useListQuery } from '../../lib/useListQuery';
import { CustomerFormModal } from './CustomerFormModal';
import { CustomerTags } from './CustomerTags';
import { COMMON_TAGS, useArchiveCustomer, useCustomers } from './queries';

export function CustomersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const report = useErrorReporter();
  const list = useListQuery<Customer>();
  const { query } = list;
  const customers = useCustomers(query);
  const archive = useArchiveCustomer();
  const [editing, setEditing] = useState<{ customer: Customer | null } | null>(null);
  const canEdit = can('edit_customers');

  const knownTags = useMemo(() => {
    const seen = new Set<string>(COMMON_TAGS);
    for (const c of customers.data?.items ?? []) for (const tag of c.tags) seen.add(tag);
    if (query.tag) seen.add(query.tag);
    return [...seen];
  }, [customers.data, query.tag]);

  const columns: TableColumnsType<Customer> = [
    { key: 'code', dataIndex: 'code', title: t('customers:fields.code'), sorter: true, sortOrder: list.sortOrder('code'), width: 120 },
    { key: 'name', dataIndex: 'name', title: t('customers:fields.name'), sorter: true, sortOrder: list.sortOrder('name'), width: 200 },
    {
      key: 'contact',
      title: t('customers:fields.contact'),
      width: 200,
      render: (_: unknown, c) => (
        <div>
          <div>{c.phone}</div>
          {c.email && (
            <Typography.Text type="secondary" className="cell-sub">
              {c.email}
            </Typography.Text>
          )}
        </div>
      ),
    },
    {
      key: 'city',
      dataIndex: 'city',
      title: t('customers:fields.region'),
      sorter: true,
      sortOrder: list.sortOrder('city'),
      width: 160,
      render: (_: string, c) => [c.province, c.city].filter(Boolean).join(' · '),
    },
    { key: 'tags', dataIndex: 'tags', title: t('customers:fields.tags'), width: 200, render: (tags: string[]) => <CustomerTags tags={tags} /> },
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
      render: (_: unknown, c) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setEditing({ customer: c })}>
            {t('common:actions.edit')}
          </Button>
          <ArchiveButton
            archived={c.status === 'archived'}
            name={c.code}
            onConfirm={() =>
              archive
                .mutateAsync({ id: c.id, archived: c.status !== 'archived' })
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
        title={t('customers:title')}
        subtitle={t('customers:subtitle')}
        extra={
          <>
            <ExportButton list="customers" query={query} />
            {canEdit && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ customer: null })} data-testid="customers-new">
                {t('customers:new')}
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
            placeholder={t('customers:searchPlaceholder')}
            testId="customers-search"
          />
          <Select
            allowClear
            showSearch
            placeholder={t('customers:tagFilter')}
            value={query.tag}
            onChange={(v?: string) => list.setFilter('tag', v)}
            options={knownTags.map((tag) => ({ value: tag, label: tag }))}
            style={{ width: 160 }}
            data-testid="customers-tag"
          />
          <StatusFilter value={query.status} onChange={(v) => list.setFilter('status', v)} />
        </Flex>
        <QueryError error={customers.error} onRetry={() => void customers.refetch()} />
        <div data-testid="customers-table">
          <Table<Customer>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={customers.data?.items}
            loading={customers.isFetching}
            onChange={list.onTableChange}
            pagination={list.pagination(customers.data?.total, (total) => t('common:list.total', { count: total }))}
            scroll={{ x: 1300 }}
            onRow={(c) => ({ onDoubleClick: canEdit ? () => setEditing({ customer: c }) : undefined })}
          />
        </div>
      </Card>
      {editing && <CustomerFormModal customer={editing.customer} knownTags={knownTags} onClose={() => setEditing(null)} />}
    </div>
  );
}
