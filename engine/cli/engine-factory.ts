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
import { createBroker } from './broker-factory';

export interface EngineCliOptions {
  readonly market: string;
  readonly broker: string;
  readonly seed: string;
  readonly journal?: string;
  readonly paperState?: string;
  readonly prefix: string;
  readonly ibHost?: string;
  readonly ibPort?: string;
  readonly ibClientId?: string;
  /** Allow a live IB account (with strategies.yaml broker.allow_live: true). */
  readonly live?: boolean;
}

/** Alert channels from the config; the webhook URL only ever comes from the environment. */
export function alertChannels(config: CompiledConfig, env: NodeJS.ProcessEnv = process.env): AlertChannel[] {
  const w = config.strategies.alerts.webhook;
  const url = w ? env[w.url_env] : undefined;
  return w && url ? [new WebhookChannel({ url, timeoutMs: w.timeout_ms, retries: w.retries })] : [];
}

/**
 * The engine the commands run (`run`, `worker`, `enqueue`): journal, market, broker and Redis from
 * flags and environment. A wrong --broker or IB setting fails here, before anything starts.
 */
export async function openEngine(config: CompiledConfig, opts: EngineCliOptions, clock: Clock, log: (l: string) => void): Promise<{ runtime: EngineRuntime; close: () => Promise<void>; describeAccount: () => string }> {
  const seed = integerOption('--seed', opts.seed);
  const redis = await connectRedis();
  const db = openJournal(journalPath(opts.journal));
  new ConfigSnapshotsRepo(db).save(config, clock.now());
  const market = createMarketData(opts.market, { clock, seed, symbols: Object.keys(config.strategies.underlyings), ib: opts, dataType: config.strategies.market.data_type });
  let broker;
  try {
    broker = createBroker({ kind: opts.broker, market, clock, seed, paperState: opts.paperState, log, ibHost: opts.ibHost, ibPort: opts.ibPort, ibClientId: opts.ibClientId, live: { config: config.strategies.broker.allow_live, flag: opts.live === true } });
  } catch (e) {
    await market.close?.();
    db.close();
    redis.disconnect();
    throw e;
  }
  const runtime = new EngineRuntime({
    config,
    clock,
    market,
    broker: broker.broker,
    db,
    redis,
    prefix: opts.prefix,
    log,
    sleep: broker.sleep,
    alertChannels: alertChannels(config),
    // IB's restarts and maintenance matter only when IB is behind the engine.
    maintenance: opts.broker === 'ib' || opts.market === 'ib',
  });
  return {
    runtime,
    describeAccount: broker.describe,
    close: async () => {
      await market.close?.();
      await broker.close();
      db.close();
      redis.disconnect();
    },
  };
}
