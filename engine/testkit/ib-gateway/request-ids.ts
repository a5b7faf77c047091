/**
 * Where a client message carries its request (or order) id, by message id, as the client writes it
 * at the server versions the gateway speaks (145..163). An error about a request must carry that id:
 * IB's clients deliver an error with id −1 as a notice, so a request answered "−1" waits for its
 * timeout instead of failing.
 */
const FIELD_OF_ID: Readonly<Record<number, number>> = {
  // id, version, reqId, …
  1: 2, 2: 2, 4: 2, 7: 2, 9: 2, 10: 2, 11: 2, 22: 2, 23: 2, 25: 2, 50: 2, 51: 2, 52: 2, 53: 2, 54: 2, 55: 2, 56: 2, 57: 2, 62: 2, 63: 2, 74: 2, 75: 2, 76: 2, 77: 2,
  // id, reqId, … (PLACE_ORDER's version field is gone from ORDER_CONTAINER, historical data's from SYNT_REALTIME_BARS)
  3: 1, 20: 1, 78: 1, 79: 1, 81: 1, 83: 1, 87: 1, 88: 1, 89: 1, 90: 1, 92: 1, 93: 1, 94: 1, 95: 1, 96: 1, 97: 1, 98: 1,
};

/** The request id of a client message, or −1 for messages that have none (reqPositions, reqIds, …). */
export function requestIdOf(fields: readonly string[]): number {
  const at = FIELD_OF_ID[Number(fields[0])];
  if (at === undefined) return -1;
  const n = Number(fields[at]);
  return Number.isInteger(n) ? n : -1;
}
