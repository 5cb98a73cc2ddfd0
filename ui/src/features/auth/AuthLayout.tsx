import type { ReactNode } from 'react';
import { Card, Typography } from 'antd';
import { ShopOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../app/LanguageSwitch';

/** The frame of the screens before the app: brand, language switch and one card. */
export function AuthLayout({ title, width = 440, children }: { title: string; width?: number; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="auth-page">
      <div className="auth-top">
        <span className="auth-brand">
          <ShopOutlined /> {t('common:app.name')}
        </span>
        <LanguageSwitch type="text" />
      </div>
      <Card className="auth-card" style={{ width }}>
        <Typography.Title level={3} data-testid="page-title" className="auth-title">
          {title}
        </Typography.Title>
        {children}
      </Card>
      <Typography.Text type="secondary" className="auth-footer">
        {t('common:app.tagline')}
      </Typography.Text>
    </div>
  );
}
