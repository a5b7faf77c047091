import { intentId, type OrderIntent } from '../model/order-intent';
import { compileEntryGates, compileExitRules } from '../rules/compile-rules';
import { decideEntry, type EntryDecision } from '../rules/entry-decision';
import { capFor } from '../execution/price-walk';
import { applyLiveQuotesGate } from '../rules/live-quotes-gate';
import { CycleQuotes } from '../market/cycle-quotes';
import { maxLossDollars } from '../risk/spread-risk';
import { ConfigError } from '../shared/errors';
import { exchangeDate } from '../shared/exchange-time';
import type { ScoredCandidate } from '../strategy/candidate';
import { AnalysesRepo } from '../store/analyses-repo';
import { DecisionsRepo } from '../store/decisions-repo';
import { analyzeMarket, type AnalysisResult } from './analyze-market';
import { gatherEntryView } from './entry-facts-gather';
import { entryJournalFacts } from './entry-journal-facts';
import type { Workflow } from './workflow-context';

export interface EntryPlan {
  readonly symbol: string;
  readonly strategy: string;
  readonly expiry: string;
  readonly score: number;
  readonly decision: Pick<EntryDecision, 'action' | 'reason' | 'exit_rule'>;
  readonly intent: OrderIntent | null;
  readonly risk: { readonly allowed: boolean; readonly reasons: readonly string[] } | null;
  readonly sent: boolean;
}

const candidateSubject = (c: ScoredCandidate): string => `${c.expiry}|${c.legs.map((l) => `${l.action}${l.right}${l.strike}`).join(',')}`;

export const NO_CANDIDATE = 'No strategies meet execution threshold';

/**
 * The run's one line: the entries sent, else why none was — no candidate reached min_score, the
 * gates or exit rules skipped them, or the risk manager refused them (#13: a halted engine's
 * refusal read "No strategies meet execution threshold", as if the market had offered nothing).
 */
export function entrySummary(plans: readonly EntryPlan[], dryRun: boolean): string {
  const entering = plans.filter((p) => p.intent && p.risk?.allowed);
  if (entering.length > 0) return `${entering.length} entr${entering.length === 1 ? 'y' : 'ies'} ${dryRun ? 'planned (dry run)' : 'sent to the orders queue'}: ${entering.map((p) => `${p.symbol} ${p.strategy}`).join(', ')}`;
  if (plans.length === 0) return NO_CANDIDATE;
  const why = plans.map((p) => `${p.symbol} ${p.strategy} ${p.intent ? `refused by risk: ${p.risk?.reasons.join('; ') ?? ''}` : `${p.decision.action}: ${p.decision.reason}`}`);
  return `no entry: ${why.join('; ')}`;
}

/**
 * Today's analysis → the best candidate per symbol scoring at least min_score → entry gates and the
 * 12 exit rules on the would-be position → the risk manager → an open intent onto the orders queue.
 * An analysis from another day or another config is refused: execution never runs on a stale plan.
 */
