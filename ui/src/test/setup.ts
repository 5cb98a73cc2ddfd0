import '@testing-library/jest-dom/vitest';
import { afterEach } from 'vitest';
import { cleanup, configure } from '@testing-library/react';
import { clearMocks } from '@tauri-apps/api/mocks';
import '../i18n';

// Pages are lazy chunks and antd is heavy in jsdom: on a busy 2-core machine the first render can take seconds.
configure({ asyncUtilTimeout: 5000 });

// jsdom lacks what antd's responsive and resizing components call.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }),
});

class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
window.ResizeObserver = ResizeObserverStub as unknown as typeof ResizeObserver;

// jsdom does not implement getComputedStyle for pseudo-elements (antd asks for scrollbar sizes).
const getComputedStyle = window.getComputedStyle.bind(window);
window.getComputedStyle = (elt: Element) => getComputedStyle(elt);

afterEach(() => {
  cleanup();
  clearMocks();
  window.localStorage.clear();
  window.location.hash = '';
});
