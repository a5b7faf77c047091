import { EventName, IBApi } from '@stoqey/ib';
import { NotConnectedError, TransientError, type ThetadeskError } from '../../shared/errors';
import { mapIbError, type IbErrorSubject } from './map-ib-error';
import type { IbConnectionSettings } from './ib-config';
import { redactAccountIds } from './ib-config';

export interface IbSessionOptions {
  readonly connectTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** Informational notices (farm status, connectivity); account ids are redacted before this sees them. */
  readonly onNotice?: (code: number, message: string) => void;
}

type Listener = (...args: never[]) => void;

/**
 * One connection to TWS / IB Gateway: connect with a deadline, request ids, and request/response
 * plumbing that routes IB's `error` callback through mapIbError so every failure is typed.
 */
export class IbSession {
  readonly api: IBApi;
  private reqId = 1000;
  private readonly requestTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly failures = new Map<number, { readonly fail: (e: ThetadeskError) => void; readonly subject?: IbErrorSubject }>();
  /** Requests IB answered with delayed data (notice 10167), until their owner reads the flag. */
  private readonly delayed = new Set<number>();
  private delayedNoticeGiven = false;
  nextOrderId: number | null = null;
  /** The accounts this login manages (managedAccounts at connect). Never logged unredacted. */
  accounts: readonly string[] = [];
  /** IBApi's overloads are typed per event; request() registers listeners generically. */
  private get emitter(): { on(ev: EventName, fn: Listener): unknown; off(ev: EventName, fn: Listener): unknown } {
    return this.api as unknown as { on(ev: EventName, fn: Listener): unknown; off(ev: EventName, fn: Listener): unknown };
  }

  constructor(
    readonly settings: IbConnectionSettings,
    private readonly opts: IbSessionOptions = {},
  ) {
    this.api = new IBApi({ host: settings.host, port: settings.port });
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 15_000;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
    this.api.on(EventName.error, (err: Error, code: number, reqId: number) => this.onError(err, code, reqId));
    this.api.on(EventName.info, (message: string, code: number) => this.opts.onNotice?.(code, redactAccountIds(message)));
    // Requests in flight when the socket goes get no answer: fail them now rather than at their timeout.
    this.api.on(EventName.disconnected, () => {
      for (const f of [...this.failures.values()]) f.fail(new NotConnectedError('IB_DISCONNECTED', 'the connection to TWS / IB Gateway closed before IB answered; the request may or may not have reached IB'));
    });
    this.api.on(EventName.managedAccounts, (list: string) => {
      this.accounts = String(list).split(',').map((a) => a.trim()).filter((a) => a !== '');
    });
    this.api.on(EventName.nextValidId, (id: number) => {
      // Never go back: ids this session used before a reconnect stay used.
      this.nextOrderId = Math.max(id, this.nextOrderId ?? 0);
    });
  }

