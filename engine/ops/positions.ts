import type { CompiledConfig } from '../config/types';
import type { MarketData } from '../market/market-data';
import { ReadOnlyPositionState } from '../rules/position-state';
import type { Db } from '../store/journal';
import { SqlitePositionStateStore } from '../store/position-state-sqlite';
import { PositionsRepo } from '../store/positions-repo';
import { gatherPositionView, type PositionView } from '../workflows/position-facts-gather';

/** Open positions of the journal with their marks and facts (looking changes nothing: peaks are read, not raised). */
export async function listPositions(db: Db, md: MarketData, config: CompiledConfig, nowMs: number): Promise<PositionView[]> {
  const state = new ReadOnlyPositionState(new SqlitePositionStateStore(db));
  const views: PositionView[] = [];
  for (const p of new PositionsRepo(db).list('open')) views.push(await gatherPositionView(p, md, config, nowMs, state));
  return views;
}

/** What `thetadesk positions --json` prints: the journal's positions and, when known, the broker's own legs and account. */
export interface PositionsReport {
  readonly positions: PositionView[];
  readonly broker: string | null;
  readonly paper: BrokerHoldings | null;
}

export interface BrokerHoldings {
  readonly account: unknown;
  readonly legs: unknown;
}

export function positionsReport(positions: PositionView[], broker: string, held: BrokerHoldings | null): PositionsReport {
  return { positions, broker: held ? broker : null, paper: held };
}
