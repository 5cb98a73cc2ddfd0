import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { PriceImportSummary } from '../../bindings/PriceImportSummary';
import type { PriceSheetRequest } from '../../bindings/PriceSheetRequest';
import type { Supplier } from '../../bindings/Supplier';
import { clerk } from '../../test/fixtures';
import { inputsOf, mockCommands, renderPage } from '../../test/harness';
import { parseColumns, PriceImportWizard } from './PriceImportWizard';

const supplier: Supplier = {
  id: 1,
  code: 'SUP-001',
  name: '义乌市宏达电子有限公司',
  contact_name: '',
  phone: '',
  email: '',
  address: '',
  payment_terms: '',
  payment_days: 30,
  qualification: 'approved',
  status: 'active',
  notes: '',
  certificates: [],
  next_expiry: null,
  created_at: '2026-11-22T01:30:00Z',
  updated_at: '2026-11-22T01:30:00Z',
};

function summary(dryRun: boolean): PriceImportSummary {
  return {
    file: '报价.csv',
    file_hash: 'ab'.repeat(32),
    file_kind: 'csv',
    encoding: 'gb18030',
    supplier_code: 'SUP-001',
    sheet_names: ['报价'],
    sheets: [
      {
        name: '报价',
        note: null,
        tables: [
          {
            header_row: 2,
            first_data_row: 3,
            last_data_row: 5,
            blocks: 1,
            columns: { name: [{ letter: 'B', header: '品名' }], price: [{ letter: 'E', header: '单价' }] },
          },
        ],
      },
    ],
    mapping_source: 'detected',
    dry_run: dryRun,
    import_id: dryRun ? null : 7,
    previous_import_id: null,
    rows_read: 3,
    items_imported: 2,
    rows_skipped: 0,
    rows_failed: 1,
    rows_superseded: 0,
    items_created: 2,
    prices_new: 2,
    prices_changed: 0,
    prices_unchanged: 0,
    matches_suggested: 0,
    errors: [],
    warnings: [],
    skipped: [],
    preview: [
      {
        sheet: '报价', row: 3, block: 0, status: 'ok', sku: '', supplier_sku: 'A-1', name: '绿茶', spec: '250g', unit: '盒',
        barcode: '', category: '', price: '12.50', currency: 'CNY', price_unit: '', moq: null, lead_time_days: null,
        valid_from: '2026-11-22', issues: [],
      },
      {
        sheet: '报价', row: 5, block: 0, status: 'error', sku: '', supplier_sku: 'A-3', name: '花茶', spec: '', unit: '盒',
        barcode: '', category: '', price: null, currency: 'CNY', price_unit: '', moq: null, lead_time_days: null, valid_from: null,
        issues: [{ sheet: '报价', row: 5, column: 'E', code: 'price_range', message: '“12-15”是价格区间，不是单一价格：请填写一个数字', params: { value: '12-15' } }],
      },
    ],
  };
}

describe('PriceImportWizard', () => {
  it('column text becomes letters or header references', () => {
    expect(parseColumns('A, D')).toEqual([{ by: 'letter', value: 'A' }, { by: 'letter', value: 'D' }]);
    expect(parseColumns('单价，含税单价')).toEqual([{ by: 'header', value: '单价' }, { by: 'header', value: '含税单价' }]);
  });

  it('stages the picked file, previews with problems marked, and imports', async () => {
    const calls = mockCommands({
      suppliers_list: (q) => ({ items: [supplier], total: 1, page: q.page, page_size: q.page_size }),
      import_stage_file: (i) => ({ token: `${'ab'.repeat(32)}/${i.file_name}`, file_name: i.file_name, kind: 'csv', sheet_names: ['报价'], bytes: 42 }),
      price_sheet_preview: () => summary(true),
      price_sheet_import: () => summary(false),
      import_progress: () => ({ running: false, done: 0, total: 0 }),
    });
    await renderPage(<PriceImportWizard />, { actor: clerk });

    await userEvent.click(within(screen.getByTestId('import-supplier')).getByRole('combobox'));
    await userEvent.click(await screen.findByText('SUP-001 · 义乌市宏达电子有限公司'));
    const file = new File(['品名,单价\n绿茶,12.5\n'], '报价.csv', { type: 'text/csv' });
    fireEvent.change(screen.getByTestId('import-file'), { target: { files: [file] } });
    expect(await screen.findByTestId('import-file-name')).toHaveTextContent('报价.csv');
    const [staged] = inputsOf(calls, 'import_stage_file') as { file_name: string; content_base64: string }[];
    expect(staged.file_name).toBe('报价.csv');
    expect(staged.content_base64).toContain('base64,');

    await userEvent.click(screen.getByTestId('import-preview'));
    const table = await screen.findByTestId('import-preview-table');
    expect(within(table).getByText('绿茶')).toBeInTheDocument();
    expect(within(table).getByText('12.50 CNY')).toBeInTheDocument();
    expect(within(table).getByText(/E: “12-15”是价格区间/)).toBeInTheDocument();
    expect(screen.getByTestId('map-name')).toHaveValue('B');
    const [req] = inputsOf(calls, 'price_sheet_preview') as PriceSheetRequest[];
    expect(req.supplier_code).toBe('SUP-001');
    expect(req.options.dry_run).toBe(true);
    expect(req.options.mapping.fields).toEqual({});

    await userEvent.click(screen.getByTestId('import-run'));
    expect(await screen.findByText('报价.csv：已导入 2 条商品')).toBeInTheDocument();
    const [run] = inputsOf(calls, 'price_sheet_import') as PriceSheetRequest[];
    expect(run.options.dry_run).toBe(false);
    expect(run.token).toBe(`${'ab'.repeat(32)}/报价.csv`);
  });

  it('sends an edited mapping and asks to save it', async () => {
    const calls = mockCommands({
      suppliers_list: (q) => ({ items: [supplier], total: 1, page: q.page, page_size: q.page_size }),
      import_stage_file: (i) => ({ token: `${'ab'.repeat(32)}/${i.file_name}`, file_name: i.file_name, kind: 'xlsx', sheet_names: ['S1', 'S2'], bytes: 42 }),
      price_sheet_preview: () => summary(true),
      import_progress: () => ({ running: false, done: 0, total: 0 }),
    });
    await renderPage(<PriceImportWizard />, { actor: clerk });
    await userEvent.click(within(screen.getByTestId('import-supplier')).getByRole('combobox'));
    await userEvent.click(await screen.findByText('SUP-001 · 义乌市宏达电子有限公司'));
    fireEvent.change(screen.getByTestId('import-file'), { target: { files: [new File(['x'], 'q.xlsx')] } });
    await screen.findByTestId('import-file-name');
    await userEvent.click(screen.getByTestId('import-preview'));
    await screen.findByTestId('import-preview-table');
    const name = screen.getByTestId('map-name');
    await userEvent.clear(name);
    await userEvent.type(name, 'A, G');
    await userEvent.click(screen.getByTestId('import-apply-mapping'));
    await waitFor(() => expect(inputsOf(calls, 'price_sheet_preview').length).toBe(2));
    const req = inputsOf(calls, 'price_sheet_preview')[1] as PriceSheetRequest;
    expect(req.options.mapping.fields.name).toEqual([{ by: 'letter', value: 'A' }, { by: 'letter', value: 'G' }]);
    expect(req.options.mapping.fields.price).toEqual([{ by: 'letter', value: 'E' }]);
    expect(req.options.save_mapping).toBe(true);
  });
});
