import { capFor } from '../execution/price-walk';
import { ChainView } from '../market/chain-view';
import type { CycleQuotes } from '../market/cycle-quotes';
import { ivStanding } from '../market/iv-rank';
import type { MarketData, OptionContractRef, OptionQuote } from '../market/market-data';
import type { ComboLeg } from '../model/leg';
import { intentId, type OrderIntent } from '../model/order-intent';
import type { StrategyPositionRecord } from '../model/position';
import { compileEntryGates, compileExitRules } from '../rules/compile-rules';
import { decideEntry, type EntryDecision } from '../rules/entry-decision';
import { applyLiveQuotesGate } from '../rules/live-quotes-gate';
import type { PositionDecision } from '../rules/position-decision';
import { maxLossDollars, spreadWidth } from '../risk/spread-risk';
import type { RiskVerdict } from '../risk/risk-manager';
import { dteAt } from '../shared/exchange-time';
import { buildStrategy } from '../strategy/builders';
import type { ScoredCandidate } from '../strategy/candidate';
import { contractsFor, expiriesByPreference, uniqueContracts } from '../strategy/narrow-strikes';
import { rollBuildParams, rollCandidate, type RollCandidateResult } from '../strategy/roll-candidate';
import { parseRollParams } from '../config/roll-params';
import { gatherEntryView } from './entry-facts-gather';
import { entryJournalFacts } from './entry-journal-facts';
import { decideRoll, rollMode, type RollDecision, type RollMode } from './roll-decision';
import type { WorkflowContext } from './workflow-context';

/**
 * How many legs one combo order of a roll may have when the broker does not say (Broker
 * `max_combo_legs`): none, so an unknown broker gets two linked orders.
 */
const NO_COMBO = 0;

export interface RollPlan {
  readonly decision: RollDecision;
  readonly candidate: ScoredCandidate | null;
  readonly mode: RollMode | null;
  /** What to submit, in order (a linked open after its close); empty when the fallback decides. */
  readonly intents: readonly OrderIntent[];
  /** The new position's id when rolling. */
  readonly to_position_id: string | null;
  /** For the journal: what the plan saw (candidate, gates, risk, net change). */
  readonly trace: Readonly<Record<string, unknown>>;
}

export interface RollInput {
  readonly position: StrategyPositionRecord;
  readonly decision: PositionDecision;
  /** The monitor's cycle quotes (the candidate's quotes are read back for the live-quotes gate). */
  readonly md: CycleQuotes;
  /** The old position's cost to close per share at mid now (positive pays), from the monitor's view. */
  readonly close_cost: number | null;
  readonly now: number;
  readonly trading_date: string;
  /** The monitor's attempt number for this position today (part of the intent ids). */
  readonly attempt: number;
}

const closingLegs = (p: StrategyPositionRecord): ComboLeg[] =>
  p.legs.map((l) => ({ symbol: p.symbol, expiry: l.expiry, right: l.right, strike: l.strike, ratio: l.ratio, action: l.action === 'SELL' ? 'BUY' : 'SELL', con_id: l.con_id }));

const openingLegs = (c: ScoredCandidate): ComboLeg[] => c.legs.map((l) => ({ symbol: c.symbol, expiry: l.expiry, right: l.right, strike: l.strike, ratio: l.ratio, action: l.action, con_id: l.con_id }));

