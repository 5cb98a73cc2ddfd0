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
/** The session whose language was adopted: later refreshes of the same session never switch the language. */
let adoptedFor: number | null = null;

/**
 * Called whenever the logged-in user is known (start-up, login, setup) and with null after logout. Once per session
 * it uses the language saved with the account, unless the user just chose one before logging in, which is then saved
 * with the account instead.
 */
export function adoptUserLanguage(actor: Actor | null): void {
  if (!actor) {
    adoptedFor = null;
    return;
  }
  if (adoptedFor === actor.user_id) return;
  adoptedFor = actor.user_id;
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
      // Before login the choice is remembered for the account that logs in next; after login it is saved at once.
      chosenHere = !qc.getQueryData<AppStatus>(appKeys.status)?.user;
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
