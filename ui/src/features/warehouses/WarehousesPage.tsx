import { useState } from 'react';
import { App, Button, Card, Empty, Flex, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Location } from '../../bindings/Location';
import type { Warehouse } from '../../bindings/Warehouse';
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
import { LocationFormModal } from './LocationFormModal';
import { useArchiveLocation, useArchiveWarehouse, useLocations, useWarehouses } from './queries';
import { WarehouseFormModal } from './WarehouseFormModal';

const KIND_COLORS: Record<string, string> = { storage: 'blue', receiving: 'cyan', shipping: 'purple', defect: 'volcano' };

export function WarehousesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const report = useErrorReporter();
  const canEdit = can('edit_warehouses');

  const whList = useListQuery<Warehouse>();
  const warehouses = useWarehouses(whList.query);
  const archiveWarehouse = useArchiveWarehouse();
  const [editingWarehouse, setEditingWarehouse] = useState<{ warehouse: Warehouse | null } | null>(null);

  // The first warehouse is shown until the user picks another one.
  const [chosenId, setChosenId] = useState<number | null>(null);
  const items = warehouses.data?.items ?? [];
  const selected = items.find((w) => w.id === chosenId) ?? items[0] ?? null;

  const locList = useListQuery<Location>();
  const locQuery = { ...locList.query, warehouse_id: selected?.id ?? null };
  const locations = useLocations(locQuery);
  const archiveLocation = useArchiveLocation();
  const [editingLocation, setEditingLocation] = useState<{ location: Location | null } | null>(null);

  const done = (archived: boolean, name: string) =>
    message.success(t(archived ? 'common:archived' : 'common:restored', { name }));

  const whColumns: TableColumnsType<Warehouse> = [
    { key: 'code', dataIndex: 'code', title: t('warehouses:fields.code'), sorter: true, sortOrder: whList.sortOrder('code'), width: 120 },
    { key: 'name', dataIndex: 'name', title: t('warehouses:fields.name'), sorter: true, sortOrder: whList.sortOrder('name'), width: 200 },
    { key: 'address', dataIndex: 'address', title: t('warehouses:fields.address'), ellipsis: true },
    { key: 'manager', dataIndex: 'manager', title: t('warehouses:fields.manager'), width: 120 },
    { key: 'location_count', dataIndex: 'location_count', title: t('warehouses:fields.location_count'), align: 'right', width: 100 },
    { key: 'status', dataIndex: 'status', title: t('common:columns.status'), width: 90, render: (s: string) => <StatusTag status={s} /> },
    {
      key: 'updated_at',
      dataIndex: 'updated_at',
      title: t('common:columns.updatedAt'),
      sorter: true,
      sortOrder: whList.sortOrder('updated_at'),
      width: 150,
      render: formatDateTime,
    },
  ];
  if (canEdit) {
    whColumns.push({
      key: 'actions',
      title: t('common:columns.actions'),
      width: 130,
      fixed: 'right',
      render: (_: unknown, w) => (
        <Space size={0} onClick={(e) => e.stopPropagation()}>
          <Button type="link" size="small" onClick={() => setEditingWarehouse({ warehouse: w })}>
            {t('common:actions.edit')}
          </Button>
          <ArchiveButton
            archived={w.status === 'archived'}
            name={w.code}
            onConfirm={() =>
              archiveWarehouse
                .mutateAsync({ id: w.id, archived: w.status !== 'archived' })
                .then((r) => done(r.status === 'archived', r.code))
                .catch(report)
            }
          />
        </Space>
      ),
    });
  }

  const locColumns: TableColumnsType<Location> = [
    { key: 'code', dataIndex: 'code', title: t('warehouses:location.fields.code'), sorter: true, sortOrder: locList.sortOrder('code') },
    { key: 'zone', dataIndex: 'zone', title: t('warehouses:location.fields.zone'), sorter: true, sortOrder: locList.sortOrder('zone') },
    {
      key: 'kind',
      dataIndex: 'kind',
      title: t('warehouses:location.fields.kind'),
      sorter: true,
      sortOrder: locList.sortOrder('kind'),
      render: (k: string) => <Tag color={KIND_COLORS[k]}>{t(`warehouses:location.kinds.${k}`, { defaultValue: k })}</Tag>,
    },
    { key: 'status', dataIndex: 'status', title: t('common:columns.status'), width: 90, render: (s: string) => <StatusTag status={s} /> },
  ];
  if (canEdit) {
    locColumns.push({
      key: 'actions',
      title: t('common:columns.actions'),
      width: 130,
      render: (_: unknown, l) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setEditingLocation({ location: l })}>
            {t('common:actions.edit')}
          </Button>
          <ArchiveButton
            archived={l.status === 'archived'}
            name={l.code}
            onConfirm={() =>
              archiveLocation
                .mutateAsync({ id: l.id, archived: l.status !== 'archived' })
                .then((r) => done(r.status === 'archived', r.code))
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
        title={t('warehouses:title')}
        subtitle={t('warehouses:subtitle')}
        extra={
          <>
            <ExportButton list="warehouses" query={whList.query} />
            {canEdit && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setEditingWarehouse({ warehouse: null })}
                data-testid="warehouses-new"
              >
                {t('warehouses:new')}
              </Button>
            )}
          </>
        }
      />
      <Card className="list-card" title={t('warehouses:listTitle')}>
        <Flex wrap gap={12} className="list-toolbar">
          <ListSearch
            value={whList.searchText}
            onChange={whList.onSearchChange}
            placeholder={t('warehouses:searchPlaceholder')}
            testId="warehouses-search"
          />
          <StatusFilter value={whList.query.status} onChange={(v) => whList.setFilter('status', v)} />
        </Flex>
        <QueryError error={warehouses.error} onRetry={() => void warehouses.refetch()} />
        <div data-testid="warehouses-table">
          <Table<Warehouse>
            rowKey="id"
            size="middle"
            columns={whColumns}
            dataSource={items}
            loading={warehouses.isFetching}
            onChange={whList.onTableChange}
            pagination={whList.pagination(warehouses.data?.total, (total) => t('common:list.total', { count: total }))}
            rowSelection={{
              type: 'radio',
              selectedRowKeys: selected ? [selected.id] : [],
              onChange: (keys) => {
                setChosenId(Number(keys[0]));
                locList.setFilter('warehouse_id', Number(keys[0]));
              },
              columnTitle: '',
            }}
            onRow={(w) => ({
              onClick: () => {
                setChosenId(w.id);
                locList.setFilter('warehouse_id', w.id);
              },
              className: 'clickable-row',
            })}
            scroll={{ x: 1150 }}
          />
        </div>
      </Card>

      <Card
        className="list-card"
        data-testid="locations-card"
        title={
          selected ? (
            <span>
              {t('warehouses:location.listTitle')}
              <Typography.Text type="secondary" className="card-title-sub">
                {selected.code} · {selected.name}
              </Typography.Text>
            </span>
          ) : (
            t('warehouses:location.listTitle')
          )
        }
        extra={
          selected && (
            <Space>
              <ExportButton list="locations" query={locQuery} testId="locations-export" />
              {canEdit && (
                <Button icon={<PlusOutlined />} onClick={() => setEditingLocation({ location: null })} data-testid="locations-new">
                  {t('warehouses:location.new', { warehouse: selected.code })}
                </Button>
              )}
            </Space>
          )
        }
      >
        {!selected ? (
          <Empty description={t('warehouses:location.selectHint')} />
        ) : (
          <>
            <Flex wrap gap={12} className="list-toolbar">
              <ListSearch
                value={locList.searchText}
                onChange={locList.onSearchChange}
                placeholder={t('warehouses:location.searchPlaceholder')}
                testId="locations-search"
              />
              <StatusFilter value={locList.query.status} onChange={(v) => locList.setFilter('status', v)} />
            </Flex>
            <QueryError error={locations.error} onRetry={() => void locations.refetch()} />
            <div data-testid="locations-table">
              <Table<Location>
                rowKey="id"
                size="small"
                columns={locColumns}
                dataSource={locations.data?.items}
                loading={locations.isFetching}
                onChange={locList.onTableChange}
                pagination={locList.pagination(locations.data?.total, (total) => t('common:list.total', { count: total }))}
              />
            </div>
          </>
        )}
      </Card>

      {editingWarehouse && (
        <WarehouseFormModal warehouse={editingWarehouse.warehouse} onClose={() => setEditingWarehouse(null)} />
      )}
      {editingLocation && selected && (
        <LocationFormModal warehouse={selected} location={editingLocation.location} onClose={() => setEditingLocation(null)} />
      )}
    </div>
  );
}