/** The new candidate on the chain now: the expiries nearest the target fetched one at a time until the template builds. */
async function findCandidate(ctx: WorkflowContext, md: MarketData, pos: StrategyPositionRecord, targetDte: number, now: number): Promise<{ result: RollCandidateResult; iv_percentile: number }> {
  const cfg = ctx.config.strategies;
  const from = { symbol: pos.symbol, strategy: pos.strategy, dte: Math.max(...pos.legs.map((l) => dteAt(l.expiry, now))) };
  const p = rollBuildParams(cfg, from, targetDte);
  const skeleton = await md.chain(pos.symbol, { dte_min: p.dte.min, dte_max: p.dte.max });
  const history = await md.ivHistory(pos.symbol, cfg.market.iv_lookback_days);
  const last = history[history.length - 1];
  if (!last) return { result: { ok: false, reason: `no IV history for ${pos.symbol}: the roll candidate cannot be scored` }, iv_percentile: Number.NaN };
  const standing = ivStanding(last.iv, history.map((h) => h.iv));
  const narrow = { symbol: pos.symbol, spot: skeleton.spot, as_of: skeleton.as_of, atm_iv: last.iv, r: cfg.market.risk_free_rate };
  const quotes: OptionQuote[] = [];
  for (const exp of expiriesByPreference(skeleton.expiries, p)) {
    const wanted: OptionContractRef[] = uniqueContracts(contractsFor(narrow, exp, p));
    if (wanted.length > 0) quotes.push(...(await md.quotes(wanted)));
    const r = buildStrategy(new ChainView(skeleton, quotes), p, standing.iv_rank);
    if (r.ok || r.rejection.expiry !== null) break;
  }
  return { result: rollCandidate(new ChainView(skeleton, quotes), cfg, from, targetDte, standing.iv_rank), iv_percentile: standing.iv_percentile };
}

/**
 * A `roll` decision made concrete: the new candidate, the entry gates on it (the rolled position
 * no longer counts as open on the symbol), the risk manager on the net change, then roll or the
 * rule's fallback (workflows/roll-decision.ts). Sends nothing and journals nothing: the monitor does.
 */
export async function planRoll(ctx: WorkflowContext, i: RollInput): Promise<RollPlan> {
  const pos = i.position;
  const parsed = parseRollParams(i.decision.params);
  if (!parsed.ok) {
    return { decision: { action: 'close', reason: `fallback close: ${parsed.reason}`, score: null, refused_by: 'candidate' }, candidate: null, mode: null, intents: [], to_position_id: null, trace: { params_error: parsed.reason } };
  }
  const { target_dte, min_score } = parsed.params;
  const found = await findCandidate(ctx, i.md, pos, target_dte, i.now);
  const c = found.result.ok ? found.result.candidate : null;
  let entry: EntryDecision | null = null;
  let risk: RiskVerdict | null = null;
  let net: number | null = null;
  let view: Awaited<ReturnType<typeof gatherEntryView>> | null = null;
  const cap = capFor('open', c?.metrics.width ?? 0, ctx.config.strategies.orders);
  if (c && c.score >= min_score) {
    const journal = entryJournalFacts(ctx.db, pos.symbol, c.legs, i.now);
    // The position being rolled is about to close: it must not count against its own replacement.
    const adjusted = { ...journal, open_positions_for_symbol: Math.max(0, journal.open_positions_for_symbol - 1) };
    view = await gatherEntryView(c, { md: i.md, journal: adjusted, iv_percentile: found.iv_percentile, now_ms: i.now });
    const types = c.legs.map((l) => i.md.quoteOf({ symbol: pos.symbol, expiry: l.expiry, right: l.right, strike: l.strike })?.data_type);
    entry = applyLiveQuotesGate(await decideEntry(compileEntryGates(ctx.config.entry_gates, ctx.config.hash), compileExitRules(ctx.config.exit_rules, ctx.config.hash), view.facts), types, ctx.config.strategies.market.allow_delayed_entries);
    if (entry.action === 'enter') {
      // Measured as entries are: the new spread at the worst credit its walk may accept.
      net = maxLossDollars(c.legs, -cap, pos.quantity) - maxLossDollars(pos.legs, pos.entry_credit, pos.quantity);
      const probe = rollIntent(ctx, i, c, 'probe', net, view);
      risk = await ctx.risk.preview(probe);
    }
  }
  const decision = decideRoll({ min_score, candidate: found.result, entry, risk, net_max_loss: net });
  const trace = {
    target_dte,
    min_score,
    candidate: c ? { expiry: c.expiry, dte: c.dte, legs: c.legs.map((l) => `${l.action} ${l.right} ${l.strike}`), score: c.score, components: c.components, credit: c.metrics.credit, er_pct: c.metrics.er_pct } : null,
    candidate_error: found.result.ok ? null : found.result.reason,
    gates: entry ? { action: entry.action, reason: entry.reason, gates: entry.gates } : null,
    risk,
    net_max_loss: net,
  };
  if (decision.action !== 'roll' || !c || !view) return { decision, candidate: c, mode: null, intents: [], to_position_id: null, trace };
  const mode = rollMode({ close: pos.legs, open: c.legs }, ctx.broker.max_combo_legs ?? NO_COMBO);
  if (mode === 'combo') {
    const roll = rollIntent(ctx, i, c, 'combo', net ?? 0, view);
    const to = roll.context.roll?.to_position_id ?? null;
    return { decision, candidate: c, mode, intents: [roll], to_position_id: to, trace: { ...trace, mode, to_position_id: to, intents: [roll.id] } };
  }
  const close: OrderIntent = {
    id: intentId({ task: 'unified_monitor', trading_date: i.trading_date, symbol: pos.symbol, strategy: pos.strategy, subject: `${pos.id}|roll-close|${i.attempt}` }),
    kind: 'close',
    position_id: pos.id,
    symbol: pos.symbol,
    strategy: pos.strategy,
    legs: closingLegs(pos),
    quantity: pos.quantity,
    urgency: i.decision.urgency,
    width: spreadWidth(pos.legs),
    context: { entry_iv: pos.entry_iv, entry_vix: pos.entry_vix },
    config_hash: ctx.config.hash,
  };
  const openId = intentId({ task: 'unified_monitor', trading_date: i.trading_date, symbol: pos.symbol, strategy: pos.strategy, subject: `${pos.id}|roll-open|${i.attempt}` });
  const open: OrderIntent = {
    id: openId,
    kind: 'open',
    position_id: `pos-${openId}`,
    symbol: pos.symbol,
    strategy: pos.strategy,
    legs: openingLegs(c),
    quantity: pos.quantity,
    urgency: 'normal',
    width: c.metrics.width,
    context: { entry_iv: Number.isFinite(view.short_iv) ? view.short_iv : null, entry_vix: view.vix, max_loss: maxLossDollars(c.legs, -cap, pos.quantity), entry_deltas: view.deltas, rolled_from: pos.id },
    config_hash: ctx.config.hash,
    after_intent: close.id,
  };
  return { decision, candidate: c, mode, intents: [close, open], to_position_id: open.position_id, trace: { ...trace, mode, to_position_id: open.position_id, intents: [close.id, open.id] } };
}

