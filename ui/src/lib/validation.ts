/**
 * Client-side checks that mirror the core's validation, so a form shows problems before it is sent.
 * The core checks again and stays the authority; these return the same field-error codes.
 */

export type FieldCheck = { code: string; params?: Record<string, string | number> } | null;

export const MAX_PRICE_DECIMALS = 4;
export const MIN_PASSWORD_LENGTH = 8;
export const BARCODE_LENGTHS = [8, 12, 13, 14];

/** Length in characters as the core counts them (Unicode scalar values), after trimming. */
export function charLength(v: string): number {
  return [...v.trim()].length;
}

/** A unit price or cost as decimal text: optional, not negative, at most 4 decimals. */
export function checkUnitPrice(value: string): FieldCheck {
  const t = value.trim().replace(/[,，\s]/g, '');
  if (t === '') return null;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t)) return { code: 'number' };
  if (t.startsWith('-') && /[1-9]/.test(t)) return { code: 'negative' };
  const decimals = (t.split('.')[1] ?? '').replace(/0+$/, '');
  if (decimals.length > MAX_PRICE_DECIMALS) return { code: 'too_many_decimals', params: { max: MAX_PRICE_DECIMALS } };
  return null;
}

/** The GS1 check digit of the digits before it. */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  const digits = [...body].reverse();
  digits.forEach((d, i) => {
    sum += Number(d) * (i % 2 === 0 ? 3 : 1);
  });
  return (10 - (sum % 10)) % 10;
}

/** GTIN-8/12/13/14 with a valid check digit; empty means "no barcode". */
export function checkBarcode(value: string): FieldCheck {
  const t = value.trim();
  if (t === '') return null;
  if (!/^\d+$/.test(t)) return { code: 'barcode_digits' };
  if (!BARCODE_LENGTHS.includes(t.length)) return { code: 'barcode_length' };
  const expected = gtinCheckDigit(t.slice(0, -1));
  if (Number(t.slice(-1)) !== expected) return { code: 'barcode_check_digit', params: { expected } };
  return null;
}

/** Mainland mobile numbers (11 digits starting with 1) or any 7–15 digit number with + - ( ) and spaces. */
export function checkPhone(value: string): FieldCheck {
  const v = value.trim();
  if (v === '') return null;
  const digits = (v.match(/\d/g) ?? []).length;
  const okChars = /^[\d+\-() ]+$/.test(v);
  const looksMobile = v.length === 11 && v.startsWith('1');
  const mobileOk = looksMobile && digits === 11;
  if (!okChars || digits < 7 || digits > 15 || (looksMobile && !mobileOk)) return { code: 'phone' };
  return null;
}

export function checkEmail(value: string): FieldCheck {
  const v = value.trim();
  if (v === '') return null;
  const at = v.indexOf('@');
  const user = at >= 0 ? v.slice(0, at) : '';
  const host = at >= 0 ? v.slice(at + 1) : '';
  const ok = at > 0 && user !== '' && host.includes('.') && !host.startsWith('.') && !host.endsWith('.') && !/\s/.test(v);
  return ok ? null : { code: 'email' };
}

export function checkNoSpaces(value: string): FieldCheck {
  return /\s/.test(value.trim()) ? { code: 'no_spaces' } : null;
}
