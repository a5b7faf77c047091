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
});
