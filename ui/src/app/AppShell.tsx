import type { ButtonProps } from 'antd';
import { useMemo, useState } from 'react';
import { App, Avatar, Button, Layout, Menu, Space, Tag, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { LogoutOutlined, ShopOutlined, UserOutlined } from '@ant-design/icons';
import { useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../api/invoke';
import { useErrorReporter } from '../api/errors';
import { appKeys } from './appKeys';
import { LanguageSwitch } from './LanguageSwitch';
import { isGroup, visibleNavigation } from './navigation';
import type { NavLeaf } from './navigation';
import { AppRoutes } from './routes';
import { useSession, useSetSessionUser } from './session';

const { Sider, Header, Content } = Layout;

function leafItem(leaf: NavLeaf, label: string) {
  return {
    key: leaf.key,
    icon: leaf.icon,
    label: <span data-testid={`nav-${leaf.key}`}>{label}</span>,
  };
}

export function AppShell() {
  const { t } = useTranslation();
  const { actor, status, can } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const setUser = useSetSessionUser();
  const report = useErrorReporter();
  const { modal } = App.useApp();
  const [collapsed, setCollapsed] = useState(false);
  const [openKeys, setOpenKeys] = useState<string[]>(['masterData', 'system']);

  const nav = useMemo(() => visibleNavigation(can), [can]);
  const paths = useMemo(() => {
    const m = new Map<string, string>();
    for (const e of nav) for (const l of isGroup(e) ? e.children : [e]) m.set(l.key, l.path);
    return m;
  }, [nav]);

  const items: MenuProps['items'] = nav.map((e) =>
    isGroup(e)
      ? {
          key: e.key,
          icon: e.icon,
          label: t(`common:nav.${e.key}`),
          children: e.children.map((c) => leafItem(c, t(`common:nav.${c.key}`))),
        }
      : leafItem(e, t(`common:nav.${e.key}`)),
  );

  const selected = location.pathname.split('/')[1] || 'dashboard';

  const logout = () =>
    modal.confirm({
      title: t('common:header.logoutConfirm'),
      okText: t('common:header.logout'),
      cancelText: t('common:actions.cancel'),
      okButtonProps: { 'data-testid': 'logout-confirm' } as ButtonProps,
      onOk: async () => {
        try {
          await call('logout', null);
        } catch (e) {
          report(e);
          return;
        }
        qc.removeQueries({ predicate: (q) => q.queryKey[0] !== appKeys.all[0] });
        setUser(null);
        navigate('/dashboard', { replace: true });
      },
    });

  return (
    <Layout className="app-shell">
      <Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={216}
        breakpoint="lg"
        className="app-sider"
      >
        <div className="app-logo" title={t('common:app.name')}>
          <ShopOutlined />
          {!collapsed && <span>{t('common:app.name')}</span>}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          items={items}
          selectedKeys={[selected]}
          openKeys={collapsed ? undefined : openKeys}
          onOpenChange={setOpenKeys}
          onClick={({ key }) => {
            const path = paths.get(key);
            if (path) navigate(path);
          }}
        />
      </Sider>
      <Layout>
        <Header className="app-header">
          <Typography.Text strong className="app-company" data-testid="company-name">
            {status.company?.company_name ?? t('common:app.name')}
          </Typography.Text>
          <Space size="middle">
            <Space size={8} data-testid="current-user">
              <Avatar size="small" icon={<UserOutlined />} />
              <Typography.Text>{actor.display_name || actor.username}</Typography.Text>
              <Tag color={actor.role === 'admin' ? 'gold' : 'blue'}>{t(`users:roles.${actor.role}`)}</Tag>
            </Space>
            <LanguageSwitch />
            <Button icon={<LogoutOutlined />} onClick={logout} data-testid="logout">
              {t('common:header.logout')}
            </Button>
          </Space>
        </Header>
        <Content className="app-content">
          <AppRoutes />
        </Content>
      </Layout>
    </Layout>
  );
}
