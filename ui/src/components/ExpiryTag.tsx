import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { daysUntil } from '../lib/format';

/** Days until a certificate expires: red when expired or within 30 days, orange within 60. */
export const EXPIRY_DANGER_DAYS = 30;
export const EXPIRY_WARNING_DAYS = 60;

export function expiryColor(daysLeft: number): string | undefined {
  if (daysLeft < EXPIRY_DANGER_DAYS) return 'red';
  if (daysLeft < EXPIRY_WARNING_DAYS) return 'orange';
  return undefined;
}

export function ExpiryTag({ daysLeft }: { daysLeft: number }) {
  const { t } = useTranslation();
  const text =
    daysLeft < 0
      ? t('common:expiry.expired', { count: -daysLeft })
      : daysLeft === 0
        ? t('common:expiry.today')
        : t('common:expiry.left', { count: daysLeft });
  return (
    <Tag color={expiryColor(daysLeft) ?? 'default'} data-testid="expiry-tag">
      {text}
    </Tag>
  );
}

/** A date with its expiry tag when it is near, for list cells. */
export function ExpiryDate({ date }: { date: string | null }) {
  if (!date) return null;
  const days = daysUntil(date);
  return (
    <span className="expiry-date">
      <span className={days < EXPIRY_DANGER_DAYS ? 'text-danger' : undefined}>{date}</span>
      {days < EXPIRY_WARNING_DAYS && <ExpiryTag daysLeft={days} />}
    </span>
  );
}
