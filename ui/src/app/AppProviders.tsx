import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { QueryClientProvider } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { theme } from './theme';

/** Query client, antd locale and theme (following the i18next language), and antd's App for messages/modals. */
export function AppProviders({ client, children }: { client: QueryClient; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? enUS : zhCN;
  useEffect(() => {
    document.title = t('common:app.windowTitle');
  }, [t, i18n.language]);
  return (
    <QueryClientProvider client={client}>
      <ConfigProvider locale={locale} theme={theme}>
        <AntApp>{children}</AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
