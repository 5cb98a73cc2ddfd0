import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Actor } from '../../bindings/Actor';
import type { Parcel } from '../../bindings/Parcel';
import type { ParcelLineView } from '../../bindings/ParcelLineView';
import { apiError } from '../../test/fixtures';
import { inputsOf, mockCommands, renderPage } from '../../test/harness';
import { CheckTab, isWeight } from './CheckTab';

const packer: Actor = {
  user_id: 3,
  username: 'cangku',
  display_name: '仓库小张',
  role: 'warehouse',
  language: 'zh-CN',
  permissions: ['view_orders', 'post_stock'],
};

function line(id: number, sku: string, barcode: string, qty: number, checked = 0): ParcelLineView {
  return { order_no: 'TB-1001', line_id: id, sku, name: `商品 ${sku}`, spec: '', barcode, location: `A-0${id}`, qty, checked };
}

function parcel(patch: Partial<Parcel> = {}): Parcel {
  return {
    id: 1,
    parcel_no: 'PK-0001',
    warehouse: 'WH1',
    status: 'picking',
    wave_no: 'WV-0001',
    wave_slot: 1,
    priority: 0,
    units: 3,
    orders: ['TB-1001'],
    channel: 'taobao',
    shop: '',
    receiver: '张三',
    phone: '13800000000',
    address: '浙江省杭州市西湖区文三路 1 号',
    buyer_message: '',
    carrier: '',
    service: '',
    tracking_no: '',
    weight_kg: '',
    promised_at: null,
    packed_at: null,
    shipped_at: null,
    delivered_at: null,
    exception: '',
    exception_note: '',
    resolution: '',
    claim_amount: '',
    reship_of: '',
    lines: [line(1, 'TEA-1', '6901234567892', 1), line(2, 'CUP-2', '6909876543210', 2)],
    ...patch,
  };
}

const invalid = (field: string, code: string) => apiError('validation', { field, details: [{ field, code, params: {} }] });

describe('CheckTab', () => {
  it('weights are checked as text: above zero, at most three decimals', () => {
    expect(isWeight('0.5')).toBe(true);
    expect(isWeight('1.250')).toBe(true);
    expect(isWeight('0')).toBe(false);
    expect(isWeight('0.000')).toBe(false);
    expect(isWeight('0.1234')).toBe(false);
    expect(isWeight('0,5')).toBe(false);
    expect(isWeight('')).toBe(false);
  });

  it('checks every unit by scanner, refuses a wrong one in red, packs with the weight and ships', async () => {
    const lines = parcel().lines.map((l) => ({ ...l }));
    const calls = mockCommands({
      parcel_get: () => parcel(),
      parcel_scan: ({ code }) => {
        const l = lines.find((x) => x.barcode === code || x.sku === code);
        if (!l) throw invalid('code', 'wrong_item');
        if (l.checked >= l.qty) throw invalid('code', 'too_many');
        l.checked += 1;
        return { parcel_no: 'PK-0001', sku: l.sku, lines: lines.map((x) => ({ ...x })), complete: lines.every((x) => x.checked >= x.qty) };
      },
      parcel_pack: ({ weight_kg }) => parcel({ status: 'packed', weight_kg: `${weight_kg}00`, lines }),
      parcel_ship: ({ tracking }) => parcel({ status: 'shipped', lines, ...tracking }),
    });
    await renderPage(<CheckTab />, { actor: packer });

    const parcelInput = screen.getByTestId('check-parcel');
    await waitFor(() => expect(parcelInput).toHaveFocus());
    await userEvent.type(parcelInput, 'PK-0001{Enter}');
    const scan = await screen.findByTestId('check-scan');
    await waitFor(() => expect(scan).toHaveFocus());
    expect(within(screen.getByTestId('check-lines')).getByText('6901234567892')).toBeInTheDocument();

    // A keyboard-wedge scanner types the code and Enter.
    await userEvent.keyboard('6900000000000{Enter}');
    expect(await screen.findByTestId('check-error')).toHaveTextContent('6900000000000：不是本包裹的商品');
    expect(scan).toHaveFocus();

    await userEvent.keyboard('6901234567892{Enter}');
    await waitFor(() => expect(screen.queryByTestId('check-error')).not.toBeInTheDocument());
    expect(await screen.findByTestId('check-last')).toHaveTextContent('TEA-1');
    await userEvent.keyboard('6901234567892{Enter}');
    expect(await screen.findByTestId('check-error')).toHaveTextContent('多扫了');

    await userEvent.keyboard('CUP-2{Enter}6909876543210{Enter}');
    expect(await screen.findByTestId('check-complete')).toBeInTheDocument();
    expect(inputsOf(calls, 'parcel_scan')).toHaveLength(5);
    const weight = screen.getByTestId('check-weight');
    await waitFor(() => expect(weight).toHaveFocus());

    await userEvent.keyboard('0,5{Enter}');
    expect(await screen.findByTestId('check-error')).toHaveTextContent('千克');
    expect(inputsOf(calls, 'parcel_pack')).toHaveLength(0);
    await userEvent.clear(weight);
    await userEvent.type(weight, '0.5{Enter}');
    const carrier = await screen.findByTestId('ship-carrier');
    await waitFor(() => expect(carrier).toHaveFocus());
    expect(inputsOf(calls, 'parcel_pack')).toEqual([{ parcel_no: 'PK-0001', weight_kg: '0.5' }]);

    await userEvent.keyboard('顺丰速运{Enter}');
    expect(screen.getByTestId('ship-tracking')).toHaveFocus();
    await userEvent.keyboard('SF1234567890{Enter}');
    expect(await screen.findByTestId('check-shipped')).toHaveTextContent('SF1234567890');
    expect(inputsOf(calls, 'parcel_ship')).toEqual([
      { parcel_no: 'PK-0001', tracking: { carrier: '顺丰速运', service: '', tracking_no: 'SF1234567890' } },
    ]);
    // Ready for the next parcel.
    await waitFor(() => expect(screen.getByTestId('check-parcel')).toHaveFocus());
    expect(screen.getByTestId('check-parcel')).toHaveValue('');
  });

  it('says why a parcel cannot ship, in words', async () => {
    mockCommands({
      parcel_get: () => parcel({ status: 'packed', weight_kg: '0.500', lines: parcel().lines.map((l) => ({ ...l, checked: l.qty })) }),
      parcel_ship: () => {
        throw invalid('tracking_no', 'duplicate');
      },
    });
    await renderPage(<CheckTab />, { actor: packer });
    await userEvent.type(screen.getByTestId('check-parcel'), 'PK-0001{Enter}');
    await userEvent.type(await screen.findByTestId('ship-carrier'), '中通快递');
    await userEvent.type(screen.getByTestId('ship-tracking'), 'ZT778899001{Enter}');
    expect(await screen.findByTestId('check-error')).toHaveTextContent('该快递公司已有其他包裹使用此运单号');
  });
});
