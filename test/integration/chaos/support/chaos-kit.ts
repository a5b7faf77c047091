import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { configDirWith, REPO_ROOT, replaceOnce } from '../../../helpers/config';

export const BIN = path.join(REPO_ROOT, 'bin', 'thetadesk.js');
const PRELOAD = path.join(__dirname, 'shift-clock.cjs');

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export function tempDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `thetadesk-chaos-${tag}-`));
}

/** A private redis-server on a free port (`--save ''`; persistent = append-only file fsynced on every write). */
export class PrivateRedis {
  private proc: ChildProcess | null = null;
  readonly url: string;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly persistent: boolean,
  ) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  static async start(persistent: boolean): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort(), tempDir('redis'), persistent);
    await r.launch();
    return r;
  }

  get pid(): number {
    return this.proc?.pid ?? -1;
  }

  async launch(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--dir', this.dir, '--appendonly', this.persistent ? 'yes' : 'no'];
    if (this.persistent) args.push('--appendfsync', 'always');
    this.proc = spawn('redis-server', args, { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (await this.answers()) return;
      await sleep(50);
    }
    throw new Error(`redis-server on port ${this.port} did not start`);
  }

  /** True when it answers PING on a raw socket within 300 ms (no client library, no retry). */
  answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const s = net.connect(this.port, '127.0.0.1');
      const done = (ok: boolean): void => {
        s.destroy();
        resolve(ok);
      };
      s.setTimeout(300, () => done(false));
      s.once('error', () => done(false));
      s.once('connect', () => s.write('PING\r\n'));
      s.once('data', (d) => done(d.toString().startsWith('+PONG')));
    });
  }

  signal(sig: NodeJS.Signals): void {
    this.proc?.kill(sig);
  }

  async kill(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGCONT');
      await this.kill();
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The shipped configuration with the monitor every minute (so a trading day's rhythm fits in a
 * test), a 40 s misfire grace and timeout, and the watchdog checking every 5 s over `intervals`.
 */
export function chaosConfigDir(watchdogIntervals = 3): string {
  return configDirWith((f) => {
    let s = f['schedules.yaml'] ?? '';
    s = replaceOnce(s, '  - name: unified_monitor\n    every: 5m', '  - name: unified_monitor\n    every: 1m');
    s = replaceOnce(s, '    requires: market_open\n    misfire_grace: 4m\n    max_attempts: 1\n    timeout: 4m', '    requires: market_open\n    misfire_grace: 40s\n    max_attempts: 1\n    timeout: 40s');
    s = replaceOnce(s, 'watchdog:\n  intervals: 2\n  check_every: 30s', `watchdog:\n  intervals: ${watchdogIntervals}\n  check_every: 5s`);
    f['schedules.yaml'] = s;
    // Seeded positions are opened at whatever the simulated chain offers.
    f['strategies.yaml'] = replaceOnce(f['strategies.yaml'] ?? '', 'min_credit_pct_of_width: 33', 'min_credit_pct_of_width: 5');
  });
}

export interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface ThetadeskEnv {
  readonly redisUrl?: string;
  /** Virtual minus real time (ms), shared by every process of a case. */
  readonly offsetMs?: number;
  readonly extra?: NodeJS.ProcessEnv;
}

function childEnv(e: ThetadeskEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...e.extra };
  delete env.THETADESK_JOURNAL;
  delete env.THETADESK_PAPER_STATE;
  if (e.redisUrl !== undefined) env.REDIS_URL = e.redisUrl;
  if (e.offsetMs !== undefined) env.CHAOS_CLOCK_OFFSET_MS = String(e.offsetMs);
  return env;
}

/** `node bin/thetadesk.js ARGS` to its end, with a hard limit. */
export function thetadesk(args: readonly string[], e: ThetadeskEnv = {}, limitMs = 60_000): Promise<ChildRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--require', PRELOAD, BIN, ...args], { env: childEnv(e), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A long-running `thetadesk run`/`worker` whose output lines the test can wait for. */
export class RunningEngine {
  readonly lines: string[] = [];
  readonly stderr: string[] = [];
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly proc: ChildProcess;

  constructor(
    readonly args: readonly string[],
    e: ThetadeskEnv,
  ) {
    this.proc = spawn(process.execPath, ['--require', PRELOAD, BIN, ...args], { env: childEnv(e), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    this.proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const parts = out.split('\n');
      out = parts.pop() ?? '';
      this.lines.push(...parts);
    });
    this.proc.stderr?.on('data', (d: Buffer) => this.stderr.push(d.toString()));
    this.exited = new Promise((r) => this.proc.on('close', (code, signal) => r({ code, signal })));
  }

  async waitFor(re: RegExp, timeoutMs: number, from = 0): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.lines.slice(from).find((l) => re.test(l));
      if (hit !== undefined) return hit;
      if (this.proc.exitCode !== null) throw new Error(`engine exited (${this.proc.exitCode}) before ${re}:\n${this.lines.join('\n')}\n${this.stderr.join('')}`);
      if (Date.now() > deadline) throw new Error(`no line ${re} within ${timeoutMs} ms:\n${this.lines.join('\n')}\n${this.stderr.join('')}`);
      await sleep(100);
    }
  }

  matching(re: RegExp): string[] {
    return this.lines.filter((l) => re.test(l));
  }

  /** JSON alert lines of one kind. */
  alerts(kind: string): Array<{ alert: string; severity: string; message: string }> {
    return this.lines
      .map((l) => l.replace(/^\S+ /, ''))
      .filter((l) => l.startsWith('{"alert":'))
      .map((l) => JSON.parse(l) as { alert: string; severity: string; message: string })
      .filter((a) => a.alert === kind);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill(signal);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
    const r = await this.exited;
    clearTimeout(timer);
    return r;
  }

  wait(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exited;
  }
}

/** `ms` of virtual time at or after `fromMs` that is a whole minute (the monitor's fire times in the chaos config). */
export function nextMinute(fromMs: number): number {
  return Math.ceil(fromMs / 60_000) * 60_000;
}

/** Waits until the case's virtual clock reads `virtualMs`. */
export async function sleepUntil(virtualMs: number, offsetMs: number): Promise<void> {
  const wait = virtualMs - (Date.now() + offsetMs);
  if (wait > 0) await sleep(wait);
}

/** With CHAOS_LOG_DIR set, what the operator saw (the engine's lines, the commands' output) is kept there for reading. */
export function saveLog(name: string, engine: RunningEngine | null, commands: Record<string, { code: number | null; stdout: string; stderr: string }> = {}): void {
  const dir = process.env.CHAOS_LOG_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  const parts = [engine ? `== thetadesk ${engine.args[0] ?? ''}\n${engine.lines.join('\n')}\n${engine.stderr.join('')}` : ''];
  for (const [k, c] of Object.entries(commands)) parts.push(`== ${k} (exit ${c.code})\n${c.stdout}${c.stderr}`);
  fs.writeFileSync(path.join(dir, `${name}.log`), parts.join('\n'));
}
