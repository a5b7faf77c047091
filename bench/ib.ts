/**
 * `ib` section: analysis of SPY, QQQ and IWM through the IB adapter and the real @stoqey/ib client
 * against the fake gateway, with IB's pacing enforced (50 messages/s, 100 market-data lines).
 * requested_pct = option market-data requests ÷ contracts (strikes × 2 rights) in the DTE window.
 * `monitor`: one unified_monitor cycle over 200 open positions through the same path (see monitor()).
 */
import { IbMarket } from '../engine/adapters/ib/ib-market-connection';
import { simGateway } from '../engine/testkit/ib-gateway/sim-gateway';
import { loadConfig } from '../engine/config/load-config';
import { ManualClock } from '../engine/shared/clock';
import { analyzeMarket } from '../engine/workflows/analyze-market';
import * as path from 'node:path';
import { monitor } from './ib-monitor';

const SYMBOLS = ['SPY', 'QQQ', 'IWM'];
const AT = '2026-11-24T15:30:00Z';

async function analysis(): Promise<Record<string, unknown>> {
  const config = loadConfig(path.join(__dirname, '..'));
  const clock = new ManualClock(AT);
  const { gateway, market } = simGateway({ seed: 1, clock, maxLines: 100 });
  const port = await gateway.listen(0);
  const ib = new IbMarket({ settings: { host: '127.0.0.1', port, clientId: 77 }, clock, maxLines: 100 });
  try {
    const started = process.hrtime.bigint();
    const result = await analyzeMarket({ marketData: ib, config, symbols: SYMBOLS, clock });
    const wallS = Number(process.hrtime.bigint() - started) / 1e9;
    const templates = Object.values(config.strategies.strategies).filter((t) => t.enabled);
    const dteMin = Math.min(...templates.map((t) => t.dte.min));
    const dteMax = Math.max(...templates.map((t) => t.dte.max));
    let contracts = 0;
    for (const s of SYMBOLS) {
      const skeleton = await market.chain(s, { dte_min: dteMin, dte_max: dteMax });
      contracts += skeleton.expiries.reduce((n, e) => n + e.strikes.length * 2, 0);
    }
    const optionRequests = gateway.received.filter((m) => m[0] === '1' && m[5] === 'OPT').length;
    const requestedPct = (optionRequests / contracts) * 100;
    return {
      symbols: SYMBOLS.length,
      picks: result.symbols.map((s) => s.pick?.strategy ?? null),
      contracts_in_window: contracts,
      option_requests: optionRequests,
      requested_pct: Math.round(requestedPct * 100) / 100,
      messages_sent: gateway.received.length,
      peak_lines: gateway.peakLines,
      wall_s: Math.round(wallS * 100) / 100,
      met: requestedPct <= 10 && wallS <= 20 && gateway.peakLines <= 100,
    };
  } finally {
    await ib.close();
    await gateway.close();
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const a = await analysis();
  const m = await monitor();
  return { ...a, monitor: m, met: a.met === true && m.met === true };
}
