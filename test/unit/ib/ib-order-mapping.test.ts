import { SecType } from '@stoqey/ib';
import { brokerStatus, comboContract, comboOrder, ibUtcFilterTime, isWorking, parseIbTime, signedComboPrice } from '../../../engine/adapters/ib/ib-order-mapping';
import type { ComboLeg } from '../../../engine/model/leg';

const leg = (strike: number, action: 'BUY' | 'SELL'): ComboLeg => ({ symbol: 'SPY', expiry: '2026-02-20', right: 'C', strike, ratio: 1, action, con_id: null });

describe('IB order mapping', () => {
  it('builds one guaranteed SMART BAG combo with the legs’ conIds, actions and ratios', () => {
    const c = comboContract('SPY', [leg(580, 'SELL'), leg(585, 'BUY')], [111, 222]);
    expect(c).toEqual({ symbol: 'SPY', secType: SecType.BAG, currency: 'USD', exchange: 'SMART', comboLegs: [{ conId: 111, ratio: 1, action: 'SELL', exchange: 'SMART' }, { conId: 222, ratio: 1, action: 'BUY', exchange: 'SMART' }] });
    expect(JSON.stringify(c)).not.toContain('NonGuaranteed');
  });

  it('buys the combo at the signed net price (−1.20 = a credit of 1.20), DAY, orderRef = intent id, transmitted', () => {
    const o = comboOrder({ order_ref: 'intent-1', quantity: 2, limit_price: -1.2 });
    expect(o).toMatchObject({ action: 'BUY', orderType: 'LMT', totalQuantity: 2, lmtPrice: -1.2, tif: 'DAY', orderRef: 'intent-1', transmit: true });
    expect(o.account).toBeUndefined();
    expect(signedComboPrice('BUY', -1.2)).toBe(-1.2);
    expect(signedComboPrice('SLD', 1.2)).toBe(-1.2);
  });

  it.each([
    ['Submitted', 0, 'submitted'],
    ['PreSubmitted', 0, 'submitted'],
    ['Submitted', 1, 'partially_filled'],
    ['PendingCancel', 0, 'submitted'],
    ['PendingSubmit', 0, 'pending_submit'],
    ['Filled', 2, 'filled'],
    ['Cancelled', 1, 'cancelled'],
    ['ApiCancelled', 0, 'cancelled'],
    ['Inactive', 0, 'inactive'],
  ] as const)('maps IB status %s with %d of 2 filled to %s', (ib, filled, want) => {
    expect(brokerStatus(ib, filled, 2)).toBe(want);
  });

  it('lists only orders IB may still fill as working', () => {
    expect(['pending_submit', 'submitted', 'partially_filled'].every((s) => isWorking(s as never))).toBe(true);
    expect(['filled', 'cancelled', 'rejected', 'inactive'].some((s) => isWorking(s as never))).toBe(false);
  });

  it('reads IB’s execution time formats and writes the filter time in UTC', () => {
    expect(ibUtcFilterTime(Date.parse('2026-01-05T15:04:05Z'))).toBe('20260105-15:04:05');
    expect(parseIbTime('20260105-15:04:05')).toBe(Date.parse('2026-01-05T15:04:05Z'));
    expect(parseIbTime('20260105 10:04:05 US/Eastern')).toBe(Date.parse('2026-01-05T15:04:05Z'));
    expect(parseIbTime('20260105  10:04:05')).toBe(Date.parse('2026-01-05T15:04:05Z'));
    expect(parseIbTime('20260705 10:04:05 America/New_York')).toBe(Date.parse('2026-07-05T14:04:05Z'));
    expect(parseIbTime('1767625445')).toBe(1767625445000);
    expect(parseIbTime('yesterday')).toBeNaN();
    expect(parseIbTime(undefined)).toBeNaN();
  });
});
