import { Button, Popconfirm } from 'antd';
import { useTranslation } from 'react-i18next';

type Props = {
  archived: boolean;
  /** What the confirmation names, e.g. the SKU or code. */
  name: string;
  onConfirm: () => Promise<unknown>;
};

/** Archive or restore one record, after a confirmation. Archived records stay for history and can be restored. */
export function ArchiveButton({ archived, name, onConfirm }: Props) {
  const { t } = useTranslation();
  return (
    <Popconfirm
      title={archived ? t('common:confirm.restoreTitle') : t('common:confirm.archiveTitle')}
      description={archived ? t('common:confirm.restore', { name }) : t('common:confirm.archive', { name })}
      okText={archived ? t('common:actions.restore') : t('common:actions.archive')}
      cancelText={t('common:actions.cancel')}
      onConfirm={onConfirm}
    >
      <Button type="link" size="small" danger={!archived}>
        {archived ? t('common:actions.restore') : t('common:actions.archive')}
      </Button>
    </Popconfirm>
  );
}
