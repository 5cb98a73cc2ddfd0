import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Actor } from '../../bindings/Actor';
import type { Parcel } from '../../bindings/Parcel';
import type { Report } from '../../bindings/Report';
import type { SalesOrder } from '../../bindings/SalesOrder';
import type { Warehouse } from '../../bindings/Warehouse';
import type { Wave } from '../../bindings/Wave';
import { inputsOf, mockCommands, renderPage } from '../../test/harness';
import { AllocateTab } from './AllocateTab';
import { isAmount, LogisticsTab } from './LogisticsTab';
import { OrdersPage } from './OrdersPage';
import { SplitModal } from './SplitModal';
import { WavesTab } from './WavesTab';

const manager: Actor = {
  user_id: 4,
  username: 'yunying',
  display_name: '运营小陈',
  role: 'operations',
  language: 'zh-CN',
  permissions: ['view_orders', 'edit_orders', 'reserve_stock', 'post_stock', 'view_master_data'],
};

function warehouse(id: number, code: string, name: string): Warehouse {
  return { id, code, name, address: '', manager: '', status: 'active', location_count: 3, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' };
}

function parcel(no: string, patch: Partial<Parcel> = {}): Parcel {
  return {
    id: 1,
    parcel_no: no,
    warehouse: 'WH1',
    status: 'allocated',
    wave_no: '',
    wave_slot: 0,
    priority: 0,
    units: 2,
    orders: ['TB-1001', 'TB-1002'],
    channel: 'taobao',
    shop: '',
    receiver: '张三',
    phone: '13800000000',
    address: '杭州',
    buyer_message: '',
    carrier: '',
    service: '',
    tracking_no: '',
    weight_kg: '',
    promised_at: '2026-12-02T10:00:00Z',
    packed_at: null,
    shipped_at: null,
    delivered_at: null,
    exception: '',
    exception_note: '',
    resolution: '',
    claim_amount: '',
    reship_of: '',
    lines: [],
    ...patch,
  };
}

const wave: Wave = { wave_no: 'WV-20261201-001', warehouse: 'WH1', kind: 'mixed', status: 'open', parcels: 2, units: 3, done: 0, created_by: 'yunying', created_at: '2026-12-01T02:00:00Z' };

const pickList: Report = {
  key: 'pick_list',
  title: '拣货单 WV-20261201-001',
  params: [],
  columns: [
    { key: 'location', label: '库位', kind: 'text' },
    { key: 'sku', label: 'SKU', kind: 'text' },
  ],
  rows: [['A-01-01', 'TEA-1']],
  totals: null,
  chart: null,
  notes: [],
  generated_at: '2026-12-01 10:00',
  company: '测试商贸有限公司',
};

describe('fulfilment tabs', () => {
  it('amounts are checked as text: above zero, at most two decimals', () => {
    expect(isAmount('12.5')).toBe(true);
    expect(isAmount('0.01')).toBe(true);
    expect(isAmount('0.00')).toBe(false);
    expect(isAmount('1.005')).toBe(false);
    expect(isAmount('-3')).toBe(false);
  });

  it('allocates with merge on and split off, shows the summary and cancels a parcel with a note', async () => {
    const calls = mockCommands({
      order_merge_candidates: () => [['TB-1001', 'TB-1002']],
      parcels_list: () => [parcel('PK-0001')],
      order_allocate: () => ({
        orders: 3,
        allocated: 2,
        partial: 0,
        waiting: 1,
        parcels: 1,
        merged_orders: 2,
        split_orders: 0,
        units: 2,
        waiting_orders: [{ order_id: 3, platform_order_no: 'TB-1003', shortages: [{ sku: 'CUP-2', qty: 4 }] }],
      }),
      parcel_cancel: () => null,
    });
    await renderPage(<AllocateTab />, { actor: manager });
    expect(await within(screen.getByTestId('merge-candidates')).findByText('TB-1002')).toBeInTheDocument();

    await userEvent.click(screen.getByTestId('allocate-run'));
    expect(await screen.findByTestId('allocate-summary')).toHaveTextContent('缺货等待');
    expect(within(screen.getByTestId('allocate-waiting')).getByText('CUP-2 缺 4')).toBeInTheDocument();
    expect(inputsOf(calls, 'order_allocate')).toEqual([{ order_ids: null, split: false, merge: true }]);

    const table = screen.getByTestId('parcels-table');
    expect(await within(table).findByText('TB-1001, TB-1002')).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('parcel-cancel-PK-0001'));
    const ok = await screen.findByTestId('parcel-cancel-ok');
    expect(ok).toBeDisabled();
    await userEvent.type(screen.getByTestId('parcel-cancel-note'), '买家要求改地址');
    await userEvent.click(ok);
    await waitFor(() => expect(inputsOf(calls, 'parcel_cancel')).toEqual([{ parcel_no: 'PK-0001', note: '买家要求改地址' }]));
  });

  it('starts a wave in the only warehouse, shows its pick list and exports the packing slips', async () => {
    const calls = mockCommands({
      warehouses_list: (q) => ({ items: [warehouse(1, 'WH1', '杭州仓')], total: 1, page: q.page, page_size: q.page_size }),
      waves_list: () => [],
      wave_create: () => wave,
      pick_list: () => pickList,
      packing_slips_export: ({ key }) => ({ path: `/home/test/Downloads/装箱单_${key}.pdf`, rows: 0 }),
    });
    await renderPage(<WavesTab />, { actor: manager });
    await waitFor(() => expect(screen.getByTestId('wave-create')).toBeEnabled());
    await userEvent.click(screen.getByTestId('wave-create'));
    expect(await screen.findByTestId('pick-list')).toHaveTextContent('A-01-01');
    expect(inputsOf(calls, 'wave_create')).toEqual([{ warehouse: 'WH1', kind: 'mixed', max_parcels: 50 }]);
    expect(inputsOf(calls, 'pick_list')).toEqual([{ key: 'WV-20261201-001', format: '' }]);

    await userEvent.click(screen.getByTestId('wave-slips'));
    expect(await screen.findByText('已保存到 /home/test/Downloads/装箱单_WV-20261201-001.pdf')).toBeInTheDocument();
  });

  it('resolves an exception with a refund of an exact amount and a note', async () => {
    const calls = mockCommands({
      parcels_list: (f) => (f.exceptions ? [parcel('PK-0009', { status: 'shipped', exception: 'lost', exception_note: '快递说丢了' })] : []),
      ship_notices: () => [],
      warehouses_list: (q) => ({ items: [], total: 0, page: q.page, page_size: q.page_size }),
      logistics_resolve: () => null,
    });
    await renderPage(<LogisticsTab />, { actor: manager });
    const table = screen.getByTestId('exceptions-table');
    expect(await within(table).findByText('丢件')).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('resolve-refund-PK-0009'));
    await userEvent.type(await screen.findByTestId('resolve-amount'), '59.90');
    await userEvent.type(screen.getByTestId('resolve-note'), '丢件全额退款');
    await userEvent.click(screen.getByTestId('resolve-ok'));
    await waitFor(() =>
      expect(inputsOf(calls, 'logistics_resolve')).toEqual([
        { parcel_no: 'PK-0009', resolution: { action: 'refund', amount: '59.90' }, note: '丢件全额退款' },
      ]),
    );
  });

  it('splits an order by hand into two parcels from two warehouses', async () => {
    const order = {
      id: 42,
      platform_order_no: 'TB-2001',
      status: 'held',
      warehouse_code: 'WH1',
      lines: [
        { line_no: 1, platform_sku: 'P1', platform_item_id: '', sku: 'TEA-1', title: '龙井', spec: '', qty: 3, unit_price: '10.00', discount: '0.00', amount: '30.00', price_note: '' },
        { line_no: 2, platform_sku: 'P2', platform_item_id: '', sku: 'CUP-2', title: '茶杯', spec: '', qty: 1, unit_price: '5.00', discount: '0.00', amount: '5.00', price_note: '' },
      ],
    } as unknown as SalesOrder;
    const calls = mockCommands({
      warehouses_list: (q) => ({ items: [warehouse(1, 'WH1', '杭州仓'), warehouse(2, 'WH2', '广州仓')], total: 2, page: q.page, page_size: q.page_size }),
      order_split: () => ['PK-0101', 'PK-0102'],
    });
    await renderPage(<SplitModal order={order} onClose={() => undefined} />, { actor: manager });
    await userEvent.click(screen.getByTestId('split-add'));
    await userEvent.click(within(screen.getByTestId('split-warehouse-1')).getByRole('combobox'));
    await userEvent.click(await screen.findByText('WH2 · 广州仓'));
    const moved = screen.getByTestId('split-qty-0-2');
    await userEvent.clear(moved);
    await userEvent.type(moved, '0');
    await userEvent.type(screen.getByTestId('split-qty-1-2'), '1');
    await userEvent.type(screen.getByTestId('split-note'), '广州仓发茶杯');
    await userEvent.click(screen.getByTestId('split-ok'));
    await waitFor(() =>
      expect(inputsOf(calls, 'order_split')).toEqual([
        {
          order_id: 42,
          parcels: [
            { warehouse: 'WH1', lines: [{ line_no: 1, qty: 3 }] },
            { warehouse: 'WH2', lines: [{ line_no: 2, qty: 1 }] },
          ],
          note: '广州仓发茶杯',
        },
      ]),
    );
  });

  it('lists the parcels of an order in its drawer and offers a split while it is held', async () => {
    const order = {
      id: 42,
      channel: 'taobao',
      platform_order_no: 'TB-2001',
      status: 'held',
      platform_status: '',
      currency: 'CNY',
      goods_amount: '35.00',
      shipping_fee: '0.00',
      discount: '0.00',
      total: '35.00',
      paid: '35.00',
      refunded: '0.00',
      receiver: '张三',
      phone: '13800000000',
      province: '浙江省',
      city: '杭州市',
      address: '文三路 1 号',
      ordered_at: '2026-12-01T02:00:00Z',
      paid_at: null,
      hold_reasons: [],
      lines: [],
      unmapped_lines: 0,
      warehouse_code: '',
    } as unknown as SalesOrder;
    mockCommands({
      orders_list: (q) => ({ items: [order], total: 1, page: q.page, page_size: q.page_size }),
      order_timeline: () => [],
      order_parcels: () => [parcel('PK-0077', { status: 'shipped', carrier: '顺丰速运', tracking_no: 'SF1234567890' })],
    });
    await renderPage(<OrdersPage />, { actor: manager });
    for (const tab of ['allocate', 'waves', 'check', 'logistics']) expect(screen.getByTestId(`tab-orders-${tab}`)).toBeInTheDocument();
    await userEvent.click(await within(screen.getByTestId('orders-table')).findByText('TB-2001'));
    const parcels = await screen.findByTestId('order-parcels');
    expect(await within(parcels).findByText('PK-0077')).toBeInTheDocument();
    expect(within(parcels).getByText('已发货')).toBeInTheDocument();
    expect(within(parcels).getByText(/SF1234567890/)).toBeInTheDocument();
    expect(screen.getByTestId('order-split')).toBeInTheDocument();
  });
});
