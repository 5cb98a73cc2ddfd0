import type { ReactNode } from 'react';
import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { findLeaf, allowed } from './navigation';
import { useCan } from './session';

/** Guards a page reached by its address: the menu hides it already, and the core refuses it anyway. */
export function RequirePermission({ navKey, children }: { navKey: string; children: ReactNode }) {
  const { t } = useTranslation();
  const can = useCan();
  const leaf = findLeaf(navKey);
  if (leaf && !allowed(leaf, can)) {
    return <Result status="403" title={t('common:forbidden.title')} subTitle={t('common:forbidden.description')} />;
  }
  return <>{children}</>;
}
