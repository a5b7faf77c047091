import { NotConnectedError } from '../../../engine/shared/errors';
import { validateIbConnection } from '../../../engine/workflows/validate-ib-connection';
import { jobFor, testEngine, type TestEngine } from '../../helpers/workflow-context';
import { override } from '../../helpers/workflow-stubs';

describe('validate_ib_connection', () => {
  let e: TestEngine;
  afterEach(() => e.close());

  it('should pass with the net liquidation and the first underlying’s (SPY) price when all answer', async () => {
    e = testEngine();
    await e.broker.connect();
    const spot = await e.market.spot('SPY');
    const r = await validateIbConnection(e.ctx, jobFor('validate_ib_connection', e.clock));
    expect(r.summary).toBe(`broker paper connected; net liquidation 100000.00; SPY ${spot.toFixed(2)} from sim`);
    expect(e.alerts).toEqual([]);
  });

  it('should alert broker_unreachable at error and fail, saying what to check, when the broker is down', async () => {
    e = testEngine();
    await expect(validateIbConnection(e.ctx, jobFor('validate_ib_connection', e.clock))).rejects.toThrow(
      /^connection check failed: broker paper not connected \(paper broker \(simulated market\)\)\. Check that TWS \/ IB Gateway runs/,
    );
    expect(e.alerts).toHaveLength(1);
    expect(JSON.parse(e.alerts[0] ?? '{}')).toMatchObject({ alert: 'broker_unreachable', severity: 'error' });
  });

  it.each([
    ['a price that is not a number', async () => NaN, 'SPY price from sim is NaN, not a price'],
    ['a market-data error', async () => Promise.reject(new NotConnectedError('X', 'market data farm down')), 'no SPY price from sim: market data farm down'],
  ])('should fail on %s even with the broker up', async (_name, spot, message) => {
    e = testEngine();
    await e.broker.connect();
    const ctx = { ...e.ctx, market: override(e.market, { spot }) };
    await expect(validateIbConnection(ctx, jobFor('validate_ib_connection', e.clock))).rejects.toThrow(message);
    expect(e.alerts).toHaveLength(1);
  });

  it('should fail without alerting on a dry run', async () => {
    e = testEngine();
    await expect(validateIbConnection(e.ctx, jobFor('validate_ib_connection', e.clock, { dry_run: true }))).rejects.toThrow(/not connected/);
    expect(e.alerts).toEqual([]);
  });
});
