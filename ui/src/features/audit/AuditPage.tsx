import { useEffect, useRef, useState } from 'react';
import { Card, DatePicker, Flex, Select, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../bindings/AuditEntry';
import type { AuditQuery } from '../../bindings/AuditQuery';
import { ListSearch } from '../../components/ListSearch';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { formatDateTime } from '../../lib/format';
import { PAGE_SIZES, SEARCH_DEBOUNCE_MS } from '../../lib/useListQuery';
import { ActionTag } from './ActionTag';
import { ChangesTable } from './ChangesTable';
import { AUDIT_ACTIONS, AUDIT_ENTITIES, useAuditLog } from './queries';

const INITIAL: AuditQuery = {
  search: null,
  entity: null,
  action: null,
  username: null,
  entity_id: null,
  from: null,
  to: null,
  page: 1,
  page_size: PAGE_SIZES[0],
};

/** Who changed what and when, newest first, with each change's fields before and after. */
export function AuditPage() {
  const { t } = useTranslation();
  const [query, setQuery] = useState<AuditQuery>(INITIAL);
  const [searchText, setSearchText] = useState('');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const log = useAuditLog(query);

  const onSearch = (text: string) => {
    setSearchText(text);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setQuery((q) => ({ ...q, search: text.trim() || null, page: 1 })), SEARCH_DEBOUNCE_MS);
  };
  const setFilter = (patch: Partial<AuditQuery>) => setQuery((q) => ({ ...q, ...patch, page: 1 }));

  const columns: TableColumnsType<AuditEntry> = [
    { key: 'at', dataIndex: 'at', title: t('audit:columns.at'), width: 160, render: formatDateTime },
    { key: 'username', dataIndex: 'username', title: t('audit:columns.user'), width: 130 },
    { key: 'action', dataIndex: 'action', title: t('audit:columns.action'), width: 120, render: (a: string) => <ActionTag action={a} /> },
    {
      key: 'entity',
      dataIndex: 'entity',
      title: t('audit:columns.entity'),
      width: 110,
      render: (e: string) => t(`common:entities.${e}`, { defaultValue: e }),
    },
    { key: 'entity_key', dataIndex: 'entity_key', title: t('audit:columns.key') },
    {
      key: 'changes',
      dataIndex: 'changes',
      title: t('audit:columns.changes'),
      width: 140,
      render: (c: AuditEntry['changes']) =>
        c.length > 0 ? t('audit:changeCount', { count: c.length }) : <Typography.Text type="secondary">{t('audit:noChanges')}</Typography.Text>,
    },
  ];

  return (
    <div className="page">
      <PageHeader title={t('audit:title')} subtitle={t('audit:subtitle')} />
      <Card className="list-card">
        <Flex wrap gap={12} className="list-toolbar">
          <ListSearch value={searchText} onChange={onSearch} placeholder={t('audit:searchPlaceholder')} testId="audit-search" />
          <Select
            allowClear
            placeholder={t('audit:columns.entity')}
            value={query.entity}
            onChange={(v?: string) => setFilter({ entity: v ?? null })}
            options={AUDIT_ENTITIES.map((e) => ({ value: e, label: t(`common:entities.${e}`) }))}
            style={{ width: 140 }}
            data-testid="audit-entity"
          />
          <Select
            allowClear
            placeholder={t('audit:columns.action')}
            value={query.action}
            onChange={(v?: string) => setFilter({ action: v ?? null })}
            options={AUDIT_ACTIONS.map((a) => ({ value: a, label: t(`audit:actions.${a}`) }))}
            style={{ width: 140 }}
            data-testid="audit-action"
          />
          <DatePicker.RangePicker
            value={range}
            onChange={(r) => {
              setRange(r);
              setFilter({ from: r?.[0]?.format('YYYY-MM-DD') ?? null, to: r?.[1]?.format('YYYY-MM-DD') ?? null });
            }}
            placeholder={[t('audit:from'), t('audit:to')]}
            allowEmpty={[true, true]}
          />
        </Flex>
        <QueryError error={log.error} onRetry={() => void log.refetch()} />
        <div data-testid="audit-table">
          <Table<AuditEntry>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={log.data?.items}
            loading={log.isFetching}
            expandable={{
              expandedRowRender: (entry) => <ChangesTable entry={entry} />,
              rowExpandable: (entry) => entry.changes.length > 0,
            }}
            onChange={(p, _f, _s, extra) => {
              if (extra.action !== 'paginate') return;
              setQuery((q) => {
                const size = p.pageSize ?? q.page_size;
                return { ...q, page: size !== q.page_size ? 1 : (p.current ?? 1), page_size: size };
              });
            }}
            pagination={{
              current: query.page,
              pageSize: query.page_size,
              total: log.data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: PAGE_SIZES,
              showTotal: (total) => t('common:list.total', { count: total }),
            }}
          />
        </div>
      </Card>
    </div>
  );
}
