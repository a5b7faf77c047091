import { CsvMarket } from '../adapters/csv/csv-market';
import { RecordedMarket } from '../adapters/recorded/recorded-market';
import type { MarketData } from '../market/market-data';
import type { Clock } from '../shared/clock';
import type { FileMarket } from './market-spec';

export interface FileMarketOptions {
  readonly clock: Clock;
  readonly strict?: boolean;
  readonly warn?: (line: string) => void;
}

/** How many skipped rows are listed one by one before the rest is counted. */
const LISTED = 20;

const stderr = (l: string): void => {
  process.stderr.write(`${l}\n`);
};

/** Lists what a CSV load skipped, each as FILE:LINE: message, the tail counted. */
export function reportProblems(problems: readonly string[], warn: (l: string) => void): void {
  if (problems.length === 0) return;
  for (const p of problems.slice(0, LISTED)) warn(`skipped ${p}`);
  if (problems.length > LISTED) warn(`… ${problems.length - LISTED} more row(s) skipped`);
  warn(`${problems.length} bad row(s) skipped; --strict rejects a file with any`);
}

/** The `--market KIND:PATH` sources. */
export const FILE_MARKET_FACTORIES: Record<FileMarket, (file: string, o: FileMarketOptions) => MarketData> = {
  csv: (file, o) => {
    const m = new CsvMarket({ file, clock: o.clock, strict: o.strict });
    reportProblems(m.problems, o.warn ?? stderr);
    return m;
  },
  recorded: (file, o) => new RecordedMarket({ file, clock: o.clock }),
};
