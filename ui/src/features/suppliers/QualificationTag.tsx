import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const COLORS: Record<string, string> = { candidate: 'blue', approved: 'green', suspended: 'red' };

export function QualificationTag({ value }: { value: string }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[value] ?? 'default'}>{t(`suppliers:qualification.${value}`, { defaultValue: value })}</Tag>;
}
