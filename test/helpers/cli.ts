import { spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { REPO_ROOT } from './config';

/** The checkout's bin, run as `node bin/thetadesk.js` (the packed-install test runs the installed one). */
export const BIN = path.join(REPO_ROOT, 'bin', 'thetadesk.js');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  /** The program to run instead of `node BIN` (an installed bin, a symlink). */
  readonly command?: readonly string[];
}

/** Runs a command as a child process and collects its output; a timeout kills it (code null, signal SIGKILL). */
export function run(args: readonly string[], o: RunOptions = {}): Promise<CliResult> {
  const [cmd, ...pre] = o.command ?? [process.execPath, BIN];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd as string, [...pre, ...args], { cwd: o.cwd ?? REPO_ROOT, env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Runs `fn` over `items`, at most `limit` at a time (the machine has two cores; children are whole node processes). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A TCP port nothing listens on right now (bound once by the OS, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
