import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import type { NewUser } from '../../bindings/NewUser';
import { AppProviders } from '../../app/AppProviders';
import i18n from '../../i18n';
import { admin } from '../../test/fixtures';
import { inputsOf, mockCommands, testClient } from '../../test/harness';
import { SetupPage } from './SetupPage';

async function renderSetup() {
  await i18n.changeLanguage('zh-CN');
  const onAdminCreated = vi.fn();
  const onFinished = vi.fn();
  render(
    <AppProviders client={testClient()}>
      <MemoryRouter>
        <SetupPage onAdminCreated={onAdminCreated} onFinished={onFinished} />
      </MemoryRouter>
    </AppProviders>,
  );
  return { onAdminCreated, onFinished };
}

function formItemOf(testId: string): HTMLElement {
  return screen.getByTestId(testId).closest('.ant-form-item') as HTMLElement;
}

describe('SetupPage', () => {
  it('refuses a password shorter than 8 characters without calling the core', async () => {
    const calls = mockCommands({});
    await renderSetup();
    const password = screen.getByTestId('setup-password');
    expect(password.tagName).toBe('INPUT');
    await userEvent.type(screen.getByTestId('setup-display-name'), '王店长');
    await userEvent.type(password, 'short');
    await userEvent.type(screen.getByTestId('setup-password2'), 'short');
    await userEvent.click(screen.getByTestId('setup-submit'));

    await waitFor(() => expect(formItemOf('setup-password')).toHaveTextContent('至少 8 个字符'));
    expect(calls).toHaveLength(0);
  });

  it('refuses two different passwords', async () => {
    const calls = mockCommands({});
    await renderSetup();
    await userEvent.type(screen.getByTestId('setup-password'), 'long-enough-1');
    await userEvent.type(screen.getByTestId('setup-password2'), 'long-enough-2');
    await userEvent.click(screen.getByTestId('setup-submit'));
    await waitFor(() => expect(formItemOf('setup-password2')).toHaveTextContent('两次输入的密码不一致'));
    expect(calls).toHaveLength(0);
  });

  it('creates the administrator, then loads the demo company and shows its password', async () => {
    const calls = mockCommands({
      setup_admin: () => admin,
      load_demo: () => ({
        products: 1200,
        suppliers: 40,
        warehouses: 2,
        locations: 96,
        customers: 300,
        users: 6,
        user_password: 'demo1234',
      }),
    });
    const { onAdminCreated, onFinished } = await renderSetup();
    const username = screen.getByTestId('setup-username');
    await userEvent.clear(username);
    await userEvent.type(username, 'boss');
    await userEvent.type(screen.getByTestId('setup-display-name'), '王店长');
    await userEvent.type(screen.getByTestId('setup-password'), 'secret-123');
    await userEvent.type(screen.getByTestId('setup-password2'), 'secret-123');
    await userEvent.click(screen.getByTestId('setup-submit'));

    await userEvent.click(await screen.findByTestId('demo-load'));
    expect(await screen.findByTestId('demo-password')).toHaveTextContent('demo1234');
    expect(screen.getByTestId('demo-summary')).toHaveTextContent('1200');
    expect(onAdminCreated).toHaveBeenCalledOnce();

    expect(inputsOf(calls, 'setup_admin')).toEqual([
      { username: 'boss', display_name: '王店长', password: 'secret-123', role: 'admin', language: 'zh-CN' } satisfies NewUser,
    ]);
    expect(inputsOf(calls, 'load_demo')).toEqual([{ seed: null }]);

    await userEvent.click(screen.getByTestId('demo-continue'));
    expect(onFinished).toHaveBeenCalledOnce();
  });
});
