import type { MarketData, OptionContractRef, OptionQuote } from '../../../engine/market/market-data';
import type { MarketDataType } from '../../../engine/model/market-data-type';
import { applyLiveQuotesGate } from '../../../engine/rules/live-quotes-gate';
import type { EntryDecision } from '../../../engine/rules/entry-decision';
import { executeStrategies, type EntryPlan } from '../../../engine/workflows/execute-strategies';
import { strategyAnalysis } from '../../../engine/workflows/strategy-analysis';
import { configWith, replaceOnce } from '../../helpers/config';
import { jobFor, testEngine, type TestEngine } from '../../helpers/workflow-context';

const AT = '2026-01-05T14:45:00Z';

/** The same market, its option quotes marked as IB marks them without a live subscription. */
function markedAs(md: MarketData, type: MarketDataType): MarketData {
  return new Proxy(md, {
    get(target, prop, receiver) {
      if (prop === 'quotes') return async (cs: readonly OptionContractRef[]): Promise<readonly OptionQuote[]> => (await target.quotes(cs)).map((q) => ({ ...q, data_type: type }));
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

const allowed = configWith((f) => {
  f['strategies.yaml'] = replaceOnce(f['strategies.yaml'] ?? '', 'risk_free_rate: 0.045', 'risk_free_rate: 0.045\n  data_type: delayed\n  allow_delayed_entries: true');
});

describe('entries on delayed quotes', () => {
  let e: TestEngine;
  afterEach(() => e.close());

  async function execute(config: typeof allowed | undefined, type: MarketDataType): Promise<EntryPlan[]> {
    e = testEngine({ at: AT, config });
    await strategyAnalysis(e.ctx, jobFor('strategy_analysis', e.clock));
    e.clock.advance(15 * 60_000);
    const r = await executeStrategies({ ...e.ctx, market: markedAs(e.ctx.market, type) }, jobFor('execute_strategies', e.clock));
    return (r.data as { plans: EntryPlan[] }).plans;
  }

  it('should be refused by the live_quotes gate under the shipped config, journaled with the fix', async () => {
    const plans = await execute(undefined, 'delayed');
    // SPY and QQQ enter on live quotes (IWM fails a YAML gate either way).
    expect(plans.map((p) => [p.symbol, p.decision.action])).toEqual([['SPY', 'skip'], ['QQQ', 'skip'], ['IWM', 'skip']]);
    expect(plans[0]?.decision.reason).toBe('gate live_quotes failed: quotes are delayed (IB market data type delayed), not live: subscribe to live data (OPRA for options) or set market.allow_delayed_entries: true');
    expect(e.submitted).toEqual([]);
    const rows = e.db.prepare("SELECT reason, trace_json FROM decisions WHERE kind = 'entry'").all() as Array<{ reason: string; trace_json: string }>;
    expect(rows).toHaveLength(3);
    expect(plans[2]?.decision.reason).toMatch(/; gate live_quotes failed: quotes are delayed/);
    expect(JSON.parse(rows[0]!.trace_json).gates.at(-1)).toMatchObject({ gate: 'live_quotes', passed: false, facts: { quotes_data_type: 'delayed' } });
  });

  it('should pass when strategies.yaml allows delayed entries (the same two entries as on live quotes)', async () => {
    const plans = await execute(allowed, 'delayed');
    expect(plans.map((p) => [p.symbol, p.decision.action, p.sent])).toEqual([['SPY', 'enter', true], ['QQQ', 'enter', true], ['IWM', 'skip', false]]);
  });

  it('should leave live quotes alone (no extra gate in the trace)', async () => {
    const plans = await execute(undefined, 'live');
    expect(plans.map((p) => p.decision.action)).toEqual(['enter', 'enter', 'skip']);
    expect(plans[2]?.decision.reason).not.toContain('live_quotes');
  });
});

describe('applyLiveQuotesGate', () => {
  const base: EntryDecision = { action: 'enter', reason: 'all gates hold and the exit rules hold', gates: [], exit: null, exit_rule: null, config_hash: 'h', flagged: false };

  it.each([
    [['live', 'live'], false, 'enter'],
    [[undefined, undefined], false, 'enter'],
    [['live', 'delayed'], false, 'skip'],
    [['frozen', 'live'], false, 'skip'],
    [['delayed_frozen'], true, 'enter'],
  ] as const)('should turn %p (allowed: %p) into %s', (types, allow, action) => {
    expect(applyLiveQuotesGate(base, types, allow).action).toBe(action);
  });

  it('should keep an incomplete decision an alert', () => {
    expect(applyLiveQuotesGate({ ...base, action: 'alert' }, ['delayed'], false).action).toBe('alert');
  });

  it('should add its failure to an entry already skipped by a YAML gate', () => {
    const d = applyLiveQuotesGate({ ...base, action: 'skip', reason: 'gate min_iv_rank failed: IV rank below 25' }, ['delayed'], false);
    expect(d.reason).toMatch(/^gate min_iv_rank failed: IV rank below 25; gate live_quotes failed: quotes are delayed/);
  });
});
