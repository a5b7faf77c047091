import type { CompiledConfig } from '../../../engine/config/types';
import { ChainView } from '../../../engine/market/chain-view';
import type { MarketData } from '../../../engine/market/market-data';
import { intentId, type OrderIntent } from '../../../engine/model/order-intent';
import type { StrategyName } from '../../../engine/model/strategy-names';
import { exchangeDate } from '../../../engine/shared/exchange-time';
import { IntentsRepo } from '../../../engine/store/intents-repo';
import { PositionsRepo } from '../../../engine/store/positions-repo';
import { buildStrategy } from '../../../engine/strategy/builders';
import { buildParams } from '../../../engine/strategy/template-params';
import { configWith, replaceOnce } from '../../helpers/config';
import type { TestEngine } from '../../helpers/workflow-context';

const SHIPPED_ROLL = 'params: { target_dte: 45, min_score: 70, fallback: close }';

/** The shipped config with the credit gate and floor at 10% of the width (a near-expiry spread's credit is small), and the roll's min_score as given. */
export const withMinScore = (minScore: number): CompiledConfig =>
  configWith((f) => {
    f['rules/entry.yaml'] = replaceOnce(f['rules/entry.yaml'] ?? '', 'value: 33 }', 'value: 10 }');
    f['strategies.yaml'] = replaceOnce(f['strategies.yaml'] ?? '', 'min_credit_pct_of_width: 33', 'min_credit_pct_of_width: 10');
    f['rules/exit.yaml'] = replaceOnce(f['rules/exit.yaml'] ?? '', SHIPPED_ROLL, `params: { target_dte: 45, min_score: ${minScore}, fallback: close }`);
  });

/**
 * Opens a SPY credit spread (a bear call unless told) at about 19 DTE on the sim (template deltas and wing) through the order
 * manager on the paper broker: a position already inside dte_manage's 21 days.
 */
export async function openNearExpiry(e: Pick<TestEngine, 'ctx' | 'clock' | 'db' | 'executor'> & { readonly market: MarketData }, strategy: StrategyName = 'bear_call'): Promise<string> {
  const p = { ...buildParams(e.ctx.config.strategies, strategy, 'SPY'), dte: { min: 16, target: 19, max: 21 } };
  const sk = await e.market.chain('SPY', { dte_min: 16, dte_max: 21 });
  const refs = sk.expiries.flatMap((x) => x.strikes.flatMap((strike) => (['P', 'C'] as const).map((right) => ({ symbol: 'SPY', expiry: x.expiry, right, strike }))));
  const built = buildStrategy(new ChainView(sk, await e.market.quotes(refs)), p, 50);
  if (!built.ok) throw new Error(`no near-expiry ${strategy} on the sim: ${built.rejection.reason}`);
  const c = built.candidate;
  const id = intentId({ task: 'test', trading_date: exchangeDate(e.clock.now()), symbol: 'SPY', strategy: strategy, subject: c.expiry });
  const open: OrderIntent = {
    id, kind: 'open', position_id: `pos-${id}`, symbol: 'SPY', strategy: strategy,
    legs: c.legs.map((l) => ({ symbol: 'SPY', expiry: l.expiry, right: l.right, strike: l.strike, ratio: 1, action: l.action, con_id: null })),
    quantity: 2, urgency: 'normal', width: c.metrics.width, context: { entry_iv: c.legs[1]?.iv ?? null, entry_vix: 18, entry_deltas: c.legs.map((l) => l.delta) }, config_hash: e.ctx.config.hash,
  };
  await e.ctx.submit(open);
  if (new IntentsRepo(e.db).get(id)?.status === 'pending') await e.executor.execute(id);
  const pos = new PositionsRepo(e.db).get(`pos-${id}`);
  if (pos?.status !== 'open') throw new Error(`the opening order did not fill: ${JSON.stringify(new IntentsRepo(e.db).get(id))} credit ${c.metrics.credit} at ${c.expiry} ${c.dte}`);
  return pos.id;
}
