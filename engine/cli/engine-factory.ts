import { PaperBroker } from '../adapters/sim/paper-broker';
import { WebhookChannel } from '../alerts/webhook-channel';
import type { AlertChannel } from '../alerts/alert';
import type { CompiledConfig } from '../config/types';
import { connectRedis } from '../queue/redis-connection';
import { EngineRuntime } from '../runtime/engine-runtime';
import type { Clock } from '../shared/clock';
import { journalPath, openJournal } from '../store/journal';
import { ConfigSnapshotsRepo } from '../store/config-snapshots-repo';
import { CliExit, EXIT } from './exit-codes';
import { createMarketData } from './market-factory';
import { integerOption } from './parse-options';
import { paperStatePath } from './store-options';

export interface EngineCliOptions {
  readonly market: string;
  readonly broker: string;
  readonly seed: string;
  readonly journal?: string;
  readonly paperState?: string;
  readonly prefix: string;
}

export const BROKERS = ['paper'] as const;

/** Alert channels from the config; the webhook URL only ever comes from the environment. */
export function alertChannels(config: CompiledConfig, env: NodeJS.ProcessEnv = process.env): AlertChannel[] {
  const w = config.strategies.alerts.webhook;
  const url = w ? env[w.url_env] : undefined;
  return w && url ? [new WebhookChannel({ url, timeoutMs: w.timeout_ms, retries: w.retries })] : [];
}

/**
 * The engine the commands run (`run`, `worker`, `enqueue`): journal, market, broker and Redis from
 * flags and environment. Paper is the only broker until the IB order path lands (issue 8); asking
 * for another fails here, before anything starts.
 */
export async function openEngine(config: CompiledConfig, opts: EngineCliOptions, clock: Clock, log: (l: string) => void): Promise<{ runtime: EngineRuntime; close: () => Promise<void> }> {
  if (!(BROKERS as readonly string[]).includes(opts.broker)) {
    throw new CliExit(EXIT.INPUT, `unknown --broker "${opts.broker}": this build places orders through: ${BROKERS.join(', ')} (the IB order path is not built yet)`);
  }
  const seed = integerOption('--seed', opts.seed);
  const redis = await connectRedis();
  const db = openJournal(journalPath(opts.journal));
  new ConfigSnapshotsRepo(db).save(config, clock.now());
  const market = createMarketData(opts.market, { clock, seed, symbols: Object.keys(config.strategies.underlyings) });
  const paper = new PaperBroker({ market, clock, seed, stateFile: paperStatePath(opts.paperState) });
  const runtime = new EngineRuntime({
    config,
    clock,
    market,
    broker: paper,
    db,
    redis,
    prefix: opts.prefix,
    log,
    // Live time: the paper broker matches resting orders whenever the walk wakes up.
    sleep: async (ms) => {
      await new Promise((r) => setTimeout(r, ms));
      await paper.processAt(clock.now());
    },
    alertChannels: alertChannels(config),
  });
  return {
    runtime,
    close: async () => {
      await market.close?.();
      paper.close();
      db.close();
      redis.disconnect();
    },
  };
}
