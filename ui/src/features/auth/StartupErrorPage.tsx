import { Button, Descriptions, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../bindings/ApiError';
import { errorMessage } from '../../api/errors';
import { LanguageSwitch } from '../../app/LanguageSwitch';

type Props = {
  error: ApiError;
  dbUrl: string | null;
  dataDir?: string | null;
  retrying?: boolean;
  onRetry: () => void;
};

/** The core could not start (database unreachable, migration failed): say why, where, and offer a retry. */
export function StartupErrorPage({ error, dbUrl, dataDir, retrying, onRetry }: Props) {
  const { t } = useTranslation();
  return (
    <div className="auth-page">
      <div className="auth-top">
        <span className="auth-brand">{t('common:app.name')}</span>
        <LanguageSwitch type="text" />
      </div>
      <Result
        status="error"
        className="startup-error"
        title={<span data-testid="page-title">{t('auth:startupError.title')}</span>}
        subTitle={<span data-testid="startup-error">{errorMessage(t, error)}</span>}
        extra={
          <Button type="primary" onClick={onRetry} loading={retrying} data-testid="startup-retry">
            {t('common:actions.retry')}
          </Button>
        }
      >
        <Descriptions column={1} size="small" bordered>
          {dbUrl && (
            <Descriptions.Item label={t('auth:startupError.dbUrl')}>
              <Typography.Text code copyable data-testid="startup-db-url">
                {dbUrl}
              </Typography.Text>
            </Descriptions.Item>
          )}
          {dataDir && (
            <Descriptions.Item label={t('auth:startupError.dataDir')}>
              <Typography.Text code copyable>
                {dataDir}
              </Typography.Text>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('auth:startupError.details')}>
            <Typography.Text type="secondary">
              [{error.code}] {error.message}
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
        <Typography.Paragraph type="secondary" className="startup-hint">
          {t('auth:startupError.hint')}
        </Typography.Paragraph>
      </Result>
    </div>
  );
}
