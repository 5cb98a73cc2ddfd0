import type { Actor } from '../bindings/Actor';
import type { ApiError } from '../bindings/ApiError';
import type { AppStatus } from '../bindings/AppStatus';
import type { Permission } from '../bindings/Permission';
import type { Product } from '../bindings/Product';

export const ALL_PERMISSIONS: Permission[] = [
  'view_master_data',
  'export_data',
  'edit_products',
  'edit_suppliers',
  'edit_warehouses',
  'edit_customers',
  'view_audit',
  'manage_users',
  'edit_settings',
  'backup',
  'load_demo',
];

export const admin: Actor = {
  user_id: 1,
  username: 'admin',
  display_name: '王店长',
  role: 'admin',
  language: 'zh-CN',
  permissions: ALL_PERMISSIONS,
};

export const clerk: Actor = {
  user_id: 2,
  username: 'caigou',
  display_name: '采购小李',
  role: 'purchasing',
  language: 'zh-CN',
  permissions: ['view_master_data', 'export_data', 'edit_products', 'edit_suppliers'],
};

export function appStatus(user: Actor | null, patch: Partial<AppStatus> = {}): AppStatus {
  return {
    needs_setup: false,
    user,
    db_url: 'sqlite:///home/test/.local/share/shopdesk/shopdesk.db',
    db_kind: 'sqlite',
    data_dir: '/home/test/.local/share/shopdesk',
    version: '0.1.0',
    default_language: 'zh-CN',
    company: { company_name: '测试商贸有限公司', time_zone: 'Asia/Shanghai', currency: 'CNY' },
    startup_error: null,
    ...patch,
  };
}

export function product(id: number, patch: Partial<Product> = {}): Product {
  return {
    id,
    sku: `SKU-${id}`,
    barcode: null,
    name: `商品 ${id}`,
    spec: '',
    unit: '件',
    category: '茶叶',
    brand: '西湖',
    cost: '10.0000',
    price: '19.9000',
    currency: 'CNY',
    safety_stock: 5,
    status: 'active',
    created_at: '2026-01-02T03:04:05Z',
    updated_at: '2026-01-02T03:04:05Z',
    ...patch,
  };
}

export function apiError(code: string, patch: Partial<ApiError> = {}): ApiError {
  return {
    code,
    message: `${code} (English fallback)`,
    field: null,
    file: null,
    sheet: null,
    row: null,
    column: null,
    params: {},
    details: [],
    ...patch,
  };
}