export const executeStrategies: Workflow = async (ctx, job) => {
  const now = ctx.clock.now();
  const today = exchangeDate(now);
  let analysis = new AnalysesRepo(ctx.db).latest<AnalysisResult>(today);
  if (!analysis && job.dry_run) {
    // A dry run shows the whole plan: without today's analysis it makes one, in memory only.
    const result = await analyzeMarket({ marketData: ctx.market, config: ctx.config, symbols: Object.keys(ctx.config.strategies.underlyings), clock: ctx.clock });
    analysis = { id: '(in-memory analysis for this dry run)', config_hash: result.config_hash, result };
  }
  if (!analysis) throw new ConfigError('E_NO_ANALYSIS', `no strategy analysis for ${today}: run strategy_analysis first (execute_strategies runs after it)`);
  if (analysis.config_hash !== ctx.config.hash) {
    throw new ConfigError('E_ANALYSIS_CONFIG', `today's analysis ${analysis.id} was made under config ${analysis.config_hash.slice(0, 12)}, the engine runs ${ctx.config.hash.slice(0, 12)}: run strategy_analysis again`);
  }
  const gates = compileEntryGates(ctx.config.entry_gates, ctx.config.hash);
  const exits = compileExitRules(ctx.config.exit_rules, ctx.config.hash);
  const decisions = new DecisionsRepo(ctx.db);
  const minScore = ctx.config.strategies.scoring.min_score;
  const quantity = ctx.config.strategies.risk.contracts_per_entry;
  const wanted = typeof job.params.symbol === 'string' ? job.params.symbol : null;
  const plans: EntryPlan[] = [];
  for (const s of analysis.result.symbols) {
    const pick = s.pick;
    if ((wanted && s.symbol !== wanted) || !pick || pick.score < minScore) continue;
    // The candidate's quotes as they came (live or delayed) decide the built-in live_quotes gate.
    const md = new CycleQuotes(ctx.market);
    const journal = entryJournalFacts(ctx.db, s.symbol, pick.legs, now);
    const view = await gatherEntryView(pick, { md, journal, iv_percentile: s.iv_percentile, now_ms: now });
    const types = pick.legs.map((l) => md.quoteOf({ symbol: s.symbol, expiry: l.expiry, right: l.right, strike: l.strike })?.data_type);
    const d = applyLiveQuotesGate(await decideEntry(gates, exits, view.facts), types, ctx.config.strategies.market.allow_delayed_entries);
    const subject = `${s.symbol}|${candidateSubject(pick)}`;
    if (!job.dry_run) decisions.record({ at: now, config_hash: ctx.config.hash, kind: 'entry', subject, action: d.action, rule: d.exit_rule, reason: d.reason, trace: { gates: d.gates, exit: d.exit?.trace ?? null } });
    const summary = { action: d.action, reason: d.reason, exit_rule: d.exit_rule };
    if (d.action !== 'enter') {
      if (d.action === 'alert') await ctx.alerts.raise({ severity: 'warning', kind: 'data_incomplete', message: `entry ${s.symbol} ${pick.strategy}: ${d.reason}` });
      ctx.log(`entry ${s.symbol} ${pick.strategy} ${pick.expiry} score ${pick.score.toFixed(1)}: ${d.action} (${d.reason})`);
      plans.push({ symbol: s.symbol, strategy: pick.strategy, expiry: pick.expiry, score: pick.score, decision: summary, intent: null, risk: null, sent: false });
      continue;
    }
    const id = intentId({ task: 'execute_strategies', trading_date: today, symbol: s.symbol, strategy: pick.strategy, subject: candidateSubject(pick) });
    const intent: OrderIntent = {
      id,
      kind: 'open',
      position_id: `pos-${id}`,
      symbol: s.symbol,
      strategy: pick.strategy,
      legs: pick.legs.map((l) => ({ symbol: s.symbol, expiry: l.expiry, right: l.right, strike: l.strike, ratio: l.ratio, action: l.action, con_id: l.con_id })),
      quantity,
      urgency: 'normal',
      width: pick.metrics.width,
      // Risk is measured at the worst credit the walk may accept (the floor), not at mid.
      context: { entry_iv: Number.isFinite(view.short_iv) ? view.short_iv : null, entry_vix: view.vix, max_loss: maxLossDollars(pick.legs, -capFor('open', pick.metrics.width, ctx.config.strategies.orders), quantity), entry_deltas: view.deltas },
      config_hash: ctx.config.hash,
    };
    // The risk manager decides once, at send (execution/order-executor.ts). A dry run previews that
    // check; a live run submits, unless trading is halted or the breaker is open: then the refusal
    // is journaled and alerted now rather than queueing an order bound to be refused.
    const flags = ctx.risk.flags();
    const risk = job.dry_run ? await ctx.risk.preview(intent) : flags.halted || flags.breaker_open ? await ctx.risk.check(intent, 'intent') : { allowed: true, reasons: [] };
    const send = !job.dry_run && risk.allowed;
    if (send) await ctx.submit(intent);
    ctx.log(`entry ${s.symbol} ${pick.strategy} ${pick.expiry} score ${pick.score.toFixed(1)}: ${risk.allowed ? (job.dry_run ? 'would send' : 'sent to the orders queue (risk checked at send)') : `refused by risk: ${risk.reasons.join('; ')}`}`);
    plans.push({ symbol: s.symbol, strategy: pick.strategy, expiry: pick.expiry, score: pick.score, decision: summary, intent, risk, sent: send });
  }
  const summary = entrySummary(plans, job.dry_run);
  if (!plans.some((p) => p.intent && p.risk?.allowed)) ctx.log(summary);
  return { summary, data: { analysis_id: analysis.id, plans } };
};
