import type { CompiledConfig } from '../config/types';
import type { MarketData } from '../market/market-data';
import { ReadOnlyPositionState } from '../rules/position-state';
import type { Db } from '../store/journal';
import { SqlitePositionStateStore } from '../store/position-state-sqlite';
import { PositionsRepo } from '../store/positions-repo';
import { RollsRepo, type RollLink } from '../store/rolls-repo';
import { gatherPositionView, type PositionView } from '../workflows/position-facts-gather';

/** Open positions of the journal with their marks and facts (looking changes nothing: peaks are read, not raised). */
export async function listPositions(db: Db, md: MarketData, config: CompiledConfig, nowMs: number): Promise<RolledView[]> {
  const state = new ReadOnlyPositionState(new SqlitePositionStateStore(db));
  const rolls = new RollsRepo(db);
  const views: RolledView[] = [];
  for (const p of new PositionsRepo(db).list('open')) {
    const v = await gatherPositionView(p, md, config, nowMs, state);
    views.push({ ...v, rolled_from: rolls.rolledFrom(p.id), rolled_to: rolls.rolledTo(p.id) });
  }
  return views;
}

/** An open position with its roll links: the position it replaced, and any it was partly rolled into. */
export type RolledView = PositionView & { readonly rolled_from: RollLink | null; readonly rolled_to: readonly RollLink[] };

/** What `thetadesk positions --json` prints: the journal's positions and, when known, the broker's own legs and account. */
export interface PositionsReport {
  readonly positions: RolledView[];
  readonly broker: string | null;
  readonly paper: BrokerHoldings | null;
}

export interface BrokerHoldings {
  readonly account: unknown;
  readonly legs: unknown;
}

export function positionsReport(positions: RolledView[], broker: string, held: BrokerHoldings | null): PositionsReport {
  return { positions, broker: held ? broker : null, paper: held };
}
