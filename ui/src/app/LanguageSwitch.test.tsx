import { describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../App';
import i18n from '../i18n';
import { admin, appStatus } from '../test/fixtures';
import { inputsOf, mockCommands } from '../test/harness';

const dashboard = {
  products: 3,
  active_products: 2,
  archived_products: 1,
  suppliers: 1,
  approved_suppliers: 1,
  warehouses: 1,
  locations: 4,
  customers: 2,
  vip_customers: 1,
  expiring_certificates: [],
  products_by_category: [],
  recent_changes: [],
};

describe('language switch', () => {
  it('switches the whole window from English to Chinese and tells the core', async () => {
    await i18n.changeLanguage('en');
    window.localStorage.setItem('shopdesk.language', 'en');
    const calls = mockCommands({
      app_status: () => appStatus({ ...admin, language: 'en' }),
      dashboard: () => dashboard,
      set_language: () => null,
    });
    render(<App />);

    const toggle = await screen.findByTestId('lang-switch');
    expect(toggle).toHaveAttribute('data-lang', 'en');
    expect(await screen.findByTestId('page-title')).toHaveTextContent('Dashboard');
    expect(screen.getByTestId('nav-products')).toHaveTextContent('Products');
    expect(screen.getByText('Log out')).toBeInTheDocument();

    await userEvent.click(toggle);

    await waitFor(() => expect(screen.getByTestId('page-title')).toHaveTextContent('仪表盘'));
    expect(screen.getByTestId('nav-products')).toHaveTextContent('商品');
    expect(screen.getByTestId('nav-warehouses')).toHaveTextContent('仓库与库位');
    expect(screen.getByText('退出登录')).toBeInTheDocument();
    expect(screen.getByTestId('lang-switch')).toHaveAttribute('data-lang', 'zh-CN');
    expect(screen.getByTestId('lang-switch')).toHaveTextContent('English');
    expect(window.localStorage.getItem('shopdesk.language')).toBe('zh-CN');
    await waitFor(() => expect(inputsOf(calls, 'set_language')).toEqual([{ language: 'zh-CN' }]));
  });

  it('works on the login page too, before anyone is logged in', async () => {
    await i18n.changeLanguage('zh-CN');
    window.localStorage.setItem('shopdesk.language', 'zh-CN');
    const calls = mockCommands({ app_status: () => appStatus(null), set_language: () => null });
    render(<App />);
    expect(await screen.findByTestId('page-title')).toHaveTextContent('登录店务台');
    await userEvent.click(screen.getByTestId('lang-switch'));
    await waitFor(() => expect(screen.getByTestId('page-title')).toHaveTextContent('Log in to Shopdesk'));
    expect(screen.getByTestId('login-submit')).toHaveTextContent('Log in');
    await waitFor(() => expect(inputsOf(calls, 'set_language')).toEqual([{ language: 'en' }]));
  });

  it('keeps a language chosen before login and saves it with the account', async () => {
    await i18n.changeLanguage('zh-CN');
    window.localStorage.setItem('shopdesk.language', 'zh-CN');
    let user: typeof admin | null = null;
    const calls = mockCommands({
      app_status: () => appStatus(user),
      set_language: () => null,
      login: () => {
        user = admin; // saved language: zh-CN
        return admin;
      },
      dashboard: () => dashboard,
    });
    render(<App />);
    await userEvent.click(await screen.findByTestId('lang-switch'));
    await waitFor(() => expect(screen.getByTestId('page-title')).toHaveTextContent('Log in to Shopdesk'));
    await userEvent.type(screen.getByTestId('login-username'), 'admin');
    await userEvent.type(screen.getByTestId('login-password'), 'secret-123');
    await userEvent.click(screen.getByTestId('login-submit'));

    await waitFor(() => expect(screen.getByTestId('page-title')).toHaveTextContent('Dashboard'));
    await waitFor(() => expect(inputsOf(calls, 'set_language')).toEqual([{ language: 'en' }, { language: 'en' }]));
  });
});
