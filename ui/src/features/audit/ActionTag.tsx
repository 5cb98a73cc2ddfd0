import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const ACTION_COLORS: Record<string, string> = {
  create: 'green',
  update: 'blue',
  archive: 'orange',
  restore: 'cyan',
  import: 'purple',
  backup: 'geekblue',
  restore_backup: 'magenta',
  load_demo: 'gold',
};

export function ActionTag({ action }: { action: string }) {
  const { t } = useTranslation();
  return <Tag color={ACTION_COLORS[action] ?? 'default'}>{t(`audit:actions.${action}`, { defaultValue: action })}</Tag>;
}

