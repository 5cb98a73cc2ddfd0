import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ProductInput } from '../../bindings/ProductInput';
import { admin, apiError, product } from '../../test/fixtures';
import { inputsOf, mockCommands, renderPage } from '../../test/harness';
import { ProductsPage } from './ProductsPage';

/** The antd form item that holds an input, where its error message is shown. */
function formItemOf(testId: string): HTMLElement {
  const item = screen.getByTestId(testId).closest('.ant-form-item');
  if (!item) throw new Error(`no form item around ${testId}`);
  return item as HTMLElement;
}

async function openNewProductForm() {
  await screen.findByText('SKU-1');
  await userEvent.click(screen.getByTestId('products-new'));
  await screen.findByTestId('product-form-sku');
}

async function fillValidProduct() {
  await userEvent.type(screen.getByTestId('product-form-sku'), 'TEA-LJ-250');
  await userEvent.type(screen.getByTestId('product-form-name'), '西湖龙井 250g');
  await userEvent.type(screen.getByTestId('product-form-unit'), '罐');
  await userEvent.type(screen.getByTestId('product-form-price'), '128.50');
  await userEvent.type(screen.getByTestId('product-form-cost'), '80');
  await userEvent.type(screen.getByTestId('product-form-barcode'), '4006381333931');
}

describe('ProductFormModal', () => {
  it('shows a server field error on the field it names', async () => {
    const calls = mockCommands({
      products_list: (q) => ({ items: [product(1)], total: 1, page: q.page, page_size: q.page_size }),
      product_facets: () => ({ categories: [], brands: [] }),
      product_create: () => {
        throw apiError('masterdata.duplicate', {
          field: 'sku',
          params: { entity: 'product', value: 'TEA-LJ-250' },
          details: [{ field: 'sku', code: 'duplicate', params: { value: 'TEA-LJ-250' } }],
        });
      },
    });
    await renderPage(<ProductsPage />, { actor: admin });
    await openNewProductForm();
    await fillValidProduct();
    await userEvent.click(screen.getByTestId('product-form-submit'));

    await waitFor(() => expect(formItemOf('product-form-sku')).toHaveTextContent('「TEA-LJ-250」已存在'));
    expect(formItemOf('product-form-name')).not.toHaveTextContent('已存在');
    // The form stays open with what was typed.
    expect(screen.getByTestId('product-form-sku')).toHaveValue('TEA-LJ-250');

    const [sent] = inputsOf(calls, 'product_create') as ProductInput[];
    expect(sent).toEqual({
      sku: 'TEA-LJ-250',
      barcode: '4006381333931',
      name: '西湖龙井 250g',
      spec: '',
      unit: '罐',
      category: '',
      brand: '',
      cost: '80',
      price: '128.50',
      currency: null,
      safety_stock: 0,
    });
  });

  it('shows a validation error of the core on the price field', async () => {
    mockCommands({
      products_list: (q) => ({ items: [product(1)], total: 1, page: q.page, page_size: q.page_size }),
      product_facets: () => ({ categories: [], brands: [] }),
      product_create: () => {
        throw apiError('validation', {
          field: 'price',
          details: [{ field: 'price', code: 'too_many_decimals', params: { max: '4' } }],
        });
      },
    });
    await renderPage(<ProductsPage />, { actor: admin, language: 'en' });
    await openNewProductForm();
    await fillValidProduct();
    await userEvent.click(screen.getByTestId('product-form-submit'));
    await waitFor(() => expect(formItemOf('product-form-price')).toHaveTextContent('At most 4 decimals'));
  });

  it('checks required fields, decimals and the barcode before sending anything', async () => {
    const calls = mockCommands({
      products_list: (q) => ({ items: [product(1)], total: 1, page: q.page, page_size: q.page_size }),
      product_facets: () => ({ categories: [], brands: [] }),
    });
    await renderPage(<ProductsPage />, { actor: admin });
    await openNewProductForm();
    await userEvent.type(screen.getByTestId('product-form-price'), '1.23456');
    await userEvent.type(screen.getByTestId('product-form-barcode'), '4006381333932');
    await userEvent.click(screen.getByTestId('product-form-submit'));

    await waitFor(() => expect(formItemOf('product-form-sku')).toHaveTextContent('必填'));
    expect(formItemOf('product-form-price')).toHaveTextContent('最多 4 位小数');
    expect(formItemOf('product-form-barcode')).toHaveTextContent('最后一位应为 1');
    expect(inputsOf(calls, 'product_create')).toHaveLength(0);
  });

  it('creates a product and closes the form', async () => {
    const calls = mockCommands({
      products_list: (q) => ({ items: [product(1)], total: 1, page: q.page, page_size: q.page_size }),
      product_facets: () => ({ categories: [], brands: [] }),
      product_create: (input) => product(3, { ...input, barcode: input.barcode, currency: 'CNY' }),
    });
    await renderPage(<ProductsPage />, { actor: admin });
    await openNewProductForm();
    await fillValidProduct();
    await userEvent.click(screen.getByTestId('product-form-submit'));
    expect(await screen.findByText('商品 TEA-LJ-250 已创建')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId('product-form-sku')).not.toBeInTheDocument());
    // The list is asked again after the change.
    await waitFor(() => expect(inputsOf(calls, 'products_list').length).toBeGreaterThan(1));
  });
});
