import * as net from 'node:net';
import { encodeFrame, FrameReader } from './wire';
import { IN, OUT } from './message-ids';
import { contractDetails } from './contract-details';
import type { OptionListing } from './contracts';
import { historicalData, marketDataSnapshot, parseMktDataRequest, secDefOptParams, type SpotAgo } from './market-handlers';
import { OptionRegistry } from './option-registry';
import { isOrderMessage, orderRequestId, OrderDesk, type GatewayBroker } from './order-handlers';
import { DelayedOutbox } from './delayed-outbox';
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
  private processTimer: NodeJS.Timeout | null = null;
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
          toClient: (clientId, fields) => {
            for (const s of this.sessions) if (s.started && s.clientId === clientId) this.send(s, fields);
          },
          onOrderIdUsed: (id) => {
            this.nextOrderId = Math.max(this.nextOrderId, id + 1);
          },
        })
      : null;
  }

  /** Starts listening on 127.0.0.1; port 0 picks a free one. Resolves to the port. */
  listen(port = 0): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = net.createServer((socket) => this.accept(socket));
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        this.server = server;
        const every = this.opts.processEveryMs;
        if (every !== undefined && every > 0 && this.orders) this.processTimer = setInterval(() => void this.process().catch(() => undefined), every);
        const addr = server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  async close(): Promise<void> {
    if (this.processTimer) clearInterval(this.processTimer);
    this.processTimer = null;
    this.orders?.close();
    this.dropAll();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
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
  }

  /** Sends an IB error / notice (e.g. 1100, 1101, 1102) to every connected client. */
  broadcastError(code: number, message: string, reqId = -1): void {
    for (const s of this.sessions) if (s.started) this.send(s, [OUT.ERR_MSG, 2, reqId, code, message]);
  }

  private accept(socket: net.Socket): void {
    const session: Session = { socket, reader: new FrameReader(), outbox: new DelayedOutbox((b) => this.write(session, b)), clientId: null, started: false };
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
      case IN.START_API:
        session.clientId = Number(fields[2]);
        session.started = true;
        this.send(session, [OUT.NEXT_VALID_ID, 1, this.nextOrderId]);
        this.send(session, [OUT.MANAGED_ACCTS, 1, this.accounts.join(',')]);
        return;
      case IN.REQ_IDS:
        this.send(session, [OUT.NEXT_VALID_ID, 1, this.nextOrderId]);
        return;
      case IN.REQ_CONTRACT_DATA:
        void contractDetails(fields, this.registry, this.optionListed, (x) => this.send(session, x));
        return;
      case IN.REQ_SEC_DEF_OPT_PARAMS:
        this.withMarket(session, Number(fields[1]), (m) => secDefOptParams(m, fields, (x) => this.send(session, x)));
        return;
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
      case IN.CANCEL_POSITIONS:
      case IN.CANCEL_ACCOUNT_SUMMARY:
        // Answers are one-off snapshots here: there is no subscription to stop.
        return;
      default:
        if (isOrderMessage(id)) return this.handleOrders(session, id, fields);
        // Say so instead of staying silent: a client waiting on an unimplemented reply would hang.
        this.send(session, [OUT.ERR_MSG, 2, -1, 321, `fake gateway: message ${fields[0] ?? '?'} is not supported`]);
    }
  }

  /** The order side, or IB's refusal when the gateway has no broker behind it. */
  private handleOrders(session: Session, id: number, fields: readonly string[]): void {
    if (!this.orders) {
      this.send(session, [OUT.ERR_MSG, 2, orderRequestId(id, fields), 321, 'Error validating request: the fake gateway has no broker backend (orders, executions, positions and the account need one)']);
      return;
    }
    this.orders.handle({ clientId: session.clientId ?? 0, reply: (x) => this.send(session, x) }, id, fields);
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

  /** Snapshots hold a line until their end; beyond the limit IB answers 101 and so do we. */
  private mktData(session: Session, fields: readonly string[]): void {
    const r = parseMktDataRequest(fields);
    if (this.linesInUse >= this.maxLines) {
      this.send(session, [OUT.ERR_MSG, 2, r.reqId, 101, `Max number of tickers has been reached (${this.maxLines})`]);
      return;
    }
    this.linesInUse += 1;
    if (!r.snapshot) this.streaming.add(r.reqId);
    this.peakLines = Math.max(this.peakLines, this.linesInUse);
    this.withMarket(session, r.reqId, async (m) => {
      try {
        await marketDataSnapshot(m, r, (x) => this.send(session, x));
      } finally {
        if (r.snapshot) this.linesInUse -= 1;
      }
    });
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
