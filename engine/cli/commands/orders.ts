import type { Command } from 'commander';
import { exchangeDate, exchangeInstant } from '../../shared/exchange-time';
import { systemClock } from '../../shared/clock';
import { IntentsRepo } from '../../store/intents-repo';
import { existingJournal, withJournal } from '../store-options';

interface OrdersOptions {
  readonly journal?: string;
  readonly today?: boolean;
  readonly json?: boolean;
}

export function register(program: Command): void {
  program
    .command('orders')
    .description('Order intents from the journal with their broker orders and fills (newest last); rolls show rolled_from/rolled_to, and an open sent only after a close shows after.')
    .option('--journal <path>', 'journal file (default THETADESK_JOURNAL or ./data/thetadesk.db)')
    .option('--today', "only today's intents (exchange date, America/New_York)")
    .option('--json', 'print as JSON')
    .action(async (opts: OrdersOptions) => {
      await withJournal(existingJournal(opts.journal), (db) => {
        const repo = new IntentsRepo(db);
        const since = opts.today ? exchangeInstant(exchangeDate(systemClock.now()), '00:00') : 0;
        const rows = repo.since(since).map((i) => ({
          intent_id: i.id,
          kind: i.kind,
          symbol: i.symbol,
          strategy: i.strategy,
          quantity: i.quantity,
          urgency: i.urgency,
          status: i.status,
          detail: i.status_detail,
          created_at: new Date(i.created_at).toISOString(),
          // Rolls: a roll combo closes position_id and opens context.roll's; a roll's open replaces context.rolled_from.
          after_intent: i.after_intent ?? null,
          rolled_from: i.kind === 'roll' ? i.position_id : (i.context.rolled_from ?? null),
          rolled_to: i.kind === 'roll' ? (i.context.roll?.to_position_id ?? null) : i.context.rolled_from ? i.position_id : null,
          orders: repo.ordersOf(i.id),
        }));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        if (rows.length === 0) process.stdout.write('no order intents\n');
        for (const r of rows) {
          const orders = r.orders.map((o) => `#${o.broker_order_id} ${o.status} @ ${o.limit_price.toFixed(2)}`).join(', ') || 'not sent';
          const roll = r.rolled_from ? `  rolled_from ${r.rolled_from} rolled_to ${r.rolled_to ?? '?'}` : '';
          const after = r.after_intent ? `  after ${r.after_intent}` : '';
          process.stdout.write(`${r.created_at}  ${r.intent_id}  ${r.kind} ${r.symbol} ${r.strategy} x${r.quantity} ${r.urgency}  ${r.status}${r.detail ? ` (${r.detail})` : ''}  ${orders}${roll}${after}\n`);
        }
      });
    });
}
