import type { ComboLeg } from '../model/leg';
import { intentId, type OrderIntent } from '../model/order-intent';
import { isActiveStatus } from '../model/intent-lifecycle';
import { compileExitRules } from '../rules/compile-rules';
import { decidePosition, type PositionDecision } from '../rules/position-decision';
import { ReadOnlyPositionState } from '../rules/position-state';
import { spreadWidth } from '../risk/spread-risk';
import { errorMessage } from '../shared/errors';
import { exchangeDate } from '../shared/exchange-time';
import { DecisionsRepo } from '../store/decisions-repo';
import { IntentsRepo } from '../store/intents-repo';
import { BatchedPositionState } from '../store/batched-position-state';
import { SqlitePositionStateStore } from '../store/position-state-sqlite';
import { WriteBatch } from '../store/write-batch';
import { PositionsRepo } from '../store/positions-repo';
import { type StrategyPositionRecord } from '../model/position';
import { gatherPositionView } from './position-facts-gather';
import { anyLegExpired } from './expiry-settlement';
import { CycleQuotes } from '../market/cycle-quotes';
import type { Workflow } from './workflow-context';
import type { RollMode } from './roll-decision';
import { planRoll, type RollInput, type RollPlan } from './roll-plan';

export interface MonitorResult {
  readonly position_id: string;
  readonly symbol: string;
  readonly strategy: string;
  readonly unrealized_pnl: number | null;
  readonly decision: Pick<PositionDecision, 'action' | 'rule' | 'urgency' | 'reason'>;
  readonly intent: OrderIntent | null;
  /** Why no intent was made for a non-hold decision (one already in flight). */
  readonly note: string | null;
  readonly sent: boolean;
  /** For a `roll` decision: whether it rolled (and how) or fell back to a close, and why. */
  readonly roll: {
    readonly action: 'roll' | 'close';
    readonly reason: string;
    readonly score: number | null;
    readonly mode: RollMode | null;
    readonly to_position_id: string | null;
  } | null;
}

/** A roll that cannot even be planned (the chain unreadable) still gets the rule's fallback: the exit is never skipped. */
async function planOrFallBack(ctx: Parameters<Workflow>[0], input: RollInput): Promise<RollPlan> {
  try {
    return await planRoll(ctx, input);
  } catch (e) {
    const reason = `fallback close: the roll could not be planned (${errorMessage(e)})`;
    return { decision: { action: 'close', reason, score: null, refused_by: 'candidate' }, candidate: null, mode: null, intents: [], to_position_id: null, trace: { error: errorMessage(e) } };
  }
}

/** Reverses the opening legs: what closes the position. */
function closingLegs(p: StrategyPositionRecord): ComboLeg[] {
  return p.legs.map((l) => ({ symbol: p.symbol, expiry: l.expiry, right: l.right, strike: l.strike, ratio: l.ratio, action: l.action === 'SELL' ? 'BUY' : 'SELL', con_id: l.con_id }));
}

/**
 * unified_monitor: every open position → one read of its legs, spot, VIX and IV → the 12 rules →
 * a journaled decision → for close/reduce a closing intent onto the orders queue; for roll a plan
 * (workflows/roll-plan.ts) that either rolls — one combo order, or a close and an open held until
 * the close filled — or falls back to the close, journaled as a `roll` decision with its reason.
 * One intent per position at a time: while one is in flight nothing new is made; after one ended
 * unfilled the next attempt gets a new id (the attempt number is part of it), so a stop that did
 * not fill is tried again on the next run.
 */
