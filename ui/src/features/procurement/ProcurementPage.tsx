import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { useCan } from '../../app/session';
import { PriceImportWizard } from './PriceImportWizard';
import { SupplierItemsTab } from './SupplierItemsTab';
import { CompareTab } from './CompareTab';
import { PurchaseOrdersTab } from './PurchaseOrdersTab';
import { ChaseTab } from './ChaseTab';
import { ScorecardTab } from './ScorecardTab';
import { PlanTab } from './PlanTab';
import { PayablesTab } from './PayablesTab';

/** Procurement (采购): price sheets, supplier items and comparison, planning, purchase orders, chasing, scorecards, payables. */
export function ProcurementPage() {
  const { t } = useTranslation();
  const can = useCan();
  const items = [
    ...(can('edit_suppliers')
      ? [{ key: 'import', label: <span data-testid="tab-import">{t('procurement:tabs.import')}</span>, children: <PriceImportWizard /> }]
      : []),
    { key: 'items', label: <span data-testid="tab-items">{t('procurement:tabs.items')}</span>, children: <SupplierItemsTab /> },
    { key: 'compare', label: <span data-testid="tab-compare">{t('procurement:tabs.compare')}</span>, children: <CompareTab /> },
    { key: 'plan', label: <span data-testid="tab-plan">{t('procurement:tabs.plan')}</span>, children: <PlanTab /> },
    { key: 'orders', label: <span data-testid="tab-orders">{t('procurement:tabs.orders')}</span>, children: <PurchaseOrdersTab /> },
    { key: 'chase', label: <span data-testid="tab-chase">{t('procurement:tabs.chase')}</span>, children: <ChaseTab /> },
    { key: 'scorecard', label: <span data-testid="tab-scorecard">{t('procurement:tabs.scorecard')}</span>, children: <ScorecardTab /> },
    ...(can('view_payables')
      ? [{ key: 'payables', label: <span data-testid="tab-payables">{t('procurement:tabs.payables')}</span>, children: <PayablesTab /> }]
      : []),
  ];
  return (
    <div className="page">
      <PageHeader title={t('procurement:title')} subtitle={t('procurement:subtitle')} />
      <Tabs items={items} destroyOnHidden={false} data-testid="procurement-tabs" />
    </div>
  );
}
