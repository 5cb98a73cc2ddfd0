import type { ApiError } from '../bindings/ApiError';
import type { FieldError } from '../bindings/FieldError';

export type { ApiError, FieldError };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(v)) {
    for (const [k, val] of Object.entries(v)) {
      if (val !== undefined && val !== null) out[k] = String(val);
    }
  }
  return out;
}

function textOrNull(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export function isApiError(e: unknown): e is ApiError {
  return isRecord(e) && typeof e.code === 'string' && typeof e.message === 'string';
}

export function internalError(message: string): ApiError {
  return {
    code: 'internal',
    message,
    field: null,
    file: null,
    sheet: null,
    row: null,
    column: null,
    params: {},
    details: [],
  };
}

/** Normalises anything a command may reject with into a complete `ApiError`. */
export function toApiError(e: unknown): ApiError {
  if (isApiError(e)) {
    const raw = e as unknown as Record<string, unknown>;
    const details: FieldError[] = Array.isArray(raw.details)
      ? raw.details.filter(isRecord).map((d) => ({
          field: String(d.field ?? ''),
          code: String(d.code ?? 'invalid'),
          params: stringMap(d.params),
        }))
      : [];
    return {
      code: e.code,
      message: e.message,
      field: textOrNull(raw.field),
      file: textOrNull(raw.file),
      sheet: textOrNull(raw.sheet),
      row: typeof raw.row === 'number' ? raw.row : null,
      column: textOrNull(raw.column),
      params: stringMap(raw.params),
      details,
    };
  }
  if (typeof e === 'string') return internalError(e);
  if (e instanceof Error) return internalError(e.message);
  return internalError(String(e));
}
