import zhCommon from './locales/zh-CN/common.json';
import zhAuth from './locales/zh-CN/auth.json';
import zhDashboard from './locales/zh-CN/dashboard.json';
import zhProducts from './locales/zh-CN/products.json';
import zhSuppliers from './locales/zh-CN/suppliers.json';
import zhWarehouses from './locales/zh-CN/warehouses.json';
import zhCustomers from './locales/zh-CN/customers.json';
import zhAudit from './locales/zh-CN/audit.json';
import zhSettings from './locales/zh-CN/settings.json';
import zhUsers from './locales/zh-CN/users.json';
import zhErrors from './locales/zh-CN/errors.json';
import zhModules from './locales/zh-CN/modules.json';
import zhProcurement from './locales/zh-CN/procurement.json';
import zhInventory from './locales/zh-CN/inventory.json';
import zhOrders from './locales/zh-CN/orders.json';
import enCommon from './locales/en/common.json';
import enAuth from './locales/en/auth.json';
import enDashboard from './locales/en/dashboard.json';
import enProducts from './locales/en/products.json';
import enSuppliers from './locales/en/suppliers.json';
import enWarehouses from './locales/en/warehouses.json';
import enCustomers from './locales/en/customers.json';
import enAudit from './locales/en/audit.json';
import enSettings from './locales/en/settings.json';
import enUsers from './locales/en/users.json';
import enErrors from './locales/en/errors.json';
import enModules from './locales/en/modules.json';
import enProcurement from './locales/en/procurement.json';
import enInventory from './locales/en/inventory.json';
import enOrders from './locales/en/orders.json';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** One JSON file per module per language. */
export const NAMESPACES = ['common', 'auth', 'dashboard', 'products', 'suppliers', 'warehouses', 'customers', 'audit', 'settings', 'users', 'errors', 'modules', 'procurement', 'inventory', 'orders'] as const;

export const resources = {
  'zh-CN': {
    common: zhCommon,
    auth: zhAuth,
    dashboard: zhDashboard,
    products: zhProducts,
    suppliers: zhSuppliers,
    warehouses: zhWarehouses,
    customers: zhCustomers,
    audit: zhAudit,
    settings: zhSettings,
    users: zhUsers,
    errors: zhErrors,
    modules: zhModules,
    procurement: zhProcurement,
    inventory: zhInventory,
    orders: zhOrders,
  },
  'en': {
    common: enCommon,
    auth: enAuth,
    dashboard: enDashboard,
    products: enProducts,
    suppliers: enSuppliers,
    warehouses: enWarehouses,
    customers: enCustomers,
    audit: enAudit,
    settings: enSettings,
    users: enUsers,
    errors: enErrors,
    modules: enModules,
    procurement: enProcurement,
    inventory: enInventory,
    orders: enOrders,
  },
} as const;
