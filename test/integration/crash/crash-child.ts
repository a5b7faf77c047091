/**
 * Child process of the crash tests: runs one opening intent through the order manager against the
 * paper broker (its own SQLite file) and the journal (another file), and SIGKILLs itself at the
 * crash point named in CRASH_AT. With CRASH_AT=none it reconciles first and then executes the same
 * intent again: what a restarted engine does.
 */
import { PaperBroker } from '../../../engine/adapters/sim/paper-broker';
import { loadConfig } from '../../../engine/config/load-config';
import type { ComboLeg } from '../../../engine/model/leg';
import { intentId, type OrderIntent } from '../../../engine/model/order-intent';
import { buildServices } from '../../../engine/runtime/services';
import { ManualClock } from '../../../engine/shared/clock';
import { IntentsRepo } from '../../../engine/store/intents-repo';
import { openJournal } from '../../../engine/store/journal';
import { TableMarket } from '../../unit/paper/fake-market';
import * as path from 'node:path';

const [journalFile, paperFile, seedText, crashAt, startIso] = process.argv.slice(2);
if (!journalFile || !paperFile || !seedText || !crashAt || !startIso) throw new Error('usage: crash-child JOURNAL PAPER SEED CRASH_AT START_ISO');

const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

const EXP = '2027-01-08';
const leg = (right: 'P' | 'C', strike: number, action: 'BUY' | 'SELL'): ComboLeg => ({ symbol: 'SPY', expiry: EXP, right, strike, ratio: 1, action, con_id: null });

async function main(): Promise<void> {
  const config = loadConfig(path.join(__dirname, '../../..'));
  const market = new TableMarket();
  market.set(EXP, 'P', 540, 3.3, 3.5);
  market.set(EXP, 'P', 535, 1.5, 1.7); // mid −1.80, natural −1.60: the walk needs a few steps
  const clock = new ManualClock(startIso as string);
  const broker = new PaperBroker({ market, clock, seed: Number(seedText), stateFile: paperFile as string });
  const db = openJournal(journalFile);
  const id = intentId({ task: 'execute_strategies', trading_date: '2026-11-24', symbol: 'SPY', strategy: 'bull_put', subject: `${EXP} 540/535P` });
  const intent: OrderIntent = { id, kind: 'open', position_id: `pos-${id}`, symbol: 'SPY', strategy: 'bull_put', legs: [leg('P', 540, 'SELL'), leg('P', 535, 'BUY')], quantity: 3, urgency: 'normal', width: 5, context: { entry_iv: 0.2, entry_vix: 18 }, config_hash: config.hash };

  if (crashAt === 'after_intent') {
    const create = IntentsRepo.prototype.create;
    IntentsRepo.prototype.create = function (this: IntentsRepo, ...args: Parameters<typeof create>) {
      create.apply(this, args);
      return die();
    };
  }
  if (crashAt === 'after_send') {
    const place = broker.placeCombo.bind(broker);
    broker.placeCombo = async (o) => {
      await place(o); // the broker has it (its own file); the journal never hears back
      return die();
    };
  }
  if (crashAt === 'after_ack') {
    const record = IntentsRepo.prototype.recordOrder;
    IntentsRepo.prototype.recordOrder = function (this: IntentsRepo, ...args: Parameters<typeof record>) {
      record.apply(this, args);
      return die();
    };
  }
  if (crashAt === 'mid_walk') {
    const modify = broker.modifyPrice.bind(broker);
    broker.modifyPrice = async (orderId, price) => {
      await modify(orderId, price);
      return die();
    };
  }
  const { executor } = buildServices({
    config,
    db,
    broker,
    market,
    clock,
    log: () => undefined,
    sleep: async (ms) => {
      clock.advance(ms);
      await broker.processAt();
    },
  });
  if (crashAt === 'none') await executor.reconcile();
  // What submit and the orders queue do: journal the intent once, then execute it by id.
  executor.accept(intent);
  const out = await executor.execute(intent.id);
  process.stdout.write(`${JSON.stringify(out)}\n`);
  broker.close();
  db.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
