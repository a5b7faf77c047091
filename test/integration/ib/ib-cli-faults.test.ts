import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IbSession } from '../../../engine/adapters/ib/ib-session';
import { connectRedis } from '../../../engine/queue/redis-connection';
import { removeQueues } from '../../../engine/queue/remove-queues';
import { systemClock } from '../../../engine/shared/clock';
import { simGateway, type SimGateway } from '../../../engine/testkit/ib-gateway/sim-gateway';
import { configDirWith, REPO_ROOT, replaceOnce } from '../../helpers/config';

const BIN = path.join(REPO_ROOT, 'bin', 'thetadesk.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The installed command in a child process, against the gateway this process runs. */
function thetadesk(args: string[], env: NodeJS.ProcessEnv, onStart?: (c: ChildProcess) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, stdout: signal ? `${stdout}[killed by ${signal}]` : stdout, stderr });
    });
    onStart?.(child);
  });
}

/** Stops the child (SIGTERM, once) as soon as it says it runs. */
const stopWhenRunning = (child: ChildProcess): void => {
  let seen = '';
  let sent = false;
  child.stdout?.on('data', (b: Buffer) => {
    seen += b.toString();
    if (!sent && seen.includes('Ctrl-C stops')) {
      sent = true;
      child.kill('SIGTERM');
    }
  });
};

/**
 * IB's faults as a user meets them: the command fails at once with the mapped message and exit code
 * (1: fix something; 3: a service is not there), and never loops on a retry.
 */
describe('IB faults through the thetadesk command', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-ib-cli-'));
  let sim: SimGateway;
  let port: number;
  const env = (): NodeJS.ProcessEnv => ({ THETADESK_IB_PORT: String(port), THETADESK_IB_CLIENT_ID: '40', THETADESK_JOURNAL: path.join(dir, 'j.db'), THETADESK_PAPER_STATE: path.join(dir, 'p.db') });

  beforeAll(async () => {
    sim = simGateway({ seed: 1, clock: systemClock });
    port = await sim.gateway.listen(0);
  });
  afterEach(() => sim.gateway.clearMarketDataFaults());
  afterAll(async () => {
    await sim.gateway.close();
    sim.broker.close();
    fs.rmSync(dir, { recursive: true, force: true });
    // `run` synced its schedulers into Redis under these prefixes.
    const redis = await connectRedis();
    for (const p of ['ibcli', 'ibcli-live', 'ibcli-paper']) await removeQueues(redis, `td-test-${p}-${process.pid}`);
    redis.disconnect();
  });

  it('should exit analyze --market ib with 1 on 354, saying what to subscribe to, after asking IB once', async () => {
    sim.gateway.refuseMarketData('SPY', 354);
    const before = sim.gateway.received.filter((m) => m[0] === '1' && m[4] === 'SPY').length;
    const r = await thetadesk(['analyze', '--market', 'ib', '--symbols', 'SPY'], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^thetadesk: IB 354 \(request \d+\): Requested market data is not subscribed\. — no market data subscription for SPY: subscribe to a market-data subscription for SPY in IB Account Management \(Settings → Market Data Subscriptions\), or set market\.data_type: delayed in strategies\.yaml/);
    expect(sim.gateway.received.filter((m) => m[0] === '1' && m[4] === 'SPY').length - before).toBe(1);
  }, 90_000);

  it('should analyze on delayed quotes through the same fault when market.data_type is delayed', async () => {
    sim.gateway.refuseMarketData('SPY', 354);
    const delayed = configDirWith((f) => {
      f['strategies.yaml'] = replaceOnce(f['strategies.yaml'] ?? '', 'risk_free_rate: 0.045', 'risk_free_rate: 0.045\n  data_type: delayed');
    });
    const r = await thetadesk(['analyze', '--market', 'ib', '--symbols', 'SPY', '--config', delayed, '--json'], env());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { symbols: Array<{ symbol: string }> }).symbols.map((s) => s.symbol)).toEqual(['SPY']);
  }, 90_000);

  it('should exit run --broker ib with 1 on a client id already in use (326), naming the id and the flag', async () => {
    const holder = new IbSession({ host: '127.0.0.1', port, clientId: 41 }); // the executor's id: 40 + 1
    await holder.connect();
    try {
      const r = await thetadesk(['run', '--broker', 'ib', '--market', 'ib', '--prefix', `td-test-ibcli-${process.pid}`], env());
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('client id 41 is already used by another API connection: give this one another --ib-client-id / THETADESK_IB_CLIENT_ID');
    } finally {
      holder.disconnect();
    }
  }, 90_000);

  it('should exit run --broker ib with 3 when nothing listens', async () => {
    const r = await thetadesk(['run', '--broker', 'ib', '--prefix', `td-test-ibcli-${process.pid}`], { ...env(), THETADESK_IB_PORT: '1' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('cannot connect to TWS / IB Gateway at 127.0.0.1:1');
  }, 90_000);

  describe('when the account is live', () => {
    let live: SimGateway;
    let livePort: number;
    beforeAll(async () => {
      live = simGateway({ seed: 1, clock: systemClock, accounts: ['U7654321'] });
      livePort = await live.gateway.listen(0);
    });
    afterAll(async () => {
      await live.gateway.close();
      live.broker.close();
    });

    it('should refuse it in run with exit 1, even with --live, when strategies.yaml does not allow it', async () => {
      const r = await thetadesk(['run', '--broker', 'ib', '--live', '--prefix', `td-test-ibcli-${process.pid}`], { ...env(), THETADESK_IB_PORT: String(livePort) });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('refusing LIVE account U***: it is not a paper account (paper accounts start with DU or DF) and strategies.yaml does not say broker.allow_live: true.');
      expect(r.stderr + r.stdout).not.toContain('7654321');
    }, 90_000);

    it('should start run with broker.allow_live and --live, and say LIVE first', async () => {
      const allowed = configDirWith((f) => {
        f['strategies.yaml'] = replaceOnce(f['strategies.yaml'] ?? '', '\nmarket:\n', '\nbroker:\n  allow_live: true\n\nmarket:\n');
      });
      const r = await thetadesk(['run', '--broker', 'ib', '--live', '--config', allowed, '--prefix', `td-test-ibcli-live-${process.pid}`, '--grace', '1s'], { ...env(), THETADESK_IB_PORT: String(livePort) }, stopWhenRunning);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/ LIVE account U\*\*\*, IB at 127\.0\.0\.1:\d+ client 41\n/);
    }, 90_000);
  });

  it('should say PAPER when run starts on a paper account', async () => {
    const r = await thetadesk(['run', '--broker', 'ib', '--prefix', `td-test-ibcli-paper-${process.pid}`, '--grace', '1s'], env(), stopWhenRunning);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ PAPER account DU\*\*\*, IB at 127\.0\.0\.1:\d+ client 41\n/);
  }, 90_000);
});
