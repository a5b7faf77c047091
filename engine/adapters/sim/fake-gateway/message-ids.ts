/** TWS API message ids used by the fake gateway (IB's public protocol numbering). */
export const IN = {
  // client → gateway
  REQ_MKT_DATA: 1,
  CANCEL_MKT_DATA: 2,
  PLACE_ORDER: 3,
  CANCEL_ORDER: 4,
  REQ_OPEN_ORDERS: 5,
  REQ_IDS: 8,
  REQ_CONTRACT_DATA: 9,
  REQ_HISTORICAL_DATA: 20,
  REQ_CURRENT_TIME: 49,
  START_API: 71,
  REQ_SEC_DEF_OPT_PARAMS: 78,
} as const;

export const OUT = {
  // gateway → client
  ERR_MSG: 4,
  NEXT_VALID_ID: 9,
  CONTRACT_DATA: 10,
  MANAGED_ACCTS: 15,
  CURRENT_TIME: 49,
  CONTRACT_DATA_END: 52,
} as const;
