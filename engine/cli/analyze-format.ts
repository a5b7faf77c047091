import type { ScoredCandidate } from '../strategy/candidate';
import type { AnalysisResult, SymbolAnalysis } from '../workflows/analyze-market';
import { exchangeDate, exchangeMinuteOfDay } from '../shared/exchange-time';

export const NO_TRADE = 'No strategies meet execution threshold';

/** "545/540P 612/617C": short strike first on each side. */
export function strikesLabel(c: ScoredCandidate): string {
  const side = (right: 'P' | 'C'): string | null => {
    const s = c.legs.find((l) => l.right === right && l.action === 'SELL');
    const l = c.legs.find((x) => x.right === right && x.action === 'BUY');
    return s && l ? `${s.strike}/${l.strike}${right}` : null;
  };
  return [side('P'), side('C')].filter((x) => x !== null).join(' ');
}

const f2 = (x: number): string => x.toFixed(2);
const f1 = (x: number): string => x.toFixed(1);

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd());
}

function symbolBlock(s: SymbolAnalysis, minScore: number): string[] {
  const lines = [
    `${s.symbol} ${f2(s.spot)}  IV ${f1(s.iv * 100)}%  IV rank ${f1(s.iv_rank)}  IV pct ${f1(s.iv_percentile)}  1h ${s.change_1h_pct >= 0 ? '+' : ''}${f2(s.change_1h_pct)}%`,
  ];
  if (s.candidates.length > 0) {
    const head = ['#', 'strategy', 'expiry', 'dte', 'strikes', 'credit', 'max risk', 'POP', 'ER%', 'IV rank', 'score', `≥ ${minScore}`];
    const rows = s.candidates.map((c, i) => [
      String(i + 1),
      c.strategy,
      c.expiry,
      String(c.dte),
      strikesLabel(c),
      f2(c.metrics.credit),
      f2(c.metrics.max_risk),
      f1(c.metrics.pop),
      f1(c.metrics.er_pct),
      f1(c.iv_rank),
      f1(c.score),
      c.passes ? 'yes' : 'no',
    ]);
    lines.push(...table([head, ...rows]));
  }
  for (const r of s.rejections) lines.push(`  rejected ${r.strategy}${r.expiry ? ` ${r.expiry}` : ''}: ${r.reason}`);
  lines.push(
    s.pick
      ? `  pick: ${s.pick.strategy} ${s.pick.expiry} ${strikesLabel(s.pick)} credit ${f2(s.pick.metrics.credit)} score ${f1(s.pick.score)}`
      : `  ${NO_TRADE}`,
  );
  return lines;
}

export function formatAnalysis(r: AnalysisResult, minScore: number, marketLabel: string): string {
  const mod = exchangeMinuteOfDay(r.as_of);
  const time = `${String(Math.floor(mod / 60)).padStart(2, '0')}:${String(mod % 60).padStart(2, '0')} ET`;
  const out = [`market ${marketLabel} · ${exchangeDate(r.as_of)} ${time} · VIX ${f2(r.vix)} · config ${r.config_hash.slice(0, 12)}`];
  for (const s of r.symbols) out.push('', ...symbolBlock(s, minScore));
  return out.join('\n');
}
