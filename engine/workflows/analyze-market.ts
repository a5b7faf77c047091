import { type CompiledConfig } from '../config/types';
import { STRATEGY_NAMES, type StrategyName } from '../model/strategy-names';
import { ChainView } from '../market/chain-view';
import { ivStanding } from '../market/iv-rank';
import type { MarketData, OptionContractRef, OptionQuote } from '../market/market-data';
import type { Clock } from '../shared/clock';
import { buildStrategy } from '../strategy/builders';
import type { Rejection, ScoredCandidate } from '../strategy/candidate';
import { contractsFor, expiriesByPreference, uniqueContracts } from '../strategy/narrow-strikes';
import { selectForSymbol } from '../strategy/selector';
import { buildParams, type BuildParams } from '../strategy/template-params';

export interface SymbolAnalysis {
  readonly symbol: string;
  readonly spot: number;
  /** Current 30-day ATM IV, annualized fraction. */
  readonly iv: number;
  readonly iv_rank: number;
  readonly iv_percentile: number;
  readonly change_1h_pct: number;
  readonly candidates: readonly ScoredCandidate[];
  readonly rejections: readonly Rejection[];
  readonly pick: ScoredCandidate | null;
  /** Contracts quoted for this symbol vs listed in the widest DTE window (IB pacing). */
  readonly quotes_requested: number;
  readonly contracts_in_window: number;
}

export interface AnalysisResult {
  readonly as_of: number;
  readonly market: string;
  readonly config_hash: string;
  readonly vix: number;
  readonly symbols: readonly SymbolAnalysis[];
}

export interface AnalyzeInput {
  readonly marketData: MarketData;
  readonly config: CompiledConfig;
  readonly symbols: readonly string[];
  readonly clock: Clock;
}

/**
 * strategy_analysis: for each symbol, the chain skeleton of the widest DTE window, quotes for only the
 * strikes a builder could use (fetched one expiry at a time, in the builders' order of preference,
 * until every template has a short strike), then the pure selector.
 */
export async function analyzeMarket(input: AnalyzeInput): Promise<AnalysisResult> {
  const { marketData: md, config } = input;
  const out: SymbolAnalysis[] = [];
  for (const symbol of input.symbols) out.push(await analyzeSymbol(md, config, symbol));
  return { as_of: input.clock.now(), market: md.name, config_hash: config.hash, vix: await md.vix(), symbols: out };
}

async function analyzeSymbol(md: MarketData, config: CompiledConfig, symbol: string): Promise<SymbolAnalysis> {
  const cfg = config.strategies;
  const params = STRATEGY_NAMES.filter((n) => cfg.strategies[n].enabled).map((n) => buildParams(cfg, n, symbol));
  const dteMin = Math.min(...params.map((p) => p.dte.min));
  const dteMax = Math.max(...params.map((p) => p.dte.max));
  const skeleton = await md.chain(symbol, { dte_min: dteMin, dte_max: dteMax });
  const history = await md.ivHistory(symbol, cfg.market.iv_lookback_days);
  const last = history[history.length - 1];
  if (!last) throw new RangeError(`no IV history for ${symbol}: IV rank cannot be computed`);
  const standing = ivStanding(last.iv, history.map((h) => h.iv));
  const narrow = { symbol, spot: skeleton.spot, as_of: skeleton.as_of, atm_iv: last.iv, r: cfg.market.risk_free_rate };

  const quotes: OptionQuote[] = [];
  const fetched = new Set<string>();
  const pending = new Map<StrategyName, { p: BuildParams; queue: string[] }>(
    params.map((p) => [p.strategy, { p, queue: expiriesByPreference(skeleton.expiries, p).map((e) => e.expiry) }]),
  );
  // Only quoted expiries are visible to the builders, and they are fetched in preference order, so
  // the first one with a qualifying short is the one a full chain would give.
  while (pending.size > 0) {
    const wanted: OptionContractRef[] = [];
    for (const { p, queue } of pending.values()) {
      const next = queue.shift();
      const exp = skeleton.expiries.find((e) => e.expiry === next);
      if (exp) wanted.push(...contractsFor(narrow, exp, p));
    }
    const fresh = uniqueContracts(wanted).filter((c) => !fetched.has(key(c)));
    fresh.forEach((c) => fetched.add(key(c)));
    if (fresh.length > 0) quotes.push(...(await md.quotes(fresh)));
    const view = new ChainView(skeleton, quotes);
    for (const [name, { p, queue }] of [...pending]) {
      const r = buildStrategy(view, p, standing.iv_rank);
      if (r.ok || r.rejection.expiry !== null || queue.length === 0) pending.delete(name);
    }
  }
  const sel = selectForSymbol(new ChainView(skeleton, quotes), standing.iv_rank, cfg);
  return {
    symbol,
    spot: skeleton.spot,
    iv: last.iv,
    iv_rank: standing.iv_rank,
    iv_percentile: standing.iv_percentile,
    change_1h_pct: await md.change1hPct(symbol),
    candidates: sel.candidates,
    rejections: sel.rejections,
    pick: sel.pick,
    quotes_requested: fetched.size,
    contracts_in_window: skeleton.expiries.reduce((s, e) => s + 2 * e.strikes.length, 0),
  };
}

function key(c: OptionContractRef): string {
  return `${c.symbol}|${c.expiry}|${c.right}|${c.strike}`;
}
