import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Actor } from '../../bindings/Actor';
import type { PricedOrder } from '../../bindings/PricedOrder';
import type { Promotion } from '../../bindings/Promotion';
import type { PromotionInput } from '../../bindings/PromotionInput';
import type { SalesOrder } from '../../bindings/SalesOrder';
import { formatMinor } from '../../lib/money';
import { apiError, product } from '../../test/fixtures';
import { inputsOf, mockCommands, renderPage } from '../../test/harness';
import { NewOrderModal, quoteInput } from './NewOrderModal';
import { OrdersPage } from './OrdersPage';
import { compareDecimal, PromotionsTab } from './PromotionsTab';

const manager: Actor = {
  user_id: 4,
  username: 'yunying',
  display_name: '运营小陈',
  role: 'operations',
  language: 'zh-CN',
  permissions: ['view_orders', 'edit_orders', 'view_master_data'],
};

const viewer: Actor = { ...manager, user_id: 5, username: 'kefu', display_name: '客服小周', role: 'customer_service', permissions: ['view_orders'] };

const NO_PARAMS = { percent_off: '', price: '', tiers: [], off: '', min_spend: '', min_group: 0 };

function promotion(id: number, code: string, kind: string, patch: Partial<Promotion> = {}): Promotion {
  return {
    id,
    code,
    name: `活动 ${code}`,
    kind,
    params: NO_PARAMS,
    channels: [],
    skus: [],
    starts_at: '2026-01-01T00:00:00Z',
    ends_at: '2099-01-01T00:00:00Z',
    cap: null,
    used: 0,
    per_buyer: null,
    enabled: true,
    ...patch,
  };
}

const flash = promotion(1, 'FLASH-TEA', 'flash_sale', { name: '龙井秒杀', params: { ...NO_PARAMS, price: '9.90' }, skus: ['TEA-1'], cap: 100, used: 37 });
const coupon = promotion(2, 'VIP10', 'coupon', { name: '会员券', params: { ...NO_PARAMS, off: '10', min_spend: '100' }, cap: 500, used: 12, per_buyer: 1 });

const invalid = (field: string, code: string) => apiError('validation', { field, details: [{ field, code, params: {} }] });

const quote: PricedOrder = {
  currency: 'CNY',
  lines: [
    {
      sku: 'TEA-1',
      product_id: 1,
      name: '西湖龙井',
      spec: '250g',
      qty: 2,
      unit_price: '59.00',
      list_amount: 11800,
      discount: 2001,
      amount: 9799,
      steps: ['标价 59.00 × 2 = 118.00', '满减 满100减20，分摊 −20.01 → 97.99'],
    },
  ],
  applied: [{ promotion_id: 3, code: 'MJ100', name: '满100减20', kind: 'spend_save', units: 0, discount: 2001 }],
  goods: '118.00',
  discount: '20.01',
  total: '97.99',
  coupon_problem: 'min_spend',
};

