import * as net from 'node:net';

/**
 * A second, independent TWS API client for tests: raw socket, written from IB's protocol description
 * and the layouts of IB's reference clients (not from @stoqey/ib and not from the fake gateway's
 * code), so the gateway is checked against the protocol rather than against its own reading of it.
 * It decodes what a trading client needs at start-up — positions, account updates, completed
 * orders, errors — strictly: a message with a field too many or too few is a decoding error.
 */

export interface MiniPosition {
  readonly account: string;
  readonly conId: number;
  readonly symbol: string;
  readonly secType: string;
  readonly expiry: string;
  readonly strike: number;
  readonly right: string;
  readonly position: number;
  readonly avgCost: number;
}

export interface MiniPortfolio {
  readonly conId: number;
  readonly symbol: string;
  readonly expiry: string;
  readonly strike: number;
  readonly right: string;
  readonly position: number;
  readonly marketPrice: number;
  readonly marketValue: number;
  readonly averageCost: number;
  readonly unrealizedPnl: number;
  readonly account: string;
}

export interface MiniCompletedOrder {
  readonly conId: number;
  readonly symbol: string;
  readonly secType: string;
  readonly action: string;
  readonly totalQuantity: number;
  readonly orderType: string;
  readonly lmtPrice: number | null;
  readonly account: string;
  readonly orderRef: string;
  readonly permId: number;
  readonly comboLegs: ReadonlyArray<{ conId: number; ratio: number; action: string }>;
  readonly status: string;
  readonly filledQuantity: number;
  readonly completedTime: string;
  readonly completedStatus: string;
}

export interface MiniError {
  readonly id: number;
  readonly code: number;
  readonly message: string;
}

/** Reads one message's fields in order; every read past the end, and every field left over, is an error. */
class Fields {
  private i = 0;
  constructor(
    private readonly f: readonly string[],
    private readonly what: string,
  ) {}
  str(): string {
    const v = this.f[this.i];
    if (v === undefined) throw new Error(`${this.what}: read past the end at field ${this.i}`);
    this.i += 1;
    return v;
  }
  int(): number {
    const s = this.str();
    if (s === '') return 0;
    if (!/^-?\d+$/.test(s)) throw new Error(`${this.what}: field ${this.i - 1} "${s}" is not an integer`);
    return Number(s);
  }
  num(): number {
    const s = this.str();
    if (s === '') return 0;
    const n = Number(s);
    if (!Number.isFinite(n)) throw new Error(`${this.what}: field ${this.i - 1} "${s}" is not a number`);
    return n;
  }
  /** A double IB may leave unset ('' or Double.MAX_VALUE). */
  numOrNull(): number | null {
    const s = this.str();
    if (s === '' || s === String(Number.MAX_VALUE)) return null;
    const n = Number(s);
    if (!Number.isFinite(n)) throw new Error(`${this.what}: field ${this.i - 1} "${s}" is not a number`);
    return n;
  }
  bool(): boolean {
    const s = this.str();
    if (s !== '' && s !== '0' && s !== '1') throw new Error(`${this.what}: field ${this.i - 1} "${s}" is not a flag`);
    return s === '1';
  }
  skip(n: number): void {
    for (let k = 0; k < n; k++) this.str();
  }
  end(): void {
    if (this.i !== this.f.length) throw new Error(`${this.what}: ${this.f.length - this.i} field(s) left unread of ${this.f.length}`);
  }
}

