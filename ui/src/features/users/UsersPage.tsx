import { useState } from 'react';
import { Button, Card, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { User } from '../../bindings/User';
import { useSession } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { formatDateTime } from '../../lib/format';
import { useUsers } from './queries';
import { UserFormModal } from './UserFormModal';

export function UsersPage() {
  const { t } = useTranslation();
  const { actor } = useSession();
  const users = useUsers();
  const [editing, setEditing] = useState<{ user: User | null } | null>(null);

  const columns: TableColumnsType<User> = [
    {
      key: 'username',
      dataIndex: 'username',
      title: t('users:fields.username'),
      sorter: (a, b) => a.username.localeCompare(b.username),
      render: (u: string) => (
        <span>
          {u}
          {u === actor.username && <Tag className="me-tag">{t('users:you')}</Tag>}
        </span>
      ),
    },
    { key: 'display_name', dataIndex: 'display_name', title: t('users:fields.display_name') },
    {
      key: 'role',
      dataIndex: 'role',
      title: t('users:fields.role'),
      sorter: (a, b) => a.role.localeCompare(b.role),
      render: (r: string) => <Tag color={r === 'admin' ? 'gold' : 'blue'}>{t(`users:roles.${r}`, { defaultValue: r })}</Tag>,
    },
    {
      key: 'active',
      dataIndex: 'active',
      title: t('users:fields.active'),
      width: 90,
      render: (a: boolean) => <Tag color={a ? 'green' : 'default'}>{a ? t('users:active') : t('users:inactive')}</Tag>,
    },
    {
      key: 'language',
      dataIndex: 'language',
      title: t('users:fields.language'),
      width: 110,
      render: (l: string) => t(`common:languages.${l}`, { defaultValue: l }),
    },
    { key: 'created_at', dataIndex: 'created_at', title: t('common:columns.createdAt'), width: 160, render: formatDateTime },
    {
      key: 'last_login_at',
      dataIndex: 'last_login_at',
      title: t('users:fields.last_login_at'),
      width: 160,
      render: (d: string | null) => (d ? formatDateTime(d) : <Typography.Text type="secondary">{t('users:never')}</Typography.Text>),
    },
    {
      key: 'actions',
      title: t('common:columns.actions'),
      width: 90,
      render: (_: unknown, u) => (
        <Button type="link" size="small" onClick={() => setEditing({ user: u })}>
          {t('common:actions.edit')}
        </Button>
      ),
    },
  ];

  return (
    <div className="page">
      <PageHeader
        title={t('users:title')}
        subtitle={t('users:subtitle')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ user: null })} data-testid="users-new">
            {t('users:new')}
          </Button>
        }
      />
      <Card className="list-card">
        <QueryError error={users.error} onRetry={() => void users.refetch()} />
        <div data-testid="users-table">
          <Table<User>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={users.data}
            loading={users.isFetching}
            pagination={false}
            onRow={(u) => ({ onDoubleClick: () => setEditing({ user: u }) })}
          />
        </div>
      </Card>
      {editing && <UserFormModal user={editing.user} onClose={() => setEditing(null)} />}
    </div>
  );
}
