import type { OrderIntent } from '../model/order-intent';
import type { OrderExecutor } from './order-executor';

/** The port workflows send intents through. */
export type SubmitIntent = (intent: OrderIntent) => Promise<void>;

/** Carries a journaled intent to the executor: the orders queue live, an in-process queue in backtests. */
export type DispatchIntent = (intent: OrderIntent) => Promise<void>;

/**
 * Journal first, then dispatch: if the dispatch is lost (Redis down), the intent is still active in
 * the journal and the next reconcile/adoption sweep queues it again; it is never lost or sent twice.
 */
export function submitThrough(executor: OrderExecutor, dispatch: DispatchIntent): SubmitIntent {
  executor.useDispatch(dispatch);
  return async (intent) => {
    executor.accept(intent);
    // An intent waiting for another to fill (a roll's open) is queued when that one fills.
    if (executor.isHeld(intent.id)) return;
    await dispatch(intent);
  };
}
