import { exchangeInstant } from '../../engine/shared/exchange-time';
import { isTradingDay, nextTradingDay } from '../../engine/shared/market-calendar';
import { executeStrategies } from '../../engine/workflows/execute-strategies';
import { strategyAnalysis } from '../../engine/workflows/strategy-analysis';
import { unifiedMonitor } from '../../engine/workflows/unified-monitor';
import { jobFor, type TestEngine } from './workflow-context';

export interface PlayOptions {
  /** First trading day (YYYY-MM-DD). */
  readonly from: string;
  readonly days: number;
  /** Minutes between monitor runs (the shipped schedule runs it every 5). */
  readonly monitorEveryMin?: number;
  /** Run the morning analysis and execute_strategies (09:45, 10:00 ET). Default true. */
  readonly entries?: boolean;
  /** Stop early once this returns true (checked after every job). */
  readonly until?: () => boolean;
}

/**
 * Trading days of the engine's workflows on a test engine (testEngine with `execute: true`): the
 * shipped day in miniature, analysis at 09:45 ET, execute_strategies at 10:00, the monitor through
 * the session, with the paper broker matching in between. No Redis: the queue's semantics are
 * tested elsewhere; these runs show what the rules and gates do on the simulated market.
 */
export async function playDays(e: TestEngine, o: PlayOptions): Promise<string[]> {
  const every = (o.monitorEveryMin ?? 15) * 60_000;
  const days: string[] = [];
  for (let d = isTradingDay(o.from) ? o.from : nextTradingDay(o.from); days.length < o.days; d = nextTradingDay(d)) {
    days.push(d);
    if (o.entries ?? true) {
      e.clock.set(exchangeInstant(d, '09:45'));
      await e.broker.processAt(e.clock.now());
      await strategyAnalysis(e.ctx, jobFor('strategy_analysis', e.clock));
      e.clock.set(exchangeInstant(d, '10:00'));
      await executeStrategies(e.ctx, jobFor('execute_strategies', e.clock));
      if (o.until?.()) return days;
    }
    const close = exchangeInstant(d, '16:00');
    for (let t = exchangeInstant(d, '09:35'); t < close; t += every) {
      if (t > e.clock.now()) e.clock.set(t);
      await e.broker.processAt(e.clock.now());
      await unifiedMonitor(e.ctx, jobFor('unified_monitor', e.clock));
      if (o.until?.()) return days;
    }
  }
  return days;
}
