/**
 * Money from the core in minor units (fen, cents), shown as decimal text. Integer arithmetic only (BigInt and
 * string padding): a float never touches money.
 */

/** Digits after the decimal point of a currency's minor unit, as the core counts them (JPY/KRW/VND have none). */
export function minorDigits(currency: string): number {
  return ['JPY', 'KRW', 'VND'].includes(currency.toUpperCase()) ? 0 : 2;
}

/** `1990` → `"19.90"` in CNY, `-5` → `"-0.05"`, `1990` → `"1990"` in JPY. */
export function formatMinor(minor: number | bigint, currency = 'CNY'): string {
  const v = BigInt(minor);
  const negative = v < 0n;
  const digits = minorDigits(currency);
  const text = (negative ? -v : v).toString();
  if (digits === 0) return `${negative ? '-' : ''}${text}`;
  const padded = text.padStart(digits + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}
