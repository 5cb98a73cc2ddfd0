import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Actor } from '../bindings/Actor';
import type { AppStatus } from '../bindings/AppStatus';
import { call } from '../api/invoke';
import { useErrorReporter } from '../api/errors';
import { applyLanguage, currentLanguage, isLanguage } from '../i18n';
import type { Language } from '../i18n';
import { appKeys } from './appKeys';

/** Set when the user picked a language on this screen: that choice beats the one saved with the account. */
let chosenHere = false;

/**
 * Called whenever the logged-in user is known (start-up, login, setup): uses the language saved with the account,
 * unless the user just chose one before logging in, which is then saved with the account instead.
 */
export function adoptUserLanguage(actor: Actor): void {
  const current = currentLanguage();
  if (chosenHere) {
    chosenHere = false;
    if (actor.language !== current) void call('set_language', { language: current }).catch(() => undefined);
    return;
  }
  if (isLanguage(actor.language) && actor.language !== current) void applyLanguage(actor.language);
}

export function useLanguageSwitch() {
  const { i18n } = useTranslation();
  const qc = useQueryClient();
  const report = useErrorReporter();
  const language: Language = isLanguage(i18n.language) ? i18n.language : currentLanguage();
  const next: Language = language === 'zh-CN' ? 'en' : 'zh-CN';

  const setLanguage = useCallback(
    async (lang: Language) => {
      chosenHere = true;
      await applyLanguage(lang);
      qc.setQueryData<AppStatus>(appKeys.status, (s) =>
        s && s.user ? { ...s, user: { ...s.user, language: lang } } : s,
      );
      try {
        await call('set_language', { language: lang });
      } catch (e) {
        report(e);
      }
    },
    [qc, report],
  );

  return { language, next, setLanguage, toggle: () => setLanguage(next) };
}
