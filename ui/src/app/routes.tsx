import { lazy, Suspense } from 'react';
import type { ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { RequirePermission } from './RequirePermission';
import { UPCOMING_MODULES } from './navigation';

const DashboardPage = lazy(() => import('../features/dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })));
const ProductsPage = lazy(() => import('../features/products/ProductsPage').then((m) => ({ default: m.ProductsPage })));
const SuppliersPage = lazy(() => import('../features/suppliers/SuppliersPage').then((m) => ({ default: m.SuppliersPage })));
const WarehousesPage = lazy(() =>
  import('../features/warehouses/WarehousesPage').then((m) => ({ default: m.WarehousesPage })),
);
const CustomersPage = lazy(() => import('../features/customers/CustomersPage').then((m) => ({ default: m.CustomersPage })));
const ProcurementPage = lazy(() =>
  import('../features/procurement/ProcurementPage').then((m) => ({ default: m.ProcurementPage })),
);
const InventoryPage = lazy(() =>
  import('../features/inventory/InventoryPage').then((m) => ({ default: m.InventoryPage })),
);
const OrdersPage = lazy(() => import('../features/orders/OrdersPage').then((m) => ({ default: m.OrdersPage })));
const AuditPage = lazy(() => import('../features/audit/AuditPage').then((m) => ({ default: m.AuditPage })));
const UsersPage = lazy(() => import('../features/users/UsersPage').then((m) => ({ default: m.UsersPage })));
const SettingsPage = lazy(() => import('../features/settings/SettingsPage').then((m) => ({ default: m.SettingsPage })));
const ModuleUnavailablePage = lazy(() =>
  import('../features/modules/ModuleUnavailablePage').then((m) => ({ default: m.ModuleUnavailablePage })),
);

function guarded(navKey: string, page: ReactNode) {
  return <RequirePermission navKey={navKey}>{page}</RequirePermission>;
}

function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title={t('common:notFound.title')} subTitle={t('common:notFound.description')} />;
}

export function AppRoutes() {
  return (
    <Suspense fallback={<Spin size="large" className="page-spin" />}>
      <Routes>
        <Route path="/" element={<Navigate to="/dashboard" replace />} />
        <Route path="/dashboard" element={<DashboardPage />} />
        <Route path="/products" element={guarded('products', <ProductsPage />)} />
        <Route path="/suppliers" element={guarded('suppliers', <SuppliersPage />)} />
        <Route path="/warehouses" element={guarded('warehouses', <WarehousesPage />)} />
        <Route path="/customers" element={guarded('customers', <CustomersPage />)} />
        <Route path="/procurement" element={guarded('procurement', <ProcurementPage />)} />
        <Route path="/inventory" element={guarded('inventory', <InventoryPage />)} />
        <Route path="/orders" element={guarded('orders', <OrdersPage />)} />
        {UPCOMING_MODULES.map((m) => (
          <Route key={m} path={`/${m}`} element={<ModuleUnavailablePage module={m} />} />
        ))}
        <Route path="/users" element={guarded('users', <UsersPage />)} />
        <Route path="/audit" element={guarded('audit', <AuditPage />)} />
        <Route path="/settings" element={guarded('settings', <SettingsPage />)} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Suspense>
  );
}
