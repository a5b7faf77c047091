import * as net from 'node:net';
import { encodeFrame, FrameReader } from './wire';
import { IN, OUT } from './message-ids';
import { contractDetails } from './contract-details';
import type { OptionListing } from './contracts';
import { fromIbDate, historicalData, marketDataSnapshot, parseMktDataRequest, secDefOptParams, type MktDataRequest, type SpotAgo } from './market-handlers';
import { OptionRegistry } from './option-registry';
import { isOrderMessage, OrderDesk, type GatewayBroker } from './order-handlers';
import { AccountDesk, isAccountMessage } from './account-desk';
import { decodeReqMarketDataType } from './account-wire';
import { resolveContracts } from './contracts';
import { DelayedOutbox } from './delayed-outbox';
import { marketDataDecision, type MarketDataFault, type MarketDataFaultCode, type RequestedDataType } from './market-data-permissions';
import { DailyRestart, type DailyRestartOptions } from './daily-restart';
import { requestIdOf } from './request-ids';
import type { MarketData } from '../../market/market-data';
import { exchangeDate } from '../../shared/exchange-time';

export interface FakeGatewayOptions {
  /**
   * Server version announced in the handshake. 157 keeps message layouts free of the later
   * fractional-size and advanced-reject fields while being recent enough for combo orders.
   */
  readonly serverVersion?: number;
  readonly accounts?: readonly string[];
  readonly firstOrderId?: number;
  /** Epoch seconds reported by currentTime (the simulated clock); defaults to the wall clock. */
  readonly now?: () => number;
  /** Which option series exist (the market backend's chain); default: any half-dollar strike. */
  readonly optionListed?: OptionListing;
  /** The market behind reqSecDefOptParams and reqMktData (the seeded SimMarket in the demo). */
  readonly market?: MarketData;
  /** Simultaneous market-data lines before IB's error 101 (default 100). */
  readonly maxLines?: number;
  /** Past prices for hourly TRADES bars (the underlying's change over the last hour). */
  readonly spotAgo?: SpotAgo;
  /** The broker behind orders, executions, positions and the account (the paper broker in the sim). */
  readonly broker?: GatewayBroker;
  /** The market as delayed data shows it (15 minutes behind); default: the market itself. */
  readonly delayedMarket?: MarketData;
  /** The previous session's close of an underlying: the close tick of stock snapshots. */
  readonly close?: (symbol: string) => Promise<number>;
  /** IB Gateway's daily restart: drops every socket at a set time and refuses connections for a while. */
  readonly dailyRestart?: DailyRestartOptions;
  /**
   * Wall-clock interval at which the gateway lets the broker match resting orders by itself (for a
   * gateway run by hand); unset = only when the owner calls process().
   */
  readonly processEveryMs?: number;
}

interface Session {
  readonly socket: net.Socket;
  readonly reader: FrameReader;
  readonly outbox: DelayedOutbox;
  clientId: number | null;
  started: boolean;
  /** reqMarketDataType: what the client asked for (1 live until it says otherwise). */
  marketDataType: RequestedDataType;
}

/**
 * A TWS / IB Gateway stand-in on 127.0.0.1 that the real @stoqey/ib client talks to over a socket.
 * This file holds the connection life cycle and fault injection; market data and orders hang off
 * the handlers map as they are added.
 */
export class FakeGateway {
  private server: net.Server | null = null;
  private readonly sessions = new Set<Session>();
  private readonly serverVersion: number;
  private readonly accounts: readonly string[];
  private nextOrderId: number;
  private readonly now: () => number;
  private readonly optionListed: OptionListing | undefined;
  private readonly market: MarketData | undefined;
  private readonly maxLines: number;
  private readonly spotAgo: SpotAgo | undefined;
  private linesInUse = 0;
  private readonly streaming = new Set<number>();
  /** Most market-data lines held at once (what the pacer must keep at or under the limit). */
  peakLines = 0;
  private dropAfterMessages: number | null = null;
  private messagesSeen = 0;
  private replyDelayMs = 0;
  private readonly registry: OptionRegistry;
  private readonly orders: OrderDesk | null;
  private readonly accountDesk: AccountDesk | null;
  private processTimer: NodeJS.Timeout | null = null;
  private readonly mdFaults = new Map<string, MarketDataFault>();
  private competing = false;
  private readonly restart: DailyRestart;
  private port = 0;
  /** Every client message received, for tests (message id first). */
  readonly received: string[][] = [];

