import { describe, expect, it } from 'vitest';
import { checkBarcode, checkEmail, checkPhone, checkUnitPrice, gtinCheckDigit } from './validation';

describe('client-side checks mirror the core', () => {
  it('unit prices: optional, plain decimals, not negative, at most 4 decimals', () => {
    expect(checkUnitPrice('')).toBeNull();
    expect(checkUnitPrice('12.5')).toBeNull();
    expect(checkUnitPrice('0.0125')).toBeNull();
    expect(checkUnitPrice('1,234.50')).toBeNull();
    expect(checkUnitPrice('12.50000')).toBeNull();
    expect(checkUnitPrice('0.00125')).toEqual({ code: 'too_many_decimals', params: { max: 4 } });
    expect(checkUnitPrice('-1')).toEqual({ code: 'negative' });
    expect(checkUnitPrice('1e3')).toEqual({ code: 'number' });
    expect(checkUnitPrice('¥12')).toEqual({ code: 'number' });
  });

  it('barcodes: digits, GTIN lengths and the GS1 check digit', () => {
    expect(gtinCheckDigit('400638133393')).toBe(1);
    expect(checkBarcode('')).toBeNull();
    expect(checkBarcode('4006381333931')).toBeNull();
    expect(checkBarcode('96385074')).toBeNull();
    expect(checkBarcode('4006381333932')).toEqual({ code: 'barcode_check_digit', params: { expected: 1 } });
    expect(checkBarcode('40063813339')).toEqual({ code: 'barcode_length' });
    expect(checkBarcode('4006-381')).toEqual({ code: 'barcode_digits' });
  });

  it('phones and emails', () => {
    expect(checkPhone('13812345678')).toBeNull();
    expect(checkPhone('021-6888 1234')).toBeNull();
    expect(checkPhone('1381234567a')).toEqual({ code: 'phone' });
    expect(checkPhone('123')).toEqual({ code: 'phone' });
    expect(checkEmail('li@example.cn')).toBeNull();
    expect(checkEmail('li@example')).toEqual({ code: 'email' });
  });
});
