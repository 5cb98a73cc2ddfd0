import type { ReactNode } from 'react';
import {
  AccountBookOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BarChartOutlined,
  ContactsOutlined,
  ControlOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  HomeOutlined,
  InboxOutlined,
  ProfileOutlined,
  SettingOutlined,
  ShopOutlined,
  ShoppingCartOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { Permission } from '../bindings/Permission';

/** Modules of PRODUCT.md that this version does not have yet: they open a page that says so. */
export const UPCOMING_MODULES = ['returns', 'settlement', 'analytics'] as const;
export type UpcomingModule = (typeof UPCOMING_MODULES)[number];

export type NavLeaf = {
  key: string;
  path: string;
  icon: ReactNode;
  /** Shown when the user has any of these permissions (always when empty). */
  anyOf?: Permission[];
};

export type NavGroup = { key: string; icon: ReactNode; children: NavLeaf[] };

export type NavEntry = NavLeaf | NavGroup;

export function isGroup(e: NavEntry): e is NavGroup {
  return 'children' in e;
}

/** Every module of the product, in the order of the menu. Labels are `common:nav.<key>`. */
export const NAVIGATION: NavEntry[] = [
  { key: 'dashboard', path: '/dashboard', icon: <DashboardOutlined /> },
  {
    key: 'masterData',
    icon: <DatabaseOutlined />,
    children: [
      { key: 'products', path: '/products', icon: <AppstoreOutlined />, anyOf: ['view_master_data'] },
      { key: 'suppliers', path: '/suppliers', icon: <ShopOutlined />, anyOf: ['view_master_data'] },
      { key: 'warehouses', path: '/warehouses', icon: <HomeOutlined />, anyOf: ['view_master_data'] },
      { key: 'customers', path: '/customers', icon: <ContactsOutlined />, anyOf: ['view_master_data'] },
    ],
  },
  { key: 'procurement', path: '/procurement', icon: <ShoppingCartOutlined />, anyOf: ['view_master_data'] },
  { key: 'inventory', path: '/inventory', icon: <InboxOutlined />, anyOf: ['view_master_data'] },
  { key: 'orders', path: '/orders', icon: <ProfileOutlined />, anyOf: ['view_orders'] },
  { key: 'returns', path: '/returns', icon: <CustomerServiceOutlined /> },
  { key: 'settlement', path: '/settlement', icon: <AccountBookOutlined /> },
  { key: 'analytics', path: '/analytics', icon: <BarChartOutlined /> },
  {
    key: 'system',
    icon: <ControlOutlined />,
    children: [
      { key: 'users', path: '/users', icon: <TeamOutlined />, anyOf: ['manage_users'] },
      { key: 'audit', path: '/audit', icon: <AuditOutlined />, anyOf: ['view_audit'] },
      { key: 'settings', path: '/settings', icon: <SettingOutlined />, anyOf: ['edit_settings', 'backup'] },
    ],
  },
];

export function allowed(leaf: NavLeaf, can: (p: Permission) => boolean): boolean {
  return !leaf.anyOf || leaf.anyOf.length === 0 || leaf.anyOf.some(can);
}

/** The menu as this user may use it: forbidden leaves and empty groups are left out. */
export function visibleNavigation(can: (p: Permission) => boolean): NavEntry[] {
  const out: NavEntry[] = [];
  for (const e of NAVIGATION) {
    if (isGroup(e)) {
      const children = e.children.filter((c) => allowed(c, can));
      if (children.length > 0) out.push({ ...e, children });
    } else if (allowed(e, can)) {
      out.push(e);
    }
  }
  return out;
}

export function findLeaf(key: string): NavLeaf | undefined {
  for (const e of NAVIGATION) {
    if (isGroup(e)) {
      const c = e.children.find((x) => x.key === key);
      if (c) return c;
    } else if (e.key === key) {
      return e;
    }
  }
  return undefined;
}
