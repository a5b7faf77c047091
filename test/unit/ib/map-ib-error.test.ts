import { mapIbError } from '../../../engine/adapters/ib/map-ib-error';

describe('mapIbError', () => {
  it.each([
    [2104, 'info'],
    [2106, 'info'],
    [2158, 'info'],
    [1100, 'connectivity:lost'],
    [1101, 'connectivity:restored_data_lost'],
    [1102, 'connectivity:restored'],
    [202, 'order_cancelled'],
    [10147, 'cannot_cancel'],
    [10148, 'cannot_cancel'],
    [200, 'error:rejected'],
    [201, 'error:rejected'],
    [10058, 'error:rejected'],
    [502, 'error:not_connected'],
    [504, 'error:not_connected'],
    [100, 'error:transient'],
    [420, 'error:transient'],
    [101, 'error:transient'],
    [9999, 'error:transient'],
    [326, 'error:config'],
    [354, 'error:config'],
    [10089, 'error:config'],
    [10090, 'error:config'],
    [10091, 'error:config'],
    [10168, 'error:config'],
    [10197, 'error:config'],
    [10167, 'delayed_data'],
    [2110, 'info'],
  ])('should classify IB code %i as %s', (code, expected) => {
    const o = mapIbError(code, 'text', 7);
    const label = o.kind === 'error' ? `error:${o.error.kind}` : o.kind === 'connectivity' ? `connectivity:${o.state}` : o.kind;
    expect(label).toBe(expected);
  });

  it('should say what to do next in the error message and keep the code', () => {
    const o = mapIbError(200, 'No security definition has been found for the request', 12);
    if (o.kind !== 'error') throw new Error('expected an error');
    expect(o.error.message).toBe(
      'IB 200 (request 12): No security definition has been found for the request — no security definition: check the symbol, expiry, strike and right (a config or chain error; do not retry)',
    );
    expect(o.error.code).toBe('IB_200');
    expect(o.error.retryable).toBe(false);
    expect(o.error.details).toEqual({ ib_code: 200, req_id: 12 });
  });

  it('should mark pacing errors retryable', () => {
    const o = mapIbError(420, 'Invalid real-time query: pacing violation');
    expect(o.kind === 'error' && o.error.retryable).toBe(true);
  });

  describe('when market data is not permitted', () => {
    it.each([
      [354, { symbol: 'SPY', secType: 'STK' }, ['no market data subscription for SPY', 'Settings → Market Data Subscriptions', 'market.data_type: delayed']],
      [354, { symbol: 'SPY', secType: 'OPT' }, ['no market data subscription for options on SPY', 'the OPRA options subscription']],
      [10089, { symbol: 'SPY', secType: 'OPT' }, ['no OPRA subscription for options on SPY', 'market.data_type: delayed']],
      [10168, { symbol: 'QQQ', secType: 'STK' }, ['delayed data is not enabled']],
      [10197, { symbol: 'QQQ', secType: 'STK' }, ['competing', 'log that session out']],
      [326, { clientId: 4 }, ['client id 4 is already used', '--ib-client-id']],
    ])('should say what to do for %i and never be retried', (code, subject, phrases) => {
      const o = mapIbError(code, 'IB text', 3, subject);
      if (o.kind !== 'error') throw new Error('expected an error');
      for (const p of phrases) expect(o.error.message).toContain(p);
      expect(o.error.retryable).toBe(false);
      expect(o.error.code).toBe(`IB_${code}`);
    });
  });
});
