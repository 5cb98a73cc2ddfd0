import { describe, expect, it } from 'vitest';
import { mockIPC } from '@tauri-apps/api/mocks';
import { call } from './invoke';
import { product } from '../test/fixtures';

describe('call', () => {
  it('sends the input as { input } and returns the output', async () => {
    const seen: unknown[] = [];
    mockIPC((cmd, payload) => {
      seen.push([cmd, payload]);
      return product(7);
    });
    const p = await call('product_get', { id: 7 });
    expect(p.sku).toBe('SKU-7');
    expect(seen).toEqual([['product_get', { input: { id: 7 } }]]);
  });

  it('invokes commands without input with no arguments', async () => {
    const seen: unknown[] = [];
    mockIPC((cmd, payload) => {
      seen.push([cmd, payload]);
      return null;
    });
    await call('logout', null);
    expect(seen).toEqual([['logout', {}]]);
  });

  it('rethrows a rejection of the core as a complete ApiError', async () => {
    mockIPC(() => {
      throw {
        code: 'validation',
        message: 'sku: required',
        field: 'sku',
        params: {},
        details: [{ field: 'sku', code: 'required', params: {} }],
      };
    });
    await expect(call('product_create', {} as never)).rejects.toEqual({
      code: 'validation',
      message: 'sku: required',
      field: 'sku',
      file: null,
      sheet: null,
      row: null,
      column: null,
      params: {},
      details: [{ field: 'sku', code: 'required', params: {} }],
    });
  });

  it('wraps a string rejection as an internal error', async () => {
    mockIPC(() => {
      throw 'command dashboard not found';
    });
    await expect(call('dashboard', null)).rejects.toMatchObject({
      code: 'internal',
      message: 'command dashboard not found',
      details: [],
      params: {},
    });
  });

  it('wraps a thrown Error as an internal error with its message', async () => {
    mockIPC(() => {
      throw new Error('IPC channel closed');
    });
    await expect(call('app_status', null)).rejects.toMatchObject({ code: 'internal', message: 'IPC channel closed' });
  });
});
