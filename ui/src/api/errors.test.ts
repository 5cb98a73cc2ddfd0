import { afterAll, describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { apiError } from '../test/fixtures';
import { errorMessage, fieldErrorMessage, fieldPath, problemText } from './errors';

describe('errorMessage', () => {
  afterAll(() => i18n.changeLanguage('zh-CN'));

  it('translates the code with its parameters, translating entity names too', async () => {
    await i18n.changeLanguage('zh-CN');
    const e = apiError('masterdata.duplicate', { params: { entity: 'product', value: 'TEA-1' } });
    expect(errorMessage(i18n.t, e)).toBe('商品「TEA-1」已存在。');
    await i18n.changeLanguage('en');
    expect(errorMessage(i18n.t, e)).toBe('A product “TEA-1” already exists.');
  });

  it('finds codes that are both a word and a prefix (db, db.connect)', async () => {
    await i18n.changeLanguage('en');
    expect(errorMessage(i18n.t, apiError('db', { message: 'disk I/O error' }))).toBe('Database error: disk I/O error');
    expect(errorMessage(i18n.t, apiError('db.connect', { message: 'refused' }))).toBe('Cannot connect to the database: refused');
  });

  it('falls back to the English message of the core for an unknown code', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(errorMessage(i18n.t, apiError('import.sheet_missing', { message: 'sheet 报价 not found' }))).toBe(
      'sheet 报价 not found',
    );
  });

  it('translates field errors with their parameters', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(fieldErrorMessage(i18n.t, { field: 'price', code: 'too_many_decimals', params: { max: '4' } })).toBe('最多 4 位小数');
    await i18n.changeLanguage('en');
    expect(fieldErrorMessage(i18n.t, { field: 'barcode', code: 'barcode_check_digit', params: { expected: '2' } })).toBe(
      'Wrong check digit: the last digit should be 2',
    );
  });
});

describe('field errors on one field', () => {
  afterAll(() => i18n.changeLanguage('zh-CN'));

  it('uses the text a code has on that field, and the general text elsewhere', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(fieldErrorMessage(i18n.t, { field: 'tracking_no', code: 'duplicate', params: {} })).toBe('该快递公司已有其他包裹使用此运单号');
    expect(fieldErrorMessage(i18n.t, { field: 'sku', code: 'duplicate', params: { value: 'TEA-1' } })).toBe('「TEA-1」已存在');
    await i18n.changeLanguage('en');
    expect(fieldErrorMessage(i18n.t, { field: 'status', code: 'not_open', params: {} })).toBe('Not possible in its current status');
    expect(fieldErrorMessage(i18n.t, { field: 'allocations[0].invoice_doc_no', code: 'not_open', params: { value: 'PI-1' } })).toBe(
      'PI-1 is not an open invoice of this supplier',
    );
  });

  it('says a problem with no form in words: the field problems, else the error', async () => {
    await i18n.changeLanguage('zh-CN');
    const e = apiError('validation', { details: [{ field: 'code', code: 'wrong_item', params: {} }] });
    expect(problemText(i18n.t, e)).toBe('不是本包裹的商品');
    expect(problemText(i18n.t, apiError('db', { message: 'disk full' }))).toBe('数据库错误：disk full');
  });
});

describe('fieldPath', () => {
  it('turns the core field names into antd name paths', () => {
    expect(fieldPath('sku')).toEqual(['sku']);
    expect(fieldPath('certificates.0.kind')).toEqual(['certificates', 0, 'kind']);
    expect(fieldPath('certificates[2].expires_on')).toEqual(['certificates', 2, 'expires_on']);
  });
});
