import { App, Alert, Button, Card, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CloudUploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { BackupInfo } from '../../bindings/BackupInfo';
import { errorMessage, useErrorReporter } from '../../api/errors';
import { QueryError } from '../../components/QueryError';
import { formatBytes, formatDateTime } from '../../lib/format';
import { useBackupNow, useBackups, useRestoreBackup } from './queries';

/** Backups of the embedded database: list, back up now, restore after a confirmation. */
export function BackupsCard({ dbKind }: { dbKind: string }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const report = useErrorReporter();
  const supported = dbKind !== 'postgres';
  const backups = useBackups(supported);
  const backupNow = useBackupNow();
  const restore = useRestoreBackup();

  const confirmRestore = (b: BackupInfo) =>
    modal.confirm({
      title: t('settings:backups.restoreTitle'),
      content: t('settings:backups.restoreConfirm', { file: b.file_name, at: formatDateTime(b.created_at) }),
      okText: t('settings:backups.restore'),
      okButtonProps: { danger: true },
      cancelText: t('common:actions.cancel'),
      onOk: () =>
        restore
          .mutateAsync(b.path)
          .then(() => message.success(t('settings:backups.restored', { file: b.file_name })))
          .catch(report),
    });

  const columns: TableColumnsType<BackupInfo> = [
    { key: 'file_name', dataIndex: 'file_name', title: t('settings:backups.file') },
    { key: 'created_at', dataIndex: 'created_at', title: t('settings:backups.createdAt'), width: 170, render: formatDateTime },
    { key: 'size', dataIndex: 'size_bytes', title: t('settings:backups.size'), width: 110, align: 'right', render: formatBytes },
    {
      key: 'path',
      dataIndex: 'path',
      title: t('settings:backups.path'),
      ellipsis: true,
      render: (p: string) => (
        <Typography.Text copyable={{ text: p }} type="secondary" className="path-text">
          {p}
        </Typography.Text>
      ),
    },
    {
      key: 'actions',
      title: t('common:columns.actions'),
      width: 100,
      render: (_: unknown, b) => (
        <Button type="link" size="small" danger onClick={() => confirmRestore(b)}>
          {t('settings:backups.restore')}
        </Button>
      ),
    },
  ];

  return (
    <Card
      title={t('settings:backups.title')}
      className="settings-card"
      extra={
        supported && (
          <Button
            type="primary"
            icon={<CloudUploadOutlined />}
            loading={backupNow.isPending}
            data-testid="backup-now"
            onClick={() =>
              backupNow.mutate(undefined, {
                onSuccess: (b) => void message.success(t('settings:backups.done', { file: b.file_name })),
                onError: (e) => report(e),
              })
            }
          >
            {t('settings:backups.now')}
          </Button>
        )
      }
    >
      {!supported ? (
        <Alert type="info" showIcon message={errorMessage(t, { code: 'backup.not_supported', message: '' })} />
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('settings:backups.intro')}</Typography.Paragraph>
          <QueryError error={backups.error} onRetry={() => void backups.refetch()} />
          <Table<BackupInfo>
            rowKey="path"
            size="small"
            columns={columns}
            dataSource={backups.data}
            loading={backups.isFetching}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            locale={{ emptyText: t('settings:backups.empty') }}
            data-testid="backups-table"
          />
        </>
      )}
    </Card>
  );
}
