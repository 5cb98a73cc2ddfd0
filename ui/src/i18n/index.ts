import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import { LANGUAGES, NAMESPACES, resources } from './resources';
import type { Language } from './resources';

export { LANGUAGES, NAMESPACES };
export type { Language };

export const DEFAULT_LANGUAGE: Language = 'zh-CN';
const STORAGE_KEY = 'shopdesk.language';

export function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

export function storedLanguage(): Language | null {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(v) ? v : null;
  } catch {
    return null;
  }
}

function rememberLanguage(lang: Language) {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode or a full disk: the language still applies for this session.
  }
}

function syncDocument(lang: Language) {
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

/** Switches the UI language at once (texts, antd, dates) and remembers it on this computer. */
export async function applyLanguage(lang: Language): Promise<void> {
  rememberLanguage(lang);
  syncDocument(lang);
  if (i18n.language !== lang) await i18n.changeLanguage(lang);
}

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
}

const initial = storedLanguage() ?? DEFAULT_LANGUAGE;
syncDocument(initial);

void i18n.use(initReactI18next).init({
  resources,
  lng: initial,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  ns: [...NAMESPACES],
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
  react: { useSuspense: false },
});

export default i18n;
