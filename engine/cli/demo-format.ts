import type { DemoReport } from '../backtest/demo-report';
import type { DemoDir } from '../backtest/demo-dir';

const money = (x: number): string => `${x < 0 ? '-' : ''}$${Math.abs(x).toFixed(2)}`;

/** The closing report of `thetadesk demo`. */
export function reportLines(r: DemoReport): string[] {
  const out = [
    '',
    `Report — seed ${r.seed}, ${r.days.length} trading day(s) ${r.days[0] ?? ''} … ${r.days[r.days.length - 1] ?? ''}, starting cash ${money(r.starting_cash)}`,
    `  P&L: realized ${money(r.realized_pnl)}, unrealized ${money(r.unrealized_pnl)}, total ${money(r.total_pnl)}`,
    `  trades closed ${r.trades}, win rate ${r.win_rate_pct === null ? '-' : `${r.win_rate_pct.toFixed(1)}%`}, orders ${r.orders}, fills ${r.fills}, fees ${money(r.fees)}, max drawdown ${money(r.max_drawdown)}`,
    `  rolls ${r.rolls} (positions closed into a new one), roll decisions that fell back to a close ${r.roll_fallbacks}`,
  ];
  if (r.per_strategy.length === 0) out.push('  no positions were opened');
  if (r.journal_failure) out.push(`  JOURNAL FAILED: ${r.journal_failure}`);
  for (const s of r.per_strategy) out.push(`  ${s.strategy.padEnd(12)} trades ${String(s.trades).padStart(3)}  wins ${String(s.wins).padStart(3)}  realized ${money(s.realized_pnl).padStart(10)}  open ${s.open}  unrealized ${money(s.unrealized_pnl).padStart(10)}`);
  return out;
}

/** A path or value as one shell word: bare when it is plain, else in single quotes. */
export function shellWord(s: string): string {
  return /^[\w./:@%+=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface InspectOptions {
  readonly seed: number;
  /** --config as the user gave it; '.' is the default and is left out. */
  readonly config: string;
}

/**
 * The commands that show what the demo left, ready to paste: positions marked at the demo's last
 * instant on the same seeded market (so they agree with the report), the orders and the decisions.
 */
export function inspectLines(kept: DemoDir, r: DemoReport, o: InspectOptions): string[] {
  const journal = `--journal ${shellWord(kept.journal)}`;
  const config = o.config === '.' ? '' : ` --config ${shellWord(o.config)}`;
  return [
    '',
    `The demo's journal and paper account are in ${kept.dir}/ (replaced by the next demo; your own journal is never touched). Look at them with:`,
    `  npx thetadesk positions ${journal} --paper-state ${shellWord(kept.paperState)} --at ${r.as_of}${o.seed === 1 ? '' : ` --seed ${o.seed}`}${config}`,
    `  npx thetadesk orders ${journal}`,
    `  npx thetadesk journal decisions ${journal}`,
  ];
}
