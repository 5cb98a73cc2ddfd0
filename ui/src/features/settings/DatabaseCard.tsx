import { App, Alert, Button, Card, Descriptions, Form, Input, Popconfirm, Skeleton, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useErrorReporter } from '../../api/errors';
import { QueryError } from '../../components/QueryError';
import { useDatabaseInfo, useSetDatabase } from './queries';

/** Where the data lives: the embedded SQLite file by default, or a shared PostgreSQL server (after a restart). */
export function DatabaseCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ url: string }>();
  const report = useErrorReporter();
  const info = useDatabaseInfo();
  const setDb = useSetDatabase();
  const d = info.data;
  const pending = d && d.configured_url !== null && d.configured_url !== d.url;

  const apply = (url: string | null) =>
    setDb.mutate(url, {
      onSuccess: () => {
        void message.success(t('settings:database.saved'));
        form.resetFields();
      },
      onError: (e) => report(e, form),
    });

  return (
    <Card title={t('settings:database.title')} className="settings-card">
      <QueryError error={info.error} onRetry={() => void info.refetch()} />
      {!d ? (
        info.isPending && <Skeleton active />
      ) : (
        <>
          <Descriptions column={1} size="small" bordered className="db-info">
            <Descriptions.Item label={t('settings:database.current')}>
              <Space wrap>
                <Tag color={d.kind === 'postgres' ? 'purple' : 'blue'}>{t(`settings:database.kinds.${d.kind}`)}</Tag>
                <Typography.Text code copyable data-testid="database-url">
                  {d.url}
                </Typography.Text>
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('settings:database.configured')}>
              {d.configured_url ?? <Typography.Text type="secondary">{t('settings:database.defaultSqlite')}</Typography.Text>}
            </Descriptions.Item>
            <Descriptions.Item label={t('settings:database.dataDir')}>
              <Typography.Text code copyable>
                {d.data_dir}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          {pending && (
            <Alert type="warning" showIcon className="db-pending" message={t('settings:database.pendingRestart', { url: d.configured_url })} />
          )}
          <Form form={form} layout="vertical" onFinish={(v) => apply(v.url.trim())} className="db-form">
            <Form.Item
              name="url"
              label={t('settings:database.newUrl')}
              extra={t('settings:database.restartNote')}
              rules={[
                {
                  validator: (_r, v: string | undefined) =>
                    v && /^postgres(ql)?:\/\/\S+$/.test(v.trim())
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('settings:database.urlInvalid'))),
                },
              ]}
            >
              <Input placeholder="postgres://shopdesk:password@192.168.1.10:5432/shopdesk" data-testid="database-new-url" />
            </Form.Item>
            <Space wrap>
              <Button type="primary" htmlType="submit" loading={setDb.isPending}>
                {t('settings:database.save')}
              </Button>
              {d.configured_url !== null && (
                <Popconfirm
                  title={t('settings:database.resetConfirm')}
                  okText={t('common:actions.confirm')}
                  cancelText={t('common:actions.cancel')}
                  onConfirm={() => apply(null)}
                >
                  <Button>{t('settings:database.reset')}</Button>
                </Popconfirm>
              )}
            </Space>
          </Form>
        </>
      )}
    </Card>
  );
}
