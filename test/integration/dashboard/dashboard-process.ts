import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from '../../helpers/cli';
import { REPO_ROOT } from '../../helpers/config';

export interface DashboardProcess {
  readonly url: string;
  readonly output: () => string;
  stop(): Promise<number | null>;
}

/** Starts `thetadesk dashboard --port 0 …` as a child and resolves with the URL it printed. */
export function startDashboard(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<DashboardProcess> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'dashboard', '--port', '0', ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the dashboard printed no URL in ${timeoutMs} ms: ${out}`));
    }, timeoutMs);
    const onData = (d: Buffer): void => {
      out += d.toString('utf8');
      const m = /thetadesk dashboard at (http:\/\/\S+\/) .*listening on/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1] as string,
          output: () => out,
          stop: async () => {
            child.kill('SIGTERM');
            const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
            const code = await exited;
            clearTimeout(t);
            return code;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the dashboard exited (${code}) before printing its URL: ${out}`));
    });
  });
}