  /**
   * Resolves once IB has sent nextValidId and the managed accounts (the API session is usable);
   * NotConnectedError when nothing answers, ConfigError when IB refuses the client id (326).
   */
  async connect(): Promise<void> {
    const where = `${this.settings.host}:${this.settings.port}`;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        this.api.disconnect();
        reject(new NotConnectedError('IB_CONNECT_TIMEOUT', `no answer from TWS / IB Gateway at ${where} within ${this.connectTimeoutMs} ms: is it running with the API enabled?`));
      }, this.connectTimeoutMs);
      const onReady = (): void => {
        cleanup();
        resolve();
      };
      const onFail = (err: Error, code: number): void => {
        if (code !== 502 && code !== 504 && code !== -1 && !/ECONNREFUSED|connect/i.test(err.message)) return;
        cleanup();
        reject(new NotConnectedError('IB_CONNECT', `cannot connect to TWS / IB Gateway at ${where}: ${redactAccountIds(err.message)}`));
      };
      // IB refuses a client id already in use with 326 (no request id: a notice) and closes the socket.
      const onNotice = (message: string, code: number): void => {
        if (code !== 326) return;
        cleanup();
        this.api.disconnect();
        const outcome = mapIbError(326, `${redactAccountIds(message)} (${where})`, -1, { clientId: this.settings.clientId });
        reject(outcome.kind === 'error' ? outcome.error : new NotConnectedError('IB_326', message));
      };
      const onClosed = (): void => {
        cleanup();
        reject(new NotConnectedError('IB_CONNECT', `TWS / IB Gateway at ${where} closed the connection during the handshake`));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.api.off(EventName.nextValidId, onReady);
        this.api.off(EventName.error, onFail);
        this.api.off(EventName.info, onNotice);
        this.api.off(EventName.disconnected, onClosed);
      };
      this.api.on(EventName.nextValidId, onReady);
      this.api.on(EventName.error, onFail);
      this.api.on(EventName.info, onNotice);
      this.api.on(EventName.disconnected, onClosed);
      this.api.connect(this.settings.clientId);
    });
    if (this.accounts.length === 0) await this.waitForAccounts();
  }

  /** IB sends managedAccounts right after nextValidId; ask once if it has not come. */
  private async waitForAccounts(): Promise<void> {
    const got = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.api.off(EventName.managedAccounts, done);
        resolve();
      }, Math.min(this.requestTimeoutMs, 5_000));
      const done = (): void => {
        clearTimeout(timer);
        this.api.off(EventName.managedAccounts, done);
        resolve();
      };
      this.api.on(EventName.managedAccounts, done);
    });
    await new Promise((r) => setTimeout(r, 50));
    if (this.accounts.length === 0) this.api.reqManagedAccts();
    await got;
  }

  /** The server version IB announced at the handshake (0 before a connection). */
  get serverVersion(): number {
    return this.api.serverVersion ?? 0;
  }

  /** IB's clock (reqCurrentTime), epoch seconds: what clock skew is measured against. */
  currentTime(): Promise<number> {
    return new Promise((resolve, reject) => {
      if (!this.api.isConnected) return reject(new NotConnectedError('IB_NOT_CONNECTED', 'current time: not connected to TWS / IB Gateway'));
      const timer = setTimeout(() => {
        this.api.off(EventName.currentTime, done);
        reject(new TransientError('IB_TIMEOUT', `current time: no answer from IB within ${this.requestTimeoutMs} ms; retry`));
      }, this.requestTimeoutMs);
      const done = (t: number): void => {
        clearTimeout(timer);
        this.api.off(EventName.currentTime, done);
        resolve(Number(t));
      };
      this.api.on(EventName.currentTime, done);
      this.api.reqCurrentTime();
    });
  }

  /** True once, for a request IB answered with delayed data (10167); the flag is consumed. */
  takeDelayed(reqId: number): boolean {
    return this.delayed.delete(reqId);
  }

  disconnect(): void {
    this.api.disconnect();
  }

  get connected(): boolean {
    return this.api.isConnected;
  }

  newReqId(): number {
    this.reqId += 1;
    return this.reqId;
  }

  private onError(err: Error, code: number, reqId: number): void {
    const pending = this.failures.get(reqId);
    const outcome = mapIbError(code, redactAccountIds(err.message), reqId, pending?.subject);
    if (outcome.kind === 'error') {
      pending?.fail(outcome.error);
    } else if (outcome.kind === 'delayed_data') {
      this.delayed.add(reqId);
      // Said once a connection, not once a quote: every request on an unsubscribed symbol repeats it.
      if (!this.delayedNoticeGiven) this.opts.onNotice?.(code, `${redactAccountIds(err.message)} (quotes are delayed from now on; entries need market.allow_delayed_entries: true)`);
      this.delayedNoticeGiven = true;
    } else {
      this.opts.onNotice?.(code, outcome.message === err.message ? redactAccountIds(err.message) : redactAccountIds(outcome.message));
    }
  }

  /**
   * Runs one request: `start` sends it, `listen` registers the response listeners and returns them so
   * they are removed at the end; `done` / `fail` settle it. Errors for this reqId reject with the
   * typed error; silence past the timeout is a TransientError.
   */
  request<T>(reqId: number, what: string, listen: (done: (v: T) => void, fail: (e: ThetadeskError) => void) => Array<[EventName, Listener]>, start: () => void, subject?: IbErrorSubject): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let listeners: Array<[EventName, Listener]> = [];
      const finish = (): void => {
        clearTimeout(timer);
        this.failures.delete(reqId);
        for (const [ev, fn] of listeners) this.emitter.off(ev, fn);
      };
      const done = (v: T): void => {
        finish();
        resolve(v);
      };
      const fail = (e: ThetadeskError): void => {
        finish();
        reject(e);
      };
      const timer = setTimeout(() => fail(new TransientError('IB_TIMEOUT', `${what}: no answer from IB within ${this.requestTimeoutMs} ms; retry`, { req_id: reqId })), this.requestTimeoutMs);
      this.failures.set(reqId, { fail, subject });
      listeners = listen(done, fail);
      for (const [ev, fn] of listeners) this.emitter.on(ev, fn);
      if (!this.api.isConnected) {
        fail(new NotConnectedError('IB_NOT_CONNECTED', `${what}: not connected to TWS / IB Gateway`));
        return;
      }
      start();
    });
  }
}
