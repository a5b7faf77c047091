import { exchangeDate } from '../shared/exchange-time';
import { AnalysesRepo } from '../store/analyses-repo';
import { analyzeMarket } from './analyze-market';
import type { Workflow } from './workflow-context';

/** The selector over every underlying; all ranked candidates are journaled for execution to read. */
export const strategyAnalysis: Workflow = async (ctx, job) => {
  const symbols = typeof job.params.symbol === 'string' ? [job.params.symbol] : Object.keys(ctx.config.strategies.underlyings);
  const result = await analyzeMarket({ marketData: ctx.market, config: ctx.config, symbols, clock: ctx.clock });
  if (!job.dry_run) new AnalysesRepo(ctx.db).save(job.job_id, exchangeDate(result.as_of), result);
  const picks = result.symbols.map((s) => (s.pick ? `${s.symbol} ${s.pick.strategy} ${s.pick.expiry} score ${s.pick.score.toFixed(1)}` : `${s.symbol} none`));
  const ranked = result.symbols.reduce((n, s) => n + s.candidates.length, 0);
  return { summary: `${ranked} candidates ranked; picks: ${picks.join(', ')}`, data: result };
};