const frame = (fields: ReadonlyArray<string | number>): Buffer => {
  const body = Buffer.from(fields.map((x) => `${x}\0`).join(''), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
};

export class TwsMiniClient {
  private socket: net.Socket | null = null;
  private buf = Buffer.alloc(0);
  private greeted = false;
  serverVersion = 0;
  nextValidId: number | null = null;
  accounts: string[] = [];
  readonly positions: MiniPosition[] = [];
  positionEnds = 0;
  readonly accountValues: Array<{ key: string; value: string; currency: string; account: string }> = [];
  readonly portfolio: MiniPortfolio[] = [];
  readonly accountTimes: string[] = [];
  readonly downloadEnds: string[] = [];
  readonly multi: Array<{ reqId: number; account: string; key: string; value: string; currency: string }> = [];
  readonly multiEnds: number[] = [];
  readonly completed: MiniCompletedOrder[] = [];
  completedEnds = 0;
  readonly errors: MiniError[] = [];
  readonly decodeErrors: string[] = [];
  /** Message ids received and not decoded here (they are read by their length only). */
  readonly skipped: number[] = [];
  closed = false;

  connect(port: number, clientId: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1');
      this.socket = s;
      s.on('data', (chunk: Buffer) => this.onData(chunk));
      s.on('close', () => {
        this.closed = true;
      });
      s.once('error', reject);
      s.once('connect', () => {
        const range = Buffer.from('v100..157', 'utf8');
        const head = Buffer.alloc(4);
        head.writeUInt32BE(range.length, 0);
        s.write(Buffer.concat([Buffer.from('API\0', 'utf8'), head, range]));
        const started = Date.now();
        const wait = (): void => {
          if (this.serverVersion > 0) {
            // START_API: version 2, client id, optional capabilities.
            s.write(frame([71, 2, clientId, '']));
            resolve();
          } else if (Date.now() - started > 5000) reject(new Error('no handshake answer'));
          else setTimeout(wait, 5);
        };
        wait();
      });
    });
  }

  close(): void {
    this.socket?.destroy();
  }

  send(fields: ReadonlyArray<string | number>): void {
    this.socket?.write(frame(fields));
  }

  reqPositions(): void {
    this.send([61, 1]);
  }

  cancelPositions(): void {
    this.send([64, 1]);
  }

  reqAccountUpdates(subscribe: boolean, account: string): void {
    this.send([6, 2, subscribe ? 1 : 0, account]);
  }

  reqAccountUpdatesMulti(reqId: number, account: string, ledgerAndNlv: boolean): void {
    this.send([76, 1, reqId, account, '', ledgerAndNlv ? 1 : 0]);
  }

  reqCompletedOrders(apiOnly: boolean): void {
    this.send([99, apiOnly ? 1 : 0]);
  }

  private onData(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      if (this.buf.length < 4) return;
      const len = this.buf.readUInt32BE(0);
      if (this.buf.length < 4 + len) return;
      const fields = this.buf.subarray(4, 4 + len).toString('utf8').split('\0');
      this.buf = this.buf.subarray(4 + len);
      if (fields[fields.length - 1] === '') fields.pop();
      if (!this.greeted) {
        // The server's answer to the hello: its version and connection time.
        this.greeted = true;
        this.serverVersion = Number(fields[0]);
        continue;
      }
      try {
        this.decode(fields);
      } catch (e) {
        this.decodeErrors.push(e instanceof Error ? e.message : String(e));
      }
    }
  }

  private decode(fields: readonly string[]): void {
    const id = Number(fields[0]);
    const c = new Fields(fields, `message ${id}`);
    c.skip(1);
    switch (id) {
      case 9: {
        c.int();
        this.nextValidId = c.int();
        break;
      }
      case 15: {
        c.int();
        this.accounts = c.str().split(',').filter((a) => a !== '');
        break;
      }
      case 4: {
        c.int();
        this.errors.push({ id: c.int(), code: c.int(), message: c.str() });
        break;
      }
      case 61: {
        const version = c.int();
        if (version !== 3) throw new Error(`position message version ${version}, expected 3`);
        const account = c.str();
        const conId = c.int();
        const symbol = c.str();
        const secType = c.str();
        const expiry = c.str();
        const strike = c.num();
        const right = c.str();
        c.skip(1); // multiplier
        c.skip(2); // exchange, currency
        c.skip(2); // localSymbol, tradingClass
        const position = c.num();
        const avgCost = c.num();
        this.positions.push({ account, conId, symbol, secType, expiry, strike, right, position, avgCost });
        break;
      }
      case 62:
        c.int();
        this.positionEnds += 1;
        break;
      case 6: {
        c.int();
        this.accountValues.push({ key: c.str(), value: c.str(), currency: c.str(), account: c.str() });
        break;
      }
      case 7: {
        const version = c.int();
        if (version !== 8) throw new Error(`portfolio message version ${version}, expected 8`);
        const conId = c.int();
        const symbol = c.str();
        c.str(); // secType
        const expiry = c.str();
        const strike = c.num();
        const right = c.str();
        c.skip(1); // multiplier
        c.skip(1); // primaryExch
        c.skip(1); // currency
        c.skip(2); // localSymbol, tradingClass
        const position = c.num();
        const marketPrice = c.num();
        const marketValue = c.num();
        const averageCost = c.num();
        const unrealizedPnl = c.num();
        c.num(); // realizedPNL
        const account = c.str();
        this.portfolio.push({ conId, symbol, expiry, strike, right, position, marketPrice, marketValue, averageCost, unrealizedPnl, account });
        break;
      }
      case 8:
        c.int();
        this.accountTimes.push(c.str());
        break;
      case 54:
        c.int();
        this.downloadEnds.push(c.str());
        break;
      case 73: {
        c.int();
        const reqId = c.int();
        const account = c.str();
        c.str(); // modelCode
        this.multi.push({ reqId, account, key: c.str(), value: c.str(), currency: c.str() });
        break;
      }
      case 74:
        c.int();
        this.multiEnds.push(c.int());
        break;
      case 101:
        this.completed.push(this.completedOrder(c));
        break;
      case 102:
        this.completedEnds += 1;
        break;
      default:
        this.skipped.push(id);
        return;
    }
    c.end();
  }

  /**
   * COMPLETED_ORDER as IB's reference decoders read it at server version 157 (150..176): contract,
   * the order's fields with every versioned one present, four FA fields (faProfile is dropped only
   * from 177), and the completion time and status last.
   */
  private completedOrder(c: Fields): MiniCompletedOrder {
    const conId = c.int();
    const symbol = c.str();
    const secType = c.str();
    c.skip(4); // expiry, strike, right, multiplier
    c.skip(4); // exchange, currency, localSymbol, tradingClass
    const action = c.str();
    const totalQuantity = c.num();
    const orderType = c.str();
    const lmtPrice = c.numOrNull();
    c.numOrNull(); // auxPrice
    c.skip(2); // tif, ocaGroup
    const account = c.str();
    c.str(); // openClose
    c.int(); // origin
    const orderRef = c.str();
    const permId = c.int();
    c.bool(); // outsideRth
    c.bool(); // hidden
    c.num(); // discretionaryAmt
    c.str(); // goodAfterTime
    c.skip(4); // faGroup, faMethod, faPercentage, faProfile
    c.str(); // modelCode
    c.skip(2); // goodTillDate, rule80A
    c.numOrNull(); // percentOffset
    c.str(); // settlingFirm
    c.int(); // shortSaleSlot
    c.str(); // designatedLocation
    c.int(); // exemptCode
    c.skip(3); // startingPrice, stockRefPrice, delta
    c.skip(2); // stockRangeLower, stockRangeUpper
    c.str(); // displaySize
    c.bool(); // sweepToFill
    c.bool(); // allOrNone
    c.str(); // minQty
    c.int(); // ocaType
    c.int(); // triggerMethod
    c.numOrNull(); // volatility
    c.int(); // volatilityType
    const dnType = c.str();
    c.numOrNull(); // deltaNeutralAuxPrice
    if (dnType !== '') throw new Error('completed order with a delta-neutral order type: not expected here');
    c.bool(); // continuousUpdate
    c.int(); // referencePriceType
    c.skip(2); // trailStopPrice, trailingPercent
    c.str(); // comboLegsDescrip
    const legCount = c.int();
    const comboLegs: Array<{ conId: number; ratio: number; action: string }> = [];
    for (let k = 0; k < legCount; k++) {
      const leg = { conId: c.int(), ratio: c.int(), action: c.str() };
      c.str(); // exchange
      c.int(); // openClose
      c.int(); // shortSaleSlot
      c.str(); // designatedLocation
      c.int(); // exemptCode
      comboLegs.push(leg);
    }
    const legPrices = c.int();
    c.skip(legPrices);
    const routing = c.int();
    c.skip(routing * 2);
    c.skip(2); // scaleInitLevelSize, scaleSubsLevelSize
    const increment = c.numOrNull();
    if (increment !== null && increment > 0) throw new Error('completed order with scale fields: not expected here');
    const hedgeType = c.str();
    if (hedgeType !== '') c.str();
    c.skip(2); // clearingAccount, clearingIntent
    c.bool(); // notHeld
    if (c.bool()) c.skip(3); // delta-neutral contract
    const algo = c.str();
    if (algo !== '') c.skip(c.int() * 2);
    c.bool(); // solicited
    const status = c.str();
    c.bool(); // randomizeSize
    c.bool(); // randomizePrice
    const conditions = c.int();
    if (conditions > 0) throw new Error('completed order with conditions: not expected here');
    c.skip(2); // trailStopPrice, lmtPriceOffset
    c.str(); // cashQty
    c.bool(); // dontUseAutoPriceForHedge
    c.bool(); // isOmsContainer
    c.str(); // autoCancelDate
    const filledQuantity = c.num();
    c.int(); // refFuturesConId
    c.bool(); // autoCancelParent
    c.str(); // shareholder
    c.bool(); // imbalanceOnly
    c.bool(); // routeMarketableToBbo
    c.int(); // parentPermId
    const completedTime = c.str();
    const completedStatus = c.str();
    return { conId, symbol, secType, action, totalQuantity, orderType, lmtPrice, account, orderRef, permId, comboLegs, status, filledQuantity, completedTime, completedStatus };
  }
}

/** Polls until `ok()` holds, or fails naming what was awaited. */
export async function until(ok: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
