import { useCallback } from 'react';
import { App } from 'antd';
import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { toApiError } from './apiError';
import type { ApiError, FieldError } from './apiError';

/** Parameters whose values are themselves codes with a translation of their own. */
const TRANSLATED_PARAMS: Record<string, string> = {
  entity: 'common:entities.',
  permission: 'users:permissions.',
  role: 'users:roles.',
};

function translateParams(t: TFunction, params: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const prefix = TRANSLATED_PARAMS[key];
    out[key] = prefix ? t(prefix + value, { defaultValue: value }) : value;
  }
  return out;
}

/** The translated text of an error (`errors:<code>`), falling back to the core's English message. */
export function errorMessage(t: TFunction, err: unknown): string {
  const e = toApiError(err);
  return t(`errors:${e.code}`, {
    ...translateParams(t, e.params),
    message: e.message,
    count: e.details.length,
    defaultValue: e.message,
  });
}

/** The field a problem is about, as a translation context: its last name (`parcels[0].qty` → `qty`). */
function fieldContext(field: string): string | undefined {
  const last = fieldPath(field).filter((p): p is string => typeof p === 'string').pop();
  return last && /^[a-z_]+$/.test(last) ? last : undefined;
}

/**
 * The translated text of one field problem (`errors:field.<code>`). A code that means something more precise on
 * one field has its own text under `errors:field.<code>_<field>` (e.g. `field.duplicate_tracking_no`), used first.
 */
export function fieldErrorMessage(t: TFunction, fe: FieldError): string {
  return t(`errors:field.${fe.code}`, { ...translateParams(t, fe.params), context: fieldContext(fe.field), defaultValue: fe.code });
}

/** An error shown on its own, with no form to mark: the field problems in words, or else the error's text. */
export function problemText(t: TFunction, err: unknown): string {
  const e = toApiError(err);
  if (e.code === 'validation' && e.details.length > 0) return e.details.map((fe) => fieldErrorMessage(t, fe)).join('；');
  return errorMessage(t, e);
}

/** `certificates.0.kind` or `certificates[0].kind` → `['certificates', 0, 'kind']`. */
export function fieldPath(field: string): (string | number)[] {
  return field
    .split(/[.[\]]+/)
    .filter((part) => part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function hasPath(store: unknown, path: (string | number)[]): boolean {
  let cur: unknown = store;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null || !(key in cur)) return false;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return true;
}

/**
 * Shows the field problems of a validation error on the form's fields.
 * Returns the problems that name no field of this form, so the caller can show them elsewhere.
 */
export function applyFieldErrors(form: FormInstance, err: ApiError, t: TFunction): FieldError[] {
  const store: unknown = form.getFieldsValue(true);
  const placed = new Map<string, { name: (string | number)[]; errors: string[] }>();
  const unplaced: FieldError[] = [];
  for (const fe of err.details) {
    const name = fieldPath(fe.field);
    if (name.length === 0 || !hasPath(store, name)) {
      unplaced.push(fe);
      continue;
    }
    const key = name.join('.');
    const entry = placed.get(key) ?? { name, errors: [] };
    entry.errors.push(fieldErrorMessage(t, fe));
    placed.set(key, entry);
  }
  form.setFields([...placed.values()]);
  return unplaced;
}

/**
 * One place that reports a failed command: field problems go onto the form's fields when a form is given,
 * everything else becomes a translated message.
 */
export function useErrorReporter() {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return useCallback(
    (err: unknown, form?: FormInstance) => {
      const e = toApiError(err);
      const rest = form ? applyFieldErrors(form, e, t) : e.details;
      const lines = [errorMessage(t, e), ...rest.map((fe) => `${fe.field}: ${fieldErrorMessage(t, fe)}`)];
      void message.error(lines.join('；'));
    },
    [message, t],
  );
}
