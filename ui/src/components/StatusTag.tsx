import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={status === 'archived' ? 'default' : 'green'}>
      {t(`common:status.${status === 'archived' ? 'archived' : 'active'}`)}
    </Tag>
  );
}
