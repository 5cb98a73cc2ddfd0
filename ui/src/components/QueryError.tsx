import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/errors';

/** A failed list or page load, translated, with a retry. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      className="query-error"
      message={t('common:list.loadFailed')}
      description={errorMessage(t, error)}
      action={
        onRetry && (
          <Button size="small" onClick={onRetry}>
            {t('common:actions.retry')}
          </Button>
        )
      }
    />
  );
}
