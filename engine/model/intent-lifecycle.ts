/**
 * The one lifecycle of an order intent (like ib_async's OrderStatus.ActiveStates/DoneStates).
 * Every consumer — monitor, risk gate, sync, reconcile, re-queue, `thetadesk orders`, the SQL of the
 * journal — reads ACTIVE and FINAL from here; a second copy once disagreed about
 * `partially_filled` and left the rest of a partly closed position unmanaged (issue #15).
 *
 *   pending ──send──► working ──► filled
 *      │                 │   ├──► partially_filled   the walk ended with some lots filled: final;
 *      │                 │   │                       the position keeps its remaining lots and the
 *      │                 │   │                       rules decide about them on the next run
 *      │                 │   ├──► unfilled           the walk timed out, nothing filled
 *      │                 │   ├──► cancelled          cancelled (shutdown policy, broker, reconcile)
 *      │                 │   └──► rejected           refused by the broker
 *      ├──► rejected (refused before sending: risk, config hash, no price)
 *      ├──► cancelled (cancelled before it was sent)
 *      └──► filled | partially_filled (a reconcile found executions of an order sent before a crash)
 */

export const INTENT_STATUSES = ['pending', 'working', 'filled', 'partially_filled', 'unfilled', 'cancelled', 'rejected'] as const;
export type IntentStatus = (typeof INTENT_STATUSES)[number];

/** Statuses with an owner still responsible for the intent: its process, or the next one that adopts it. */
export const ACTIVE_STATUSES = ['pending', 'working'] as const satisfies readonly IntentStatus[];
export type ActiveIntentStatus = (typeof ACTIVE_STATUSES)[number];

/** Outcomes: nothing more happens to the intent; a position it left open is managed by new intents. */
export const FINAL_STATUSES = ['filled', 'partially_filled', 'unfilled', 'cancelled', 'rejected'] as const satisfies readonly IntentStatus[];
export type FinalIntentStatus = (typeof FINAL_STATUSES)[number];

const ACTIVE: ReadonlySet<IntentStatus> = new Set(ACTIVE_STATUSES);
const FINAL: ReadonlySet<IntentStatus> = new Set(FINAL_STATUSES);

export const isActiveStatus = (s: IntentStatus): s is ActiveIntentStatus => ACTIVE.has(s);
export const isFinalStatus = (s: IntentStatus): s is FinalIntentStatus => FINAL.has(s);

const TRANSITIONS: Readonly<Record<IntentStatus, readonly IntentStatus[]>> = {
  pending: ['pending', 'working', 'rejected', 'cancelled', 'filled', 'partially_filled'],
  working: ['working', 'filled', 'partially_filled', 'unfilled', 'cancelled', 'rejected'],
  filled: [],
  partially_filled: [],
  unfilled: [],
  cancelled: [],
  rejected: [],
};

export function canTransition(from: IntentStatus, to: IntentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** `'pending', 'working'` — for the journal's SQL, so the query and this table cannot drift. */
export function sqlStatusList(statuses: readonly IntentStatus[]): string {
  return statuses.map((s) => `'${s}'`).join(', ');
}