describe('promotions', () => {
  it('money in minor units is formatted with integers only; decimals compare as text', () => {
    expect(formatMinor(9799)).toBe('97.99');
    expect(formatMinor(5)).toBe('0.05');
    expect(formatMinor(-2001)).toBe('-20.01');
    expect(formatMinor(0)).toBe('0.00');
    expect(formatMinor(1990, 'JPY')).toBe('1990');
    expect(formatMinor(9_007_199_254_740_991)).toBe('90071992547409.91');
    expect(compareDecimal('20', '100')).toBe(-1);
    expect(compareDecimal('100.00', '100')).toBe(0);
    expect(compareDecimal('99.995', '99.99')).toBe(1);
  });

  it('lists promotions in words and creates a spend-and-save with two tiers', async () => {
    const calls = mockCommands({
      promotions_list: () => [flash, coupon],
      promotion_save: (i: PromotionInput) => ({ ...promotion(9, i.code, i.kind), ...i, used: 0 }),
    });
    await renderPage(<PromotionsTab />, { actor: manager });
    const table = screen.getByTestId('promotions-table');
    expect(await within(table).findByText('龙井秒杀')).toBeInTheDocument();
    expect(within(table).getByText('秒杀')).toBeInTheDocument();
    expect(within(table).getByText('优惠券')).toBeInTheDocument();
    expect(within(table).getByText('37 / 100')).toBeInTheDocument();
    expect(within(table).getByText('满 100 可用，立减 10')).toBeInTheDocument();
    expect(screen.getByTestId('promotions-help')).toHaveTextContent('每单最多一张');

    await userEvent.click(screen.getByTestId('promotion-new'));
    await userEvent.type(await screen.findByTestId('promotion-form-code'), 'MJ-2026');
    await userEvent.type(screen.getByTestId('promotion-form-name'), '双十二满减');
    await userEvent.click(within(screen.getByTestId('promotion-form-kind')).getByRole('combobox'));
    await userEvent.click(await screen.findByText('满减', { selector: '.ant-select-item-option-content' }));
    await userEvent.type(await screen.findByTestId('promotion-form-tier-threshold-0'), '200');
    await userEvent.type(screen.getByTestId('promotion-form-tier-off-0'), '20');
    await userEvent.click(screen.getByTestId('promotion-form-tier-add'));
    await userEvent.type(await screen.findByTestId('promotion-form-tier-threshold-1'), '500');
    await userEvent.type(screen.getByTestId('promotion-form-tier-off-1'), '600');
    await userEvent.type(within(screen.getByTestId('promotion-form-skus')).getByRole('combobox'), 'TEA-1,CUP-2,');

    // The amount off has to stay below its threshold: the form says so before asking the core.
    await userEvent.click(screen.getByTestId('promotion-save'));
    expect(await screen.findByText('减免金额应小于满减门槛')).toBeInTheDocument();
    expect(inputsOf(calls, 'promotion_save')).toEqual([]);

    const off1 = screen.getByTestId('promotion-form-tier-off-1');
    await userEvent.clear(off1);
    await userEvent.type(off1, '60');
    await userEvent.click(screen.getByTestId('promotion-save'));
    await waitFor(() => expect(inputsOf(calls, 'promotion_save')).toHaveLength(1));
    const sent = inputsOf(calls, 'promotion_save')[0] as PromotionInput;
    expect(sent).toMatchObject({
      code: 'MJ-2026',
      name: '双十二满减',
      kind: 'spend_save',
      params: { ...NO_PARAMS, tiers: [{ threshold: '200', off: '20' }, { threshold: '500', off: '60' }] },
      channels: [],
      skus: ['TEA-1', 'CUP-2'],
      cap: null,
      per_buyer: null,
      enabled: true,
    });
    expect(sent.starts_at).toMatch(/Z$/);
    expect(new Date(sent.ends_at).getTime() - new Date(sent.starts_at).getTime()).toBe(7 * 24 * 3600 * 1000);
    expect(await screen.findByText('已保存促销“双十二满减”')).toBeInTheDocument();
  });

  it('shows the core’s field problems on the fields of the form', async () => {
    mockCommands({
      promotions_list: () => [flash],
      promotion_save: () => {
        throw invalid('ends_at', 'after_start');
      },
    });
    await renderPage(<PromotionsTab />, { actor: manager });
    await userEvent.click(await screen.findByTestId('promotion-edit-FLASH-TEA'));
    expect(await screen.findByTestId('promotion-form-code')).toBeDisabled();
    expect(screen.getByTestId('promotion-form-price')).toHaveValue('9.90');
    expect(screen.getByTestId('promotion-form-cap')).toHaveValue('100');
    await userEvent.click(screen.getByTestId('promotion-save'));
    expect(await screen.findByText('结束时间应晚于开始时间')).toBeInTheDocument();
  });

  it('shows the coupon rule of exactly one of amount and percent off', async () => {
    mockCommands({
      promotions_list: () => [coupon],
      promotion_save: () => {
        throw invalid('params.off', 'one_of');
      },
    });
    await renderPage(<PromotionsTab />, { actor: manager });
    await userEvent.click(await screen.findByTestId('promotion-edit-VIP10'));
    await userEvent.type(await screen.findByTestId('promotion-form-percent-off'), '5');
    await userEvent.click(screen.getByTestId('promotion-save'));
    expect(await screen.findByText('立减金额与优惠比例须填写其中一项，且只能填一项')).toBeInTheDocument();
  });

  it('lets someone who may only view orders read the promotions, not change them', async () => {
    mockCommands({ promotions_list: () => [flash] });
    await renderPage(<PromotionsTab />, { actor: viewer });
    expect(await within(screen.getByTestId('promotions-table')).findByText('龙井秒杀')).toBeInTheDocument();
    expect(screen.queryByTestId('promotion-new')).not.toBeInTheDocument();
    expect(screen.queryByTestId('promotion-edit-FLASH-TEA')).not.toBeInTheDocument();
    expect(screen.getByTestId('promotion-enabled-FLASH-TEA')).toBeDisabled();
  });

  it('asks for a price only when every line has its SKU and quantity', () => {
    expect(quoteInput({ lines: [{ qty: 1 }] })).toBeNull();
    expect(quoteInput({ lines: [{ sku: 'TEA-1', qty: 0 }] })).toBeNull();
    expect(quoteInput({ customer_code: '', receiver: ' 张三 ', lines: [{ sku: 'TEA-1', qty: 2, unit_price: '' }], coupon: ' VIP10 ', group_size: null })).toEqual({
      channel: 'manual',
      buyer: '张三',
      lines: [{ sku: 'TEA-1', qty: 2, unit_price: '' }],
      coupon: 'VIP10',
      group_size: 0,
    });
  });

  it('previews the price of a phone order with its steps and sends the coupon and group size', async () => {
    const calls = mockCommands({
      customers_list: (q) => ({ items: [], total: 0, page: q.page, page_size: q.page_size }),
      products_list: (q) => ({ items: [product(1, { sku: 'TEA-1', name: '西湖龙井' })], total: 1, page: q.page, page_size: q.page_size }),
      sku_availability: () => [{ sku: 'TEA-1', name: '西湖龙井', list_price: '59.00', available: 30 }],
      price_quote: (q) => {
        if (q.lines[0].unit_price === '1.23456') throw invalid('lines[0].unit_price', 'price');
        return quote;
      },
      order_create_manual: () => {
        throw invalid('coupon', 'coupon_min_spend');
      },
    });
    await renderPage(<NewOrderModal onClose={() => undefined} />, { actor: manager });
    const field = (id: string) => {
      const el = document.querySelector<HTMLInputElement>(`#${id}`);
      if (!el) throw new Error(`no field ${id}`);
      return el;
    };
    await userEvent.type(field('receiver'), '张三');
    await userEvent.click(within(screen.getByTestId('manual-sku-0')).getByRole('combobox'));
    await userEvent.click(await screen.findByText('TEA-1 · 西湖龙井'));
    const qty = field('lines_0_qty');
    await userEvent.clear(qty);
    await userEvent.type(qty, '2');
    await userEvent.type(screen.getByTestId('manual-coupon'), 'VIP10');
    const group = screen.getByTestId('manual-group-size');
    await userEvent.clear(group);
    await userEvent.type(group, '3');

    const preview = await screen.findByTestId('manual-quote');
    expect(await within(preview).findByTestId('manual-quote-amount-0')).toHaveTextContent('97.99');
    expect(within(preview).getByTestId('manual-quote-steps-0')).toHaveTextContent('满减 满100减20，分摊 −20.01 → 97.99');
    expect(within(preview).getByTestId('manual-quote-applied')).toHaveTextContent('满减 · 满100减20 −20.01');
    expect(within(preview).getByTestId('manual-quote-total')).toHaveTextContent('商品金额 118.00 − 促销优惠 20.01 = 97.99 CNY');
    expect(within(preview).getByTestId('manual-quote-coupon')).toHaveTextContent('未达到优惠券使用门槛');
    // Debounced: the typing above asked once it paused, with the whole form as it stood.
    await waitFor(() =>
      expect(inputsOf(calls, 'price_quote').at(-1)).toEqual({
        channel: 'manual',
        buyer: '张三',
        lines: [{ sku: 'TEA-1', qty: 2, unit_price: '' }],
        coupon: 'VIP10',
        group_size: 3,
      }),
    );
    expect(inputsOf(calls, 'price_quote').length).toBeLessThan(6);

    await userEvent.click(screen.getByTestId('manual-save'));
    await waitFor(() => expect(inputsOf(calls, 'order_create_manual')).toHaveLength(1));
    expect(inputsOf(calls, 'order_create_manual')[0]).toMatchObject({ coupon: 'VIP10', group_size: 3, lines: [{ sku: 'TEA-1', qty: 2, unit_price: '' }] });
    // The core's refusal lands on the coupon field.
    expect(await screen.findByText('未达到优惠券使用门槛', { selector: '.ant-form-item-explain-error' })).toBeInTheDocument();

    // A price the core cannot read: the preview says which line.
    await userEvent.type(field('lines_0_unit_price'), '1.23456');
    expect(await screen.findByTestId('manual-quote-error')).toHaveTextContent('第 1 行：不是有效价格（最多 4 位小数）');
    expect(screen.queryByTestId('manual-quote-total')).not.toBeInTheDocument();
  });

  it('shows how each line of an order was priced in its drawer, and the promotions tab', async () => {
    const order = {
      id: 7,
      channel: 'manual',
      platform_order_no: 'MO-20261212-0001',
      status: 'pending_review',
      platform_status: '',
      currency: 'CNY',
      goods_amount: '118.00',
      shipping_fee: '0.00',
      discount: '20.01',
      total: '97.99',
      paid: '97.99',
      refunded: '0.00',
      buyer: '张三',
      receiver: '张三',
      phone: '13800000000',
      province: '浙江省',
      city: '杭州市',
      address: '文三路 1 号',
      ordered_at: '2026-12-12T02:00:00Z',
      paid_at: null,
      hold_reasons: [],
      lines: [
        {
          line_no: 1,
          platform_sku: 'TEA-1',
          platform_item_id: '',
          sku: 'TEA-1',
          title: '西湖龙井',
          spec: '',
          qty: 2,
          unit_price: '59.00',
          discount: '20.01',
          amount: '97.99',
          price_note: '标价 59.00 × 2 = 118.00\n满减 满100减20，分摊 −20.01 → 97.99',
        },
      ],
      unmapped_lines: 0,
      warehouse_code: '',
    } as unknown as SalesOrder;
    mockCommands({
      orders_list: (q) => ({ items: [order], total: 1, page: q.page, page_size: q.page_size }),
      order_timeline: () => [],
      order_parcels: () => [],
    });
    await renderPage(<OrdersPage />, { actor: manager });
    expect(screen.getByTestId('tab-orders-promotions')).toHaveTextContent('促销');
    await userEvent.click(await within(screen.getByTestId('orders-table')).findByText('MO-20261212-0001'));
    const note = await screen.findByTestId('line-price-note');
    expect(note).toHaveTextContent('标价 59.00 × 2 = 118.00');
    expect(note).toHaveTextContent('满减 满100减20，分摊 −20.01 → 97.99');
  });
});
