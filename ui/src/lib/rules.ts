import { useMemo } from 'react';
import type { FormRule } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  charLength,
  checkBarcode,
  checkEmail,
  checkNoSpaces,
  checkPhone,
  checkUnitPrice,
} from './validation';
import type { FieldCheck } from './validation';

/** antd Form rules whose messages are the translated field-error codes (`errors:field.<code>`), as the core's. */
export function useRules() {
  const { t } = useTranslation();
  return useMemo(() => {
    const fail = (code: string, params?: Record<string, string | number>) =>
      Promise.reject(new Error(t(`errors:field.${code}`, params ?? {})));
    const fromCheck =
      (check: (v: string) => FieldCheck): FormRule =>
      () => ({
        validator: (_rule, value: unknown) => {
          if (typeof value !== 'string') return Promise.resolve();
          const r = check(value);
          return r ? fail(r.code, r.params) : Promise.resolve();
        },
      });
    return {
      /** Required, and not only spaces (the core trims); marks the label with the required asterisk. */
      required: (): FormRule => ({ required: true, whitespace: true, message: t('errors:field.required') }),
      maxLength: (max: number): FormRule => ({
        validator: (_rule, value: unknown) =>
          typeof value === 'string' && charLength(value) > max ? fail('too_long', { max }) : Promise.resolve(),
      }),
      minLength: (min: number): FormRule => ({
        validator: (_rule, value: unknown) =>
          typeof value === 'string' && value !== '' && [...value].length < min
            ? fail('too_short', { min })
            : Promise.resolve(),
      }),
      noSpaces: () => fromCheck(checkNoSpaces),
      unitPrice: () => fromCheck(checkUnitPrice),
      barcode: () => fromCheck(checkBarcode),
      phone: () => fromCheck(checkPhone),
      email: () => fromCheck(checkEmail),
      range: (min: number, max: number): FormRule => ({
        validator: (_rule, value: unknown) =>
          typeof value === 'number' && (value < min || value > max) ? fail('range', { min, max }) : Promise.resolve(),
      }),
      nonNegative: (): FormRule => ({
        validator: (_rule, value: unknown) =>
          typeof value === 'number' && value < 0 ? fail('negative') : Promise.resolve(),
      }),
    };
  }, [t]);
}
