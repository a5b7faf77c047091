/**
 * The `monitor` case of the `ib` section: one unified_monitor cycle over 200 open positions, through
 * the IB adapter and the real @stoqey/ib client against the fake gateway under IB's pacing (50
 * messages/s). Each distinct leg is quoted once a cycle (positions share legs), so the cycle costs
 * about distinct_legs + 4 per underlying messages; `messages_unshared` is what asking per position
 * would send (every leg, plus spot, VIX, hourly change and IV history for each).
 */
import * as path from 'node:path';
import { AlertManager } from '../engine/alerts/alert-manager';
import { IbMarket } from '../engine/adapters/ib/ib-market-connection';
import { loadConfig } from '../engine/config/load-config';
import { RiskGate } from '../engine/risk/risk-gate';
import { ManualClock } from '../engine/shared/clock';
import { openJournal } from '../engine/store/journal';
import { simGateway } from '../engine/testkit/ib-gateway/sim-gateway';
import { unifiedMonitor } from '../engine/workflows/unified-monitor';
import type { WorkflowContext } from '../engine/workflows/workflow-context';
import { seedOpenPositions } from '../test/fixtures/open-positions';

const POSITIONS = 200;
const AT = '2026-01-06T15:00:00Z'; // Tuesday 10:00 ET

export async function monitor(): Promise<Record<string, unknown>> {
  const config = loadConfig(path.join(__dirname, '..'));
  const clock = new ManualClock(AT);
  const { gateway, market, broker } = simGateway({ seed: 1, clock, maxLines: 100 });
  const port = await gateway.listen(0);
  const ib = new IbMarket({ settings: { host: '127.0.0.1', port, clientId: 78 }, clock, maxLines: 100 });
  const db = openJournal(':memory:');
  try {
    await seedOpenPositions(db, market, POSITIONS, clock.now());
    const alerts = new AlertManager(config.strategies.alerts, clock, () => undefined, []);
    let submitted = 0;
    const ctx: WorkflowContext = {
      config,
      clock,
      market: ib,
      broker,
      db,
      submit: async () => {
        submitted += 1;
      },
      risk: new RiskGate({ db, broker, config, clock, alerts }),
      alerts,
      queue: null,
      log: () => undefined,
    };
    // Connect first: the handshake is not the cycle's cost.
    await ib.spot('SPY');
    const sentBefore = gateway.received.length;
    const started = process.hrtime.bigint();
    const r = await unifiedMonitor(ctx, { task: 'unified_monitor', job_id: 'bench-monitor', scheduled_for: clock.now(), params: {}, dry_run: true });
    const wallS = Number(process.hrtime.bigint() - started) / 1e9;
    const data = r.data as { positions: unknown[]; quotes: { legs: number; distinct_legs: number } };
    const messages = gateway.received.length - sentBefore;
    const symbols = 3;
    const monitorTask = config.schedules.tasks.find((t) => t.name === 'unified_monitor');
    return {
      positions: data.positions.length,
      legs: data.quotes.legs,
      distinct_legs: data.quotes.distinct_legs,
      messages,
      messages_unshared: data.quotes.legs + 4 * data.positions.length,
      wall_s: Math.round(wallS * 100) / 100,
      peak_lines: gateway.peakLines,
      intents: submitted,
      met: data.positions.length === POSITIONS && messages <= data.quotes.distinct_legs + 4 * symbols + 5 && wallS * 1000 <= (monitorTask?.timeout_ms ?? 240_000) / 4,
    };
  } finally {
    await ib.close();
    await gateway.close();
    broker.close();
    db.close();
  }
}
