import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { mockIPC } from '@tauri-apps/api/mocks';
import type { Actor } from '../bindings/Actor';
import type { AppStatus } from '../bindings/AppStatus';
import type { Commands } from '../bindings/commands';
import { AppProviders } from '../app/AppProviders';
import { SessionProvider } from '../app/session';
import i18n from '../i18n';
import type { Language } from '../i18n';
import { appStatus } from './fixtures';

export type Handlers = {
  [K in keyof Commands]?: (input: Commands[K]['input']) => Commands[K]['output'] | Promise<Commands[K]['output']>;
};

export type Call = { cmd: string; args: Record<string, unknown> | undefined };

/** Stands in for the core: each command answers from its handler; an unexpected command fails the call. */
export function mockCommands(handlers: Handlers): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, payload) => {
    const args = payload as Record<string, unknown> | undefined;
    calls.push({ cmd, args });
    const handler = (handlers as Record<string, ((input: unknown) => unknown) | undefined>)[cmd];
    if (!handler) throw { code: 'internal', message: `no mock for ${cmd}` };
    return handler(args && 'input' in args ? args.input : null);
  });
  return calls;
}

export function inputsOf(calls: Call[], cmd: string): unknown[] {
  return calls.filter((c) => c.cmd === cmd).map((c) => c.args?.input ?? null);
}

export function testClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false }, mutations: { retry: false } } });
}

type Options = { actor: Actor; status?: AppStatus; route?: string; language?: Language };

/** Renders one page inside the app's providers, logged in as `actor`. */
export async function renderPage(ui: ReactElement, { actor, status, route = '/', language = 'zh-CN' }: Options) {
  await i18n.changeLanguage(language);
  const client = testClient();
  const result = render(
    <AppProviders client={client}>
      <MemoryRouter initialEntries={[route]}>
        <SessionProvider actor={actor} status={status ?? appStatus(actor)}>
          {ui}
        </SessionProvider>
      </MemoryRouter>
    </AppProviders>,
  );
  return { ...result, client };
}
