import type { MarketData, OptionContractRef, OptionQuote } from '../../../engine/market/market-data';
import type { MarketDataType } from '../../../engine/model/market-data-type';
import { applyLiveQuotesGate } from '../../../engine/rules/live-quotes-gate';
import type { EntryDecision } from '../../../engine/rules/entry-decision';
import { executeStrategies, type EntryPlan } from '../../../engine/workflows/execute-strategies';
import { strategyAnalysis } from '../../../engine/workflows/strategy-analysis';
import { configWith, replaceOnce } from '../../helpers/config';
import { jobFor, testEngine, type TestEngine } from '../../helpers/workflow-context';

// A day the shipped gates enter on the simulated market (SPY and QQQ bear calls).
const AT = '2026-02-23T14:45:00Z';

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
    const live = await execute(undefined, 'live');
    const entering = live.filter((p) => p.decision.action === 'enter').map((p) => p.symbol);
    expect(entering.length).toBeGreaterThan(0);
    e.close();
    const plans = await execute(undefined, 'delayed');
    expect(plans.map((p) => p.symbol)).toEqual(live.map((p) => p.symbol));
    expect(plans.every((p) => p.decision.action === 'skip')).toBe(true);
    const first = plans.find((p) => p.symbol === entering[0]);
    expect(first?.decision.reason).toBe('gate live_quotes failed: quotes are delayed (IB market data type delayed), not live: subscribe to live data (OPRA for options) or set market.allow_delayed_entries: true');
    expect(e.submitted).toEqual([]);
    const rows = e.db.prepare("SELECT subject, reason, trace_json FROM decisions WHERE kind = 'entry'").all() as Array<{ subject: string; reason: string; trace_json: string }>;
    expect(rows).toHaveLength(plans.length);
    const row = rows.find((r) => r.subject.startsWith(`${entering[0]}|`));
    expect(JSON.parse(row!.trace_json).gates.at(-1)).toMatchObject({ gate: 'live_quotes', passed: false, facts: { quotes_data_type: 'delayed' } });
  });

  it('should pass when strategies.yaml allows delayed entries (the same entries as on live quotes)', async () => {
    const live = (await execute(undefined, 'live')).map((p) => [p.symbol, p.decision.action, p.sent]);
    e.close();
    const plans = await execute(allowed, 'delayed');
    expect(plans.map((p) => [p.symbol, p.decision.action, p.sent])).toEqual(live);
  });

  it('should leave live quotes alone (no extra gate in the trace)', async () => {
    const plans = await execute(undefined, 'live');
    expect(plans.some((p) => p.decision.action === 'enter')).toBe(true);
    for (const p of plans) expect(p.decision.reason).not.toContain('live_quotes');
  });
});
