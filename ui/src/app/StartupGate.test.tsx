import { describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../App';
import i18n from '../i18n';
import { admin, apiError, appStatus, clerk } from '../test/fixtures';
import { inputsOf, mockCommands } from '../test/harness';

async function renderApp(language: 'zh-CN' | 'en' = 'zh-CN') {
  await i18n.changeLanguage(language);
  window.localStorage.setItem('shopdesk.language', language);
  return render(<App />);
}

const emptyDashboard = {
  products: 0,
  active_products: 0,
  archived_products: 0,
  suppliers: 0,
  approved_suppliers: 0,
  warehouses: 0,
  locations: 0,
  customers: 0,
  vip_customers: 0,
  expiring_certificates: [],
  products_by_category: [],
  recent_changes: [],
};

describe('start-up', () => {
  it('shows the start-up error with the database URL and retries', async () => {
    let attempts = 0;
    const calls = mockCommands({
      app_status: () => {
        attempts += 1;
        return appStatus(null, {
          db_url: 'postgres://shop@10.0.0.5/shopdesk',
          db_kind: 'postgres',
          startup_error: apiError('db.connect', { message: 'connection refused' }),
        });
      },
    });
    await renderApp();
    expect(await screen.findByTestId('startup-error')).toHaveTextContent('无法连接数据库：connection refused');
    expect(screen.getByTestId('startup-db-url')).toHaveTextContent('postgres://shop@10.0.0.5/shopdesk');
    await userEvent.click(screen.getByTestId('startup-retry'));
    await waitFor(() => expect(attempts).toBe(2));
    expect(inputsOf(calls, 'app_status')).toEqual([null, null]);
  });

  it('shows the first-start page when the core needs setup', async () => {
    mockCommands({ app_status: () => appStatus(null, { needs_setup: true, company: null }) });
    await renderApp();
    expect(await screen.findByTestId('setup-username')).toBeInTheDocument();
    expect(screen.getByTestId('page-title')).toHaveTextContent('首次启动：创建管理员');
  });

  it('logs in and lands on the dashboard', async () => {
    let user: typeof admin | null = null;
    const calls = mockCommands({
      app_status: () => appStatus(user),
      login: () => {
        user = admin;
        return admin;
      },
      dashboard: () => emptyDashboard,
    });
    await renderApp();
    await userEvent.type(await screen.findByTestId('login-username'), 'admin');
    await userEvent.type(screen.getByTestId('login-password'), 'secret-123');
    await userEvent.click(screen.getByTestId('login-submit'));
    await waitFor(() => expect(screen.getByTestId('page-title')).toHaveTextContent('仪表盘'));
    expect(inputsOf(calls, 'login')).toEqual([{ username: 'admin', password: 'secret-123' }]);
  });

  it('says so when the password is wrong', async () => {
    mockCommands({
      app_status: () => appStatus(null),
      login: () => {
        throw apiError('auth.invalid_credentials');
      },
    });
    await renderApp('en');
    await userEvent.type(await screen.findByTestId('login-username'), 'admin');
    await userEvent.type(screen.getByTestId('login-password'), 'wrong-password');
    await userEvent.click(screen.getByTestId('login-submit'));
    expect(await screen.findByTestId('login-error')).toHaveTextContent('Wrong user name or password.');
  });

  it('hides the menu entries the role may not use', async () => {
    mockCommands({ app_status: () => appStatus(clerk), dashboard: () => emptyDashboard });
    await renderApp();
    expect(await screen.findByTestId('nav-products')).toBeInTheDocument();
    expect(screen.getByTestId('nav-dashboard')).toBeInTheDocument();
    expect(screen.getByTestId('nav-procurement')).toBeInTheDocument();
    expect(screen.queryByTestId('nav-users')).not.toBeInTheDocument();
    expect(screen.queryByTestId('nav-audit')).not.toBeInTheDocument();
    expect(screen.queryByTestId('nav-settings')).not.toBeInTheDocument();
  });

  it('opens a module of a later version with a plain statement', async () => {
    mockCommands({ app_status: () => appStatus(admin), dashboard: () => emptyDashboard });
    await renderApp();
    await userEvent.click(await screen.findByTestId('nav-returns'));
    expect(await screen.findByTestId('module-unavailable')).toHaveTextContent('当前版本尚未提供“退换货与客服”模块');
  });
});
