import { quoteValue } from '../shared/quote-value';
import { CliExit, EXIT } from './exit-codes';

/** Markets read from a file: `--market csv:PATH` (option history) and `--market recorded:PATH` (a recording). */
export const FILE_MARKETS = ['csv', 'recorded'] as const;
export type FileMarket = (typeof FILE_MARKETS)[number];

export interface MarketSpec {
  /** sim, ib, csv or recorded. */
  readonly kind: string;
  /** The file of a csv: or recorded: market. */
  readonly path: string | null;
}

/** `sim` → {kind sim}; `csv:data/spy.csv` → {kind csv, path data/spy.csv}; an empty path is an input error. */
export function parseMarketSpec(text: string): MarketSpec {
  const m = /^([a-z]+):(.*)$/.exec(text);
  if (!m || !(FILE_MARKETS as readonly string[]).includes(m[1] as string)) return { kind: text, path: null };
  const file = (m[2] as string).trim();
  if (file === '') throw new CliExit(EXIT.INPUT, `--market ${quoteValue(text)} needs a file: ${m[1]}:PATH`);
  return { kind: m[1] as string, path: file };
}