/** The one combo intent of a roll (or the probe the risk manager is asked about): close legs, then open legs. */
function rollIntent(ctx: WorkflowContext, i: RollInput, c: ScoredCandidate, what: 'probe' | 'combo', netMaxLoss: number, view: { short_iv: number; vix: number; deltas: readonly (number | null)[] }): OrderIntent {
  const pos = i.position;
  const id = intentId({ task: 'unified_monitor', trading_date: i.trading_date, symbol: pos.symbol, strategy: pos.strategy, subject: `${pos.id}|roll|${i.attempt}` });
  const close = closingLegs(pos);
  const open = openingLegs(c);
  return {
    id: what === 'probe' ? `${id}-probe` : id,
    kind: 'roll',
    position_id: pos.id,
    symbol: pos.symbol,
    strategy: pos.strategy,
    legs: [...close, ...open],
    quantity: pos.quantity,
    urgency: i.decision.urgency,
    width: spreadWidth(pos.legs),
    context: {
      entry_iv: Number.isFinite(view.short_iv) ? view.short_iv : null,
      entry_vix: view.vix,
      max_loss: netMaxLoss,
      // Deltas of the new legs only (the position the roll opens keeps them).
      entry_deltas: view.deltas,
      roll: { to_position_id: `pos-${id}`, close_legs: close.length, close_mid: i.close_cost ?? 0, open_mid: -c.metrics.credit },
    },
    config_hash: ctx.config.hash,
  };
}
