import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ListQuery } from '../../bindings/ListQuery';
import { admin, clerk, product } from '../../test/fixtures';
import { inputsOf, mockCommands, renderPage } from '../../test/harness';
import { ProductsPage } from './ProductsPage';

const facets = () => ({ categories: ['茶叶', '茶具'], brands: ['西湖', '竹叶青'] });

describe('ProductsPage', () => {
  it('shows the rows of products_list with money exactly as received', async () => {
    const calls = mockCommands({
      products_list: (q) => ({
        items: [product(1, { sku: 'TEA-LJ-250', name: '西湖龙井 250g', price: '128.5000', cost: '0.0125' }), product(2)],
        total: 2,
        page: q.page,
        page_size: q.page_size,
      }),
      product_facets: facets,
    });
    await renderPage(<ProductsPage />, { actor: admin });

    const table = screen.getByTestId('products-table');
    expect(await within(table).findByText('西湖龙井 250g')).toBeInTheDocument();
    expect(within(table).getByText('TEA-LJ-250')).toBeInTheDocument();
    expect(within(table).getByText('128.5000')).toBeInTheDocument();
    expect(within(table).getByText('0.0125')).toBeInTheDocument();
    expect(within(table).getByText('SKU-2')).toBeInTheDocument();
    expect(screen.getByTestId('page-title')).toHaveTextContent('商品');
    // antd speaks Chinese too (its own locale follows the UI language).
    expect(screen.getByText('共 2 条')).toBeInTheDocument();
    expect(screen.getByTitle('20 条/页')).toBeInTheDocument();

    const [first] = inputsOf(calls, 'products_list') as ListQuery[];
    expect(first).toMatchObject({ search: null, status: 'active', page: 1, page_size: 20, sort: null, desc: false });
  });

  it('sends the typed search text in the ListQuery after the debounce, back on page 1', async () => {
    const calls = mockCommands({
      products_list: (q) => ({
        items: q.search ? [product(9, { name: '竹叶青 明前' })] : [product(1)],
        total: 1,
        page: q.page,
        page_size: q.page_size,
      }),
      product_facets: facets,
    });
    await renderPage(<ProductsPage />, { actor: admin });
    await screen.findByText('SKU-1');

    await userEvent.type(screen.getByTestId('products-search'), '竹叶青');
    expect(await screen.findByText('竹叶青 明前')).toBeInTheDocument();

    const queries = inputsOf(calls, 'products_list') as ListQuery[];
    const last = queries[queries.length - 1];
    expect(last.search).toBe('竹叶青');
    expect(last.page).toBe(1);
    // Debounced: not one request per keystroke.
    expect(queries.filter((q) => q.search !== null).length).toBe(1);
  });

  it('hides create and edit for a role that may not edit products, but keeps export', async () => {
    mockCommands({
      products_list: (q) => ({ items: [product(1)], total: 1, page: q.page, page_size: q.page_size }),
      product_facets: facets,
    });
    const viewer = { ...clerk, permissions: clerk.permissions.filter((p) => p !== 'edit_products') };
    await renderPage(<ProductsPage />, { actor: viewer });
    await screen.findByText('SKU-1');
    expect(screen.queryByTestId('products-new')).not.toBeInTheDocument();
    expect(screen.getByTestId('export-button')).toBeInTheDocument();
  });

  it('exports with the current filters and the UI language, and says where the file is', async () => {
    const calls = mockCommands({
      products_list: (q) => ({ items: [product(1)], total: 1, page: q.page, page_size: q.page_size }),
      product_facets: facets,
      export_list: () => ({ path: '/home/test/Downloads/商品-20260102.xlsx', rows: 1 }),
    });
    await renderPage(<ProductsPage />, { actor: admin, language: 'en' });
    await screen.findByText('SKU-1');
    await userEvent.type(screen.getByTestId('products-search'), 'tea');
    await waitFor(() => expect((inputsOf(calls, 'products_list') as ListQuery[]).some((q) => q.search === 'tea')).toBe(true));

    await userEvent.click(screen.getByTestId('export-button'));
    expect(await screen.findByText(/Downloads\/商品-20260102\.xlsx/)).toBeInTheDocument();
    expect(inputsOf(calls, 'export_list')[0]).toMatchObject({ list: 'products', language: 'en', query: { search: 'tea', status: 'active' } });
  });
});
