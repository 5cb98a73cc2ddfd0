import { Select } from 'antd';
import { useTranslation } from 'react-i18next';

/** Active (default), archived or all records. */
export function StatusFilter({ value, onChange }: { value: string | null | undefined; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  return (
    <Select
      value={value ?? 'active'}
      onChange={onChange}
      style={{ width: 130 }}
      aria-label={t('common:columns.status')}
      data-testid="status-filter"
      options={[
        { value: 'active', label: t('common:status.active') },
        { value: 'archived', label: t('common:status.archived') },
        { value: 'all', label: t('common:status.all') },
      ]}
    />
  );
}
