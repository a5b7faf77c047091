import * as fs from 'node:fs';
import * as path from 'node:path';
import { WebhookChannel } from '../alerts/webhook-channel';
import type { AlertChannel } from '../alerts/alert';
import type { CompiledConfig } from '../config/types';
import type { Redis } from 'ioredis';
import { checkPrefix } from '../queue/queue-names';
import { closeRedis, connectRedis, redisUrl } from '../queue/redis-connection';
import { EngineRuntime } from '../runtime/engine-runtime';
import type { Clock } from '../shared/clock';
import { journalPath, sqliteFiles } from '../store/journal';
import { ConfigSnapshotsRepo } from '../store/config-snapshots-repo';
import { CliExit, EXIT } from './exit-codes';
import { createMarketData, isMarketKind, MARKETS } from './market-factory';
import { integerOption } from './parse-options';
import { BROKERS, createBroker } from './broker-factory';
import { ibSettings } from '../adapters/ib/ib-config';
import { quoteValue } from '../shared/quote-value';
import { openJournalAt, sqliteFileError } from './store-options';
import { recordingMarket } from '../backtest/recording';
import { recordingPath } from './record-option';

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
  /** csv: reject a file with any bad row. */
  readonly strict?: boolean;
  /** run/worker --record [FILE]: record the market's answers (true: a new file beside the journal). */
  readonly record?: string | boolean;
}

/** Alert channels from the config; the webhook URL only ever comes from the environment. */
export function alertChannels(config: CompiledConfig, env: NodeJS.ProcessEnv = process.env): AlertChannel[] {
  const w = config.strategies.alerts.webhook;
  const url = w ? env[w.url_env] : undefined;
  return w && url ? [new WebhookChannel({ url, timeoutMs: w.timeout_ms, retries: w.retries })] : [];
}

/**
 * The engine the commands run (`run`, `worker`, `enqueue`): journal, market, broker and Redis from
 * flags and environment. A wrong --prefix, --broker or IB setting, or a journal that fails its
 * checks, fails here before anything starts (the local journal first, so nothing is left open).
 * `run`/`worker` ask for the engine's Redis role: connections that reconnect after a first success.
 */
export async function openEngine(config: CompiledConfig, opts: EngineCliOptions, clock: Clock, log: (l: string) => void, redisRole: 'cli' | 'engine' = 'cli'): Promise<{ runtime: EngineRuntime; url: string; close: () => Promise<void>; describeAccount: () => string }> {
  const seed = integerOption('--seed', opts.seed);
  // Flags first, so a typo opens (and creates) nothing.
  checkPrefix(opts.prefix);
  if (!isMarketKind(opts.market)) throw new CliExit(EXIT.INPUT, `unknown --market ${quoteValue(opts.market)}; choose one of: ${[...Object.keys(MARKETS), 'csv:PATH', 'recorded:PATH'].join(', ')}`);
  if (!(BROKERS as readonly string[]).includes(opts.broker)) throw new CliExit(EXIT.INPUT, `unknown --broker ${quoteValue(opts.broker)}; choose one of: ${BROKERS.join(', ')}`);
  if (opts.market === 'ib' || opts.broker === 'ib') ibSettings(opts, process.env, 'worker');
  const url = redisUrl();
  // The local journal before Redis: a refused journal leaves nothing open.
  const journalFile = journalPath(opts.journal);
  const folder = path.dirname(path.resolve(journalFile));
  const made = { journal: !fs.existsSync(journalFile), folder: !fs.existsSync(folder) };
  const db = openJournalAt(journalFile);
  let redis: Redis;
  try {
    new ConfigSnapshotsRepo(db).save(config, clock.now());
    redis = await connectRedis(url, { role: redisRole });
  } catch (e) {
    db.close();
    // A command that could not start leaves no new empty journal (or folder) behind.
    if (made.journal) for (const f of sqliteFiles(journalFile)) fs.rmSync(f, { force: true });
    if (made.folder) {
      try {
        fs.rmdirSync(folder);
      } catch {
        // Something else was put there meanwhile: not ours to remove.
      }
    }
    throw sqliteFileError('journal', journalFile, e);
  }
  let market;
  let broker;
  try {
    market = createMarketData(opts.market, { clock, seed, symbols: Object.keys(config.strategies.underlyings), ib: opts, dataType: config.strategies.market.data_type, strict: opts.strict === true });
    if (opts.record) {
      const file = recordingPath(opts.record, journalFile, clock.now());
      market = recordingMarket(market, file, clock, config);
      log(`recording market answers into ${file}; replay them with --market recorded:${file}`);
    }
    broker = createBroker({ kind: opts.broker, market, clock, seed, paperState: opts.paperState, log, ibHost: opts.ibHost, ibPort: opts.ibPort, ibClientId: opts.ibClientId, live: { config: config.strategies.broker.allow_live, flag: opts.live === true } });
  } catch (e) {
    await market?.close?.();
    db.close();
    closeRedis(redis);
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
    url,
    close: async () => {
      await market.close?.();
      await broker.close();
      db.close();
      closeRedis(redis);
    },
  };
}