  constructor(private readonly opts: FakeGatewayOptions = {}) {
    this.serverVersion = opts.serverVersion ?? 157;
    this.accounts = opts.accounts ?? ['DU1234567'];
    this.nextOrderId = opts.firstOrderId ?? 1;
    this.now = opts.now ?? (() => Date.now());
    this.optionListed = opts.optionListed;
    this.market = opts.market;
    this.maxLines = opts.maxLines ?? 100;
    this.spotAgo = opts.spotAgo;
    this.registry = new OptionRegistry(opts.market, () => exchangeDate(this.now()));
    this.orders = opts.broker
      ? new OrderDesk({
          broker: opts.broker,
          account: this.accounts[0] ?? '',
          serverVersion: this.serverVersion,
          registry: this.registry,
          now: this.now,
          toClient: (clientId, fields) => {
            for (const s of this.sessions) if (s.started && s.clientId === clientId) this.send(s, fields);
          },
          onOrderIdUsed: (id) => {
            this.nextOrderId = Math.max(this.nextOrderId, id + 1);
          },
        })
      : null;
    const market = opts.market;
    this.accountDesk = opts.broker
      ? new AccountDesk({
          broker: opts.broker,
          account: this.accounts[0] ?? '',
          now: this.now,
          mark: async (p) => (market ? ((await market.quotes([{ symbol: p.symbol, expiry: p.expiry, right: p.right, strike: p.strike }]))[0]?.mid ?? null) : null),
        })
      : null;
    this.restart = new DailyRestart({
      now: this.now,
      schedule: opts.dailyRestart,
      goDown: () => this.goDown(),
      comeBack: () => this.comeBack(),
    });
  }

  /** Starts listening on 127.0.0.1; port 0 picks a free one. Resolves to the port. */
  async listen(port = 0): Promise<number> {
    this.port = await this.bind(port);
    const every = this.opts.processEveryMs;
    if (every !== undefined && every > 0 && this.orders) this.processTimer = setInterval(() => void this.process().catch(() => undefined), every);
    this.restart.start();
    return this.port;
  }

