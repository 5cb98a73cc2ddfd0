import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { useCan } from '../../app/session';
import { PriceImportWizard } from './PriceImportWizard';
import { SupplierItemsTab } from './SupplierItemsTab';
import { CompareTab } from './CompareTab';
import { PurchaseOrdersTab } from './PurchaseOrdersTab';
import { ChaseTab } from './ChaseTab';

/** Procurement (采购): supplier price sheets in, supplier items with their prices, comparison across suppliers. */
export function ProcurementPage() {
  const { t } = useTranslation();
  const can = useCan();
  const items = [
    ...(can('edit_suppliers')
      ? [{ key: 'import', label: t('procurement:tabs.import'), children: <PriceImportWizard /> }]
      : []),
    { key: 'items', label: t('procurement:tabs.items'), children: <SupplierItemsTab /> },
    { key: 'compare', label: t('procurement:tabs.compare'), children: <CompareTab /> },
    { key: 'orders', label: t('procurement:tabs.orders'), children: <PurchaseOrdersTab /> },
    { key: 'chase', label: t('procurement:tabs.chase'), children: <ChaseTab /> },
  ];
  return (
    <div className="page">
      <PageHeader title={t('procurement:title')} subtitle={t('procurement:subtitle')} />
      <Tabs items={items} destroyOnHidden={false} data-testid="procurement-tabs" />
    </div>
  );
}
