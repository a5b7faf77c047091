import type { ScoredCandidate } from '../strategy/candidate';
import { AnalysesRepo } from '../store/analyses-repo';
import { DecisionsRepo } from '../store/decisions-repo';
import { IntentsRepo } from '../store/intents-repo';
import type { Db } from '../store/journal';
import { exchangeInstant } from '../shared/exchange-time';
import { addDays } from '../shared/exchange-time';
import type { AnalysisResult } from '../workflows/analyze-market';

export interface GateResult {
  readonly gate: string;
  readonly passed: boolean;
  readonly reason: string;
  readonly facts: Readonly<Record<string, unknown>>;
}

export interface CandidateRow {
  readonly strategy: string;
  readonly expiry: string;
  readonly dte: number;
  readonly legs: string;
  readonly credit: number;
  readonly score: number;
  /** The scorer's four components, 0..100 each. */
  readonly components: Readonly<Record<string, number>>;
  readonly passes: boolean;
  readonly picked: boolean;
}

export interface SymbolCandidates {
  readonly symbol: string;
  readonly spot: number;
  readonly iv_rank: number;
  readonly candidates: CandidateRow[];
  readonly rejections: number;
  /** What execute_strategies made of the pick: gates, the refusing ones, and the order it became. */
  readonly entry: {
    readonly at: number;
    readonly action: string;
    readonly reason: string;
    readonly gates: GateResult[];
    readonly refused_by: string[];
    readonly intent: { id: string; status: string; detail: string | null } | null;
  } | null;
}

export interface DayCandidates {
  readonly trading_date: string;
  readonly analysis_id: string | null;
  readonly as_of: number | null;
  readonly symbols: SymbolCandidates[];
}

const legText = (c: ScoredCandidate): string => c.legs.map((l) => `${l.action === 'SELL' ? '-' : '+'}${l.strike}${l.right}`).join(' ');
const subjectOf = (symbol: string, c: ScoredCandidate): string => `${symbol}|${c.expiry}|${c.legs.map((l) => `${l.action}${l.right}${l.strike}`).join(',')}`;

/** The day's latest analysis per symbol: every candidate's score and components, the pick, and its entry decision. */
export function candidatesOn(db: Db, tradingDate: string): DayCandidates {
  const analysis = new AnalysesRepo(db).latest<AnalysisResult>(tradingDate);
  if (!analysis) return { trading_date: tradingDate, analysis_id: null, as_of: null, symbols: [] };
  const from = exchangeInstant(tradingDate, '00:00');
  const to = exchangeInstant(addDays(tradingDate, 1), '00:00');
  const entries = new DecisionsRepo(db).between(from, to).filter((d) => d.kind === 'entry');
  const intents = new IntentsRepo(db);
  const symbols = analysis.result.symbols.map((s): SymbolCandidates => {
    const pick = s.pick;
    const subject = pick ? subjectOf(s.symbol, pick) : null;
    const d = subject ? entries.filter((e) => e.subject === subject).pop() : undefined;
    const gates = ((d?.trace as { gates?: GateResult[] } | undefined)?.gates ?? []).filter((g) => g && typeof g.gate === 'string');
    const opened = d?.action === 'enter' ? intents.opensFor(s.symbol, from).filter((i) => i.created_at < to && i.created_at >= d.at).shift() : undefined;
    return {
      symbol: s.symbol,
      spot: s.spot,
      iv_rank: s.iv_rank,
      rejections: s.rejections.length,
      candidates: s.candidates.map((c) => ({
        strategy: c.strategy,
        expiry: c.expiry,
        dte: c.dte,
        legs: legText(c),
        credit: c.metrics.credit,
        score: c.score,
        components: { ...(c.components as unknown as Record<string, number>) },
        passes: (c as { passes?: boolean }).passes !== false,
        picked: pick !== null && subjectOf(s.symbol, c) === subject && c.strategy === pick.strategy,
      })),
      entry: d ? { at: d.at, action: d.action, reason: d.reason, gates, refused_by: gates.filter((g) => !g.passed).map((g) => g.gate), intent: opened ? { id: opened.id, status: opened.status, detail: opened.status_detail } : null } : null,
    };
  });
  return { trading_date: tradingDate, analysis_id: analysis.id, as_of: analysis.result.as_of, symbols };
}