  private bind(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = net.createServer((socket) => this.accept(socket));
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        this.server = server;
        const addr = server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  async close(): Promise<void> {
    if (this.processTimer) clearInterval(this.processTimer);
    this.processTimer = null;
    this.restart.stop();
    this.orders?.close();
    this.accountDesk?.close();
    this.dropAll();
    await this.unbind();
  }

  private async unbind(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The restart begins: every socket drops and nothing listens (clients see ECONNREFUSED). */
  private async goDown(): Promise<void> {
    this.dropAll();
    await this.unbind();
  }

  private async comeBack(): Promise<void> {
    if (!this.server) await this.bind(this.port);
  }

  /** True while a (scheduled or injected) restart has the gateway down. */
  get restarting(): boolean {
    return this.restart.down;
  }

  /**
   * Fault injection: IB Gateway's restart at `atMs` (the gateway's clock): every socket drops and
   * connections are refused until `downMs` later (on the same clock).
   */
  restartAt(atMs: number, downMs: number): void {
    this.restart.once(atMs, downMs);
  }

  /**
   * Fault injection: the account has no market-data permission for `symbol` (all of it, or only its
   * options): 354 "not subscribed", 10089 "additional subscription required" (live requests are
   * refused; delayed ones get delayed data after 10167), 10167 "displaying delayed market data"
   * (always delayed) or 10168 "delayed market data is not enabled".
   */
  refuseMarketData(symbol: string, code: MarketDataFaultCode, opts: { readonly optionsOnly?: boolean } = {}): void {
    this.mdFaults.set(symbol, { code, optionsOnly: opts.optionsOnly ?? false });
  }

  clearMarketDataFaults(): void {
    this.mdFaults.clear();
  }

  /** Fault injection: the same IB user is logged in elsewhere; every market-data request gets 10197. */
  competingSession(on: boolean): void {
    this.competing = on;
  }

  get connectedClients(): number {
    return [...this.sessions].filter((s) => s.started).length;
  }

  /** Fault injection: drop every connection now (as a gateway restart or network loss would). */
  dropAll(): void {
    for (const s of this.sessions) this.drop(s);
  }

  /**
   * Fault injection: drop the connection after N more client messages. The Nth message is still
   * acted on (an order reaches the broker) but its answers are lost: the client must find out by
   * asking again (open orders, executions) after it reconnects.
   */
  dropAfter(messages: number): void {
    this.dropAfterMessages = this.messagesSeen + messages;
  }

  /** Fault injection: every reply from now on reaches the client `ms` later (order kept). */
  delayReplies(ms: number): void {
    this.replyDelayMs = Math.max(0, ms);
  }

  /** Fault injection: the next PLACE_ORDER (new or modify) is refused with this IB error. */
  rejectNextOrder(code: number, message: string): void {
    if (!this.orders) throw new Error('the fake gateway has no broker backend: there are no orders to reject');
    this.orders.rejectNextOrder(code, message);
  }

  /** Lets the broker see the time, so resting orders may fill; their reports go to their clients. */
  async process(nowMs: number = this.now()): Promise<void> {
    await this.orders?.process(nowMs);
  }

  private drop(s: Session): void {
    s.outbox.clear();
    s.socket.destroy();
    this.sessions.delete(s);
    this.accountDesk?.forget(s);
  }

  /** Sends an IB error / notice (e.g. 1100, 1101, 1102) to every connected client. */
  broadcastError(code: number, message: string, reqId = -1): void {
    for (const s of this.sessions) if (s.started) this.send(s, [OUT.ERR_MSG, 2, reqId, code, message]);
  }

  private accept(socket: net.Socket): void {
    const session: Session = { socket, reader: new FrameReader(), outbox: new DelayedOutbox((b) => this.write(session, b)), clientId: null, started: false, marketDataType: 1 };
    this.sessions.add(session);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(session, chunk));
    socket.on('error', () => this.drop(session));
    socket.on('close', () => this.drop(session));
  }

  private onData(session: Session, chunk: Buffer): void {
    let events;
    try {
      events = session.reader.push(chunk);
    } catch {
      session.socket.destroy();
      return;
    }
    for (const e of events) {
      if (e.kind === 'hello') {
        if (e.maxVersion < this.serverVersion || e.minVersion > this.serverVersion) {
          session.socket.destroy();
          return;
        }
        // Never delayed: delayReplies models a slow gateway, not one that refuses connections.
        this.write(session, encodeFrame([this.serverVersion, formatConnectionTime(this.now())]));
        continue;
      }
      this.messagesSeen += 1;
      this.received.push([...e.fields]);
      this.handle(session, e.fields);
      if (this.dropAfterMessages !== null && this.messagesSeen >= this.dropAfterMessages) {
        this.dropAfterMessages = null;
        this.drop(session);
        return;
      }
    }
  }

  private handle(session: Session, fields: readonly string[]): void {
    const id = Number(fields[0]);
    switch (id) {
      case IN.START_API: {
        const clientId = Number(fields[2]);
        if ([...this.sessions].some((s) => s !== session && s.started && s.clientId === clientId)) {
          // IB refuses a second API session on a client id, then closes the socket.
          this.send(session, [OUT.ERR_MSG, 2, -1, 326, 'Unable to connect as the client id is already in use. Retry with a unique client id.']);
          session.socket.end();
          this.sessions.delete(session);
          return;
        }
        session.clientId = clientId;
        session.started = true;
        this.send(session, [OUT.NEXT_VALID_ID, 1, this.nextOrderId]);
        this.send(session, [OUT.MANAGED_ACCTS, 1, this.accounts.join(',')]);
        return;
      }
      case IN.REQ_IDS:
        this.send(session, [OUT.NEXT_VALID_ID, 1, this.nextOrderId]);
        return;
      case IN.REQ_CONTRACT_DATA:
        void contractDetails(fields, this.registry, this.optionListed, (x) => this.send(session, x));
        return;
      case IN.REQ_SEC_DEF_OPT_PARAMS:
        this.withMarket(session, Number(fields[1]), (m) => secDefOptParams(m, fields, (x) => this.send(session, x)));
        return;
      case IN.REQ_MARKET_DATA_TYPE: {
        const { type } = decodeReqMarketDataType(fields);
        if (type >= 1 && type <= 4) session.marketDataType = type as RequestedDataType;
        else this.send(session, [OUT.ERR_MSG, 2, -1, 321, `Error validating request:-'bk' : cause - invalid market data type ${type} (1 live, 2 frozen, 3 delayed, 4 delayed frozen)`]);
        return;
      }
      case IN.REQ_HISTORICAL_DATA:
        this.withMarket(session, Number(fields[1]), (m) => historicalData(m, fields, (x) => this.send(session, x), this.spotAgo));
        return;
      case IN.REQ_MKT_DATA:
        this.mktData(session, fields);
        return;
      case IN.CANCEL_MKT_DATA:
        // A streaming subscription frees its line only when cancelled.
        if (this.streaming.delete(Number(fields[2]))) this.linesInUse -= 1;
        return;
      case IN.REQ_CURRENT_TIME:
        this.send(session, [OUT.CURRENT_TIME, 1, Math.floor(this.now() / 1000)]);
        return;
      case IN.REQ_MANAGED_ACCTS:
        this.send(session, [OUT.MANAGED_ACCTS, 1, this.accounts.join(',')]);
        return;
      case IN.REQ_AUTO_OPEN_ORDERS:
        return;
      default:
        if (isOrderMessage(id) || isAccountMessage(id)) return this.handleBrokerSide(session, id, fields);
        // Say so instead of staying silent, with the request's id so the client fails that request
        // at once (its error with id −1 would be a mere notice and the request would wait it out).
        this.send(session, [OUT.ERR_MSG, 2, requestIdOf(fields), 321, `Error validating request:-'fake gateway' : cause - message ${fields[0] ?? '?'} is not supported`]);
    }
  }

  /** Orders and the account, or IB's refusal when the gateway has no broker behind it. */
  private handleBrokerSide(session: Session, id: number, fields: readonly string[]): void {
    if (!this.orders || !this.accountDesk) {
      this.send(session, [OUT.ERR_MSG, 2, requestIdOf(fields), 321, 'Error validating request: the fake gateway has no broker backend (orders, executions, positions and the account need one)']);
      return;
    }
    const reply = (x: ReadonlyArray<string | number>): void => this.send(session, x);
    if (isAccountMessage(id)) this.accountDesk.handle({ key: session, reply }, id, fields);
    else this.orders.handle({ clientId: session.clientId ?? 0, reply }, id, fields);
  }

  private withMarket(session: Session, reqId: number, run: (m: MarketData) => Promise<void>): void {
    if (!this.market) {
      this.send(session, [OUT.ERR_MSG, 2, reqId, 354, 'Requested market data is not subscribed (the fake gateway has no market backend)']);
      return;
    }
    run(this.market).catch((e: unknown) => {
      this.send(session, [OUT.ERR_MSG, 2, reqId, 322, `Error processing request: ${e instanceof Error ? e.message : String(e)}`]);
    });
  }

  /**
   * Snapshots hold a line until their end; beyond the limit IB answers 101 and so do we. The contract
   * must be listed (200 otherwise) and the account entitled to its data (faults: 354, 10089, 10167,
   * 10168, 10197); delayed data comes from the delayed market under the delayed tick types.
   */
  private mktData(session: Session, fields: readonly string[]): void {
    const r = parseMktDataRequest(fields);
    if (!this.market) {
      this.send(session, [OUT.ERR_MSG, 2, r.reqId, 354, 'Requested market data is not subscribed (the fake gateway has no market backend)']);
      return;
    }
    if (this.linesInUse >= this.maxLines) {
      this.send(session, [OUT.ERR_MSG, 2, r.reqId, 101, `Max number of tickers has been reached (${this.maxLines})`]);
      return;
    }
    this.linesInUse += 1;
    if (!r.snapshot) this.streaming.add(r.reqId);
    this.peakLines = Math.max(this.peakLines, this.linesInUse);
    const free = (): void => {
      if (r.snapshot) this.linesInUse -= 1;
    };
    this.withMarket(session, r.reqId, async (m) => {
      try {
        if (!(await this.listed(r))) {
          this.send(session, [OUT.ERR_MSG, 2, r.reqId, 200, 'No security definition has been found for the request']);
          return;
        }
        const fault = this.mdFaults.get(r.symbol);
        const applies = fault && (!fault.optionsOnly || r.secType === 'OPT') ? fault : null;
        const d = marketDataDecision(session.marketDataType, applies, this.competing, r.symbol, r.secType === 'OPT' ? 'OPRA' : 'ARCA');
        if (d.kind === 'refuse') {
          this.send(session, [OUT.ERR_MSG, 2, r.reqId, d.code, d.message]);
          return;
        }
        if (d.notice) this.send(session, [OUT.ERR_MSG, 2, r.reqId, d.notice.code, d.notice.message]);
        // IB says which kind of data a request gets once the client has asked for a data type.
        if (d.type !== 1 || session.marketDataType !== 1) this.send(session, [OUT.MARKET_DATA_TYPE, 1, r.reqId, d.type]);
        const delayed = d.type === 3;
        await marketDataSnapshot({ market: delayed ? (this.opts.delayedMarket ?? m) : m, delayed, close: this.opts.close }, r, (x) => this.send(session, x));
      } finally {
        free();
      }
    });
  }

  /** IB validates every contract: options against the listing, stocks and indexes by symbol. */
  private async listed(r: MktDataRequest): Promise<boolean> {
    if (r.secType !== 'OPT') return resolveContracts({ conId: 0, symbol: r.symbol, secType: r.secType, expiry: '', strike: 0, right: '' }).length > 0;
    const right = r.right === 'P' || r.right === 'PUT' ? 'P' : r.right === 'C' || r.right === 'CALL' ? 'C' : null;
    if (!right || r.expiry.length !== 8 || !(r.strike > 0)) return false;
    if (!this.registry.hasListing) return fromIbDate(r.expiry) !== r.expiry;
    return (await this.registry.matching({ symbol: r.symbol, expiry: r.expiry, right, strike: r.strike })).length > 0;
  }

  private send(session: Session, fields: ReadonlyArray<string | number>): void {
    const frame = encodeFrame(fields);
    if (this.replyDelayMs > 0) session.outbox.push(frame, this.replyDelayMs);
    else if (session.outbox.pending) session.outbox.push(frame, 0); // never overtake delayed replies
    else this.write(session, frame);
  }

  private write(session: Session, frame: Buffer): void {
    if (!session.socket.destroyed) session.socket.write(frame);
  }
}

/** TWS's connection-time format: "yyyymmdd hh:mm:ss TZ". */
function formatConnectionTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC`;
}