export const unifiedMonitor: Workflow = async (ctx, job) => {
  const now = ctx.clock.now();
  const today = exchangeDate(now);
  const rules = compileExitRules(ctx.config.exit_rules, ctx.config.hash);
  const sqlState = new SqlitePositionStateStore(ctx.db);
  // The cycle's decisions and peaks share one commit (store/write-batch.ts), flushed before any
  // intent is submitted and at the end. A dry run sees the peak it would record but writes nothing.
  const batch = new WriteBatch(ctx.db);
  const state = job.dry_run ? new ReadOnlyPositionState(sqlState) : new BatchedPositionState(sqlState, batch);
  const decisions = new DecisionsRepo(ctx.db);
  const intents = new IntentsRepo(ctx.db);
  const all = new PositionsRepo(ctx.db).list('open').filter((pos) => typeof job.params.symbol !== 'string' || pos.symbol === job.params.symbol);
  // Past its expiry close a position's contracts no longer trade (the broker settles them): no order
  // is sent for them, sync_positions records the settlement (workflows/settle-expired.ts).
  const expired = all.filter((pos) => anyLegExpired(pos.legs, now));
  const open = all.filter((pos) => !anyLegExpired(pos.legs, now));
  const out: MonitorResult[] = [];
  for (const pos of expired) {
    const reason = `past its expiry close (${pos.legs.map((l) => l.expiry).filter((x, i, a) => a.indexOf(x) === i).join(', ')}): no order for contracts that no longer trade; sync_positions settles it`;
    ctx.log(`${pos.id} ${pos.symbol} ${pos.strategy}: skipped, ${reason}`);
    out.push({ position_id: pos.id, symbol: pos.symbol, strategy: pos.strategy, unrealized_pnl: null, decision: { action: 'hold', rule: null, urgency: 'low', reason }, intent: null, note: reason, sent: false, roll: null });
  }
  // Each distinct leg is quoted once a cycle, in one paced batch: positions sharing legs share quotes.
  const md = new CycleQuotes(ctx.market);
  await md.prefetch(open.flatMap((p) => p.legs.map((l) => ({ symbol: p.symbol, expiry: l.expiry, right: l.right, strike: l.strike }))));
  const failed: Array<{ position_id: string; error: string }> = [];
  try {
  for (const pos of open) {
    let view: Awaited<ReturnType<typeof gatherPositionView>>;
    let d: PositionDecision;
    try {
      view = await gatherPositionView(pos, md, ctx.config, now, state);
      d = await decidePosition(rules, view.facts);
    } catch (e) {
      // One position that cannot be evaluated must not leave every other one unwatched: the rest
      // are decided, this one is alerted, and the run still ends failed (the watchdog sees it).
      const error = errorMessage(e);
      failed.push({ position_id: pos.id, error });
      if (!job.dry_run) batch.add(() => decisions.record({ at: now, config_hash: ctx.config.hash, kind: 'exit', subject: pos.id, action: 'alert', rule: null, reason: `not evaluated: ${error}`, trace: [] }));
      await ctx.alerts.raise({ severity: 'error', kind: 'monitor_position_failed', message: `${pos.id} ${pos.symbol} ${pos.strategy} could not be evaluated: ${error}` });
      continue;
    }
    const decided = d;
    if (!job.dry_run) batch.add(() => decisions.record({ at: now, config_hash: ctx.config.hash, kind: 'exit', subject: pos.id, action: decided.action, rule: decided.rule, reason: decided.reason, trace: decided.trace }));
    const base = { position_id: pos.id, symbol: pos.symbol, strategy: pos.strategy, unrealized_pnl: view.unrealized_pnl, decision: { action: d.action, rule: d.rule, urgency: d.urgency, reason: d.reason } };
    if (d.action === 'hold' || d.action === 'alert') {
      if (d.action === 'alert') await ctx.alerts.raise({ severity: d.flagged ? 'error' : 'warning', kind: d.flagged ? 'data_incomplete' : 'position_alert', message: `${pos.id} ${pos.symbol} ${pos.strategy}: ${d.reason}` });
      out.push({ ...base, intent: null, note: null, sent: false, roll: null });
      continue;
    }
    const earlier = intents.forPosition(pos.id);
    // Only an active intent blocks a new one: a partly filled close is final, and the lots it left
    // open are managed from here (model/intent-lifecycle.ts).
    const flying = earlier.find((i) => isActiveStatus(i.status));
    if (flying) {
      out.push({ ...base, intent: null, note: `intent ${flying.id} is still ${flying.status}`, sent: false, roll: null });
      continue;
    }
    const attempt = earlier.filter((i) => exchangeDate(i.created_at) === today && i.status !== 'filled').length + 1;
    let roll: MonitorResult['roll'] = null;
    if (d.action === 'roll') {
      const plan = await planOrFallBack(ctx, { position: pos, decision: d, md, close_cost: view.close_cost, now, trading_date: today, attempt });
      roll = { action: plan.decision.action, reason: plan.decision.reason, score: plan.decision.score, mode: plan.mode, to_position_id: plan.to_position_id };
      if (!job.dry_run) batch.add(() => decisions.record({ at: now, config_hash: ctx.config.hash, kind: 'roll', subject: pos.id, action: plan.decision.action, rule: decided.rule, reason: plan.decision.reason, trace: plan.trace }));
      if (plan.decision.action === 'roll') {
        if (!job.dry_run) {
          batch.flush();
          // A linked open is journaled now and queued by the executor once its close filled.
          for (const intent of plan.intents) await ctx.submit(intent);
        }
        ctx.log(`${pos.id} ${pos.symbol} ${pos.strategy}: roll by ${d.rule ?? '-'} as ${plan.mode === 'combo' ? 'one combo order' : 'a close, then an open once it filled'} (${plan.decision.reason})${job.dry_run ? ' [dry run]' : ''}`);
        out.push({ ...base, intent: plan.intents[0] ?? null, note: null, sent: !job.dry_run, roll });
        continue;
      }
    }
    const fraction = Number(d.params.fraction ?? 0.5);
    const quantity = d.action === 'reduce' ? Math.min(pos.quantity, Math.max(1, Math.floor(pos.quantity * fraction))) : pos.quantity;
    const intent: OrderIntent = {
      id: intentId({ task: 'unified_monitor', trading_date: today, symbol: pos.symbol, strategy: pos.strategy, subject: `${pos.id}|${d.rule ?? d.action}|${attempt}` }),
      kind: d.action === 'reduce' && quantity < pos.quantity ? 'reduce' : 'close',
      position_id: pos.id,
      symbol: pos.symbol,
      strategy: pos.strategy,
      legs: closingLegs(pos),
      quantity,
      urgency: d.urgency,
      width: spreadWidth(pos.legs),
      context: { entry_iv: pos.entry_iv, entry_vix: pos.entry_vix },
      config_hash: ctx.config.hash,
    };
    // Closing and reducing always pass the risk manager (checked at send by the executor).
    const send = !job.dry_run;
    if (send) {
      batch.flush();
      await ctx.submit(intent);
    }
    ctx.log(`${pos.id} ${pos.symbol} ${pos.strategy}: ${roll ? 'close (roll fallback)' : d.action} by ${d.rule ?? '-'} (${roll ? roll.reason : d.reason})${job.dry_run ? ' [dry run]' : ''}`);
    out.push({ ...base, intent, note: null, sent: send, roll });
  }
  } finally {
    // Whatever ends the cycle (a submit that failed included), what it decided is kept.
    batch.flush();
  }
  if (failed.length > 0) {
    throw new Error(`${failed.length} of ${open.length} open positions could not be evaluated (the others were): ${failed.map((f) => `${f.position_id}: ${f.error}`).join('; ').slice(0, 500)}`);
  }
  const acting = out.filter((r) => r.intent);
  const pnl = out.reduce((s, r) => s + (r.unrealized_pnl ?? 0), 0);
  const summary = `${out.length} open position${out.length === 1 ? '' : 's'}, unrealized ${pnl.toFixed(2)}; ${acting.length === 0 ? 'all hold' : acting.map((r) => `${r.symbol} ${r.roll ? (r.roll.action === 'roll' ? 'roll' : 'close (roll fallback)') : r.decision.action} by ${r.decision.rule ?? '-'}`).join(', ')}${expired.length > 0 ? `; ${expired.length} past expiry, skipped (left to sync_positions' settlement)` : ''}`;
  return { summary, data: { positions: out, quotes: { legs: md.stats.asked, distinct_legs: md.distinctContracts } } };
};
