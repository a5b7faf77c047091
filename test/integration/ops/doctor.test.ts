import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IbSession } from '../../../engine/adapters/ib/ib-session';
import { systemClock } from '../../../engine/shared/clock';
import { openJournal } from '../../../engine/store/journal';
import { simGateway, type SimGateway } from '../../../engine/testkit/ib-gateway/sim-gateway';
import { configDirWith, REPO_ROOT, replaceOnce } from '../../helpers/config';
import { SimMarket } from '../../../engine/adapters/sim/sim-market';
import { seedOpenPositions } from '../../fixtures/open-positions';

const BIN = path.join(REPO_ROOT, 'bin', 'thetadesk.js');

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix: string | null;
}

/** `thetadesk doctor` as a user runs it, in a child process (the gateway answers from this one). */
function doctor(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; checks: Check[]; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'doctor', '--json', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      let checks: Check[] = [];
      try {
        checks = (JSON.parse(stdout) as { checks: Check[] }).checks;
      } catch {
        // Left empty: the assertions show stdout and stderr.
      }
      resolve({ code, checks, stdout, stderr });
    });
  });
}

const byName = (checks: Check[], name: string): Check | undefined => checks.find((c) => c.name === name);
const failing = (checks: Check[]): string[] => checks.filter((c) => !c.ok).map((c) => c.name);

describe('thetadesk doctor against the fake gateway', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-doctor-'));
  const journal = path.join(dir, 'journal.db');
  let sim: SimGateway;
  let port: number;
  let clientId = 300;
  const ib = (extra: string[] = []): string[] => ['--broker', 'ib', '--ib-port', String(port), '--ib-client-id', String((clientId += 5)), '--journal', journal, ...extra];

  beforeAll(async () => {
    sim = simGateway({ seed: 1, clock: systemClock });
    port = await sim.gateway.listen(0);
  });

  afterEach(() => {
    sim.gateway.clearMarketDataFaults();
    sim.gateway.competingSession(false);
  });

  afterAll(async () => {
    await sim.gateway.close();
    sim.broker.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('when everything holds', () => {
    it('should print every line ok and exit 0', async () => {
      const r = await doctor(ib());
      expect(r.code).toBe(0);
      expect(r.checks.map((c) => c.name)).toEqual(['redis', 'journal', 'config', 'ib', 'account', 'market SPY', 'market QQQ', 'market IWM', 'clock', 'pacing']);
      expect(failing(r.checks)).toEqual([]);
      expect(byName(r.checks, 'ib')?.detail).toMatch(/^127\.0\.0\.1:\d+: server version 157, accounts DU\*\*\*; client ids \d+ \(worker\) and \d+ \(orders\) free$/);
      expect(byName(r.checks, 'account')?.detail).toBe('PAPER account DU***');
      expect(byName(r.checks, 'market SPY')?.detail).toMatch(/^SPY [\d.]+ live; option \d{4}-\d{2}-\d{2} \d+C [\d.]+\/[\d.]+ live$/);
    }, 60_000);

    it('should print the checklist as text, ok per line', async () => {
      const child = await new Promise<string>((resolve) => {
        const c = spawn(process.execPath, [BIN, 'doctor', ...ib()], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        c.stdout.on('data', (b: Buffer) => (out += b.toString()));
        c.on('close', () => resolve(out));
      });
      expect(child.split('\n')[0]).toBe('thetadesk doctor: 10 checks, all ok');
      expect(child).toMatch(/^ok {4}market SPY {2}SPY /m);
    }, 60_000);
  });

  describe.each([
    ['354 on SPY (no subscription)', () => sim.gateway.refuseMarketData('SPY', 354), ['market SPY'], 'IB 354', ['no market data subscription for SPY', 'market.data_type: delayed']],
    ['10089 on QQQ options (no OPRA)', () => sim.gateway.refuseMarketData('QQQ', 10089, { optionsOnly: true }), ['market QQQ'], 'IB 10089', ['no OPRA subscription for options on QQQ']],
    ['10167 on IWM (delayed data only)', () => sim.gateway.refuseMarketData('IWM', 10167), ['market IWM'], 'delayed quotes, so every entry is refused', ['market.allow_delayed_entries: true']],
    ['10197 (a competing live session)', () => sim.gateway.competingSession(true), ['market SPY', 'market QQQ', 'market IWM'], 'IB 10197', ['log that session out']],
  ])('when market data is refused with %s', (_label, inject, lines, detail, fixes) => {
    it('should FAIL exactly those lines with the error and its fix, and exit 1', async () => {
      inject();
      const r = await doctor(ib());
      expect(r.code).toBe(1);
      expect(failing(r.checks)).toEqual(lines);
      for (const name of lines) {
        expect(byName(r.checks, name)?.detail).toContain(detail);
        for (const fix of fixes) expect(byName(r.checks, name)?.fix).toContain(fix);
      }
    }, 60_000);
  });

  describe('when a client id is already in use (326)', () => {
    it.each([
      ['the worker’s', 0],
      ['the order executor’s', 1],
    ])('should FAIL the ib line naming %s client id', async (_label, offset) => {
      const args = ib();
      const base = Number(args[args.indexOf('--ib-client-id') + 1]);
      const holder = new IbSession({ host: '127.0.0.1', port, clientId: base + offset });
      await holder.connect();
      try {
        const r = await doctor(args);
        expect(r.code).toBe(1);
        const line = byName(r.checks, 'ib');
        expect(line?.ok).toBe(false);
        expect(line?.fix).toContain(`client id ${base + offset} is already used by another API connection`);
      } finally {
        holder.disconnect();
      }
    }, 60_000);
  });

  describe('when IB Gateway is down for its daily restart', () => {
    it('should FAIL the connection with how to start it, and not pretend to check the rest', async () => {
      // Down long enough for the child to start and knock even on a loaded machine; back before the next test.
      sim.gateway.restartAt(Date.now(), 25_000);
      const until = Date.now() + 3000;
      while (!sim.gateway.restarting && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      try {
        const r = await doctor(ib());
        expect(r.code).toBe(1);
        expect(failing(r.checks)).toEqual(['ib', 'ib checks']);
        expect(byName(r.checks, 'ib')?.detail).toContain('cannot connect to TWS / IB Gateway');
        expect(byName(r.checks, 'ib')?.fix).toContain('Enable ActiveX and Socket Clients');
      } finally {
        const back = Date.now() + 30_000;
        while (sim.gateway.restarting && Date.now() < back) await new Promise((r) => setTimeout(r, 50));
      }
      expect(sim.gateway.restarting).toBe(false);
    }, 90_000);
  });

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

    it('should FAIL the account line unless broker.allow_live and --live both allow it', async () => {
      const args = ['--broker', 'ib', '--ib-port', String(livePort), '--ib-client-id', '900', '--journal', journal];
      const refused = await doctor(args);
      expect(refused.code).toBe(1);
      expect(failing(refused.checks)).toEqual(['account']);
      expect(byName(refused.checks, 'account')?.detail).toBe('refusing LIVE account U***: it is not a paper account (paper accounts start with DU or DF) and strategies.yaml does not say broker.allow_live: true and the command has no --live');
      const allowed = configDirWith((f) => {
        f['strategies.yaml'] = replaceOnce(f['strategies.yaml'] ?? '', '\nmarket:\n', '\nbroker:\n  allow_live: true\n\nmarket:\n');
      });
      const ok = await doctor([...args, '--config', allowed, '--live']);
      expect(failing(ok.checks)).toEqual([]);
      expect(byName(ok.checks, 'account')?.detail).toBe('LIVE account U***: trading it is allowed (broker.allow_live and --live)');
    }, 90_000);
  });

  describe('when IB’s clock and this machine’s disagree', () => {
    it('should FAIL the clock line past 3 s', async () => {
      const skewed = simGateway({ seed: 1, clock: systemClock, serverNow: () => Date.now() + 60_000 });
      const p = await skewed.gateway.listen(0);
      try {
        const r = await doctor(['--broker', 'ib', '--ib-port', String(p), '--ib-client-id', '910', '--journal', journal]);
        expect(failing(r.checks)).toEqual(['clock']);
        expect(byName(r.checks, 'clock')?.detail).toMatch(/^this machine's clock is 6\d s behind IB's currentTime \(more than 3 s\)$/);
      } finally {
        await skewed.gateway.close();
        skewed.broker.close();
      }
    }, 60_000);
  });

  describe('when a monitor cycle would not fit its timeout under IB pacing', () => {
    it('should FAIL the pacing line, counting the distinct legs of the open positions', async () => {
      const file = path.join(dir, 'book.db');
      const db = openJournal(file);
      await seedOpenPositions(db, new SimMarket({ seed: 1, clock: systemClock }), 30, Date.now());
      db.close();
      const tight = configDirWith((f) => {
        f['schedules.yaml'] = replaceOnce(f['schedules.yaml'] ?? '', '    misfire_grace: 4m\n    max_attempts: 1\n    timeout: 4m', '    misfire_grace: 4m\n    max_attempts: 1\n    timeout: 1s');
      });
      const r = await doctor(['--broker', 'ib', '--ib-port', String(port), '--ib-client-id', '920', '--journal', file, '--config', tight]);
      expect(failing(r.checks)).toEqual(['pacing']);
      expect(byName(r.checks, 'pacing')?.detail).toMatch(/^a monitor cycle needs ~\d+ messages \(\d+ distinct legs of 30 open positions, 3 per underlying, VIX\): ≥ [\d.]+ s at IB's 50 messages\/s against unified_monitor's 1 s timeout: less than 2× headroom$/);
    }, 60_000);
  });

  describe('without IB', () => {
    it.each([
      ['Redis unreachable', { REDIS_URL: 'redis://127.0.0.1:1' }, () => journal, 'redis', 'Redis is not reachable at redis://127.0.0.1:1'],
      ['a journal that is not SQLite', {}, () => {
        const f = path.join(dir, 'garbage.db');
        fs.writeFileSync(f, 'this is not a database, it is a shopping list '.repeat(200));
        return f;
      }, 'journal', 'is not a SQLite database'],
    ])('should FAIL on %s', async (_label, env, file, name, detail) => {
      const r = await doctor(['--journal', file()], env);
      expect(r.code).toBe(1);
      expect(failing(r.checks)).toEqual([name]);
      expect(byName(r.checks, name)?.detail).toContain(detail);
    }, 30_000);

    it('should FAIL a config that does not lint, naming the first problem', async () => {
      const bad = configDirWith((f) => {
        f['schedules.yaml'] = replaceOnce(f['schedules.yaml'] ?? '', 'end: "00:45"', 'end: "00:45"\n    duration: 1h');
      });
      const r = await doctor(['--journal', journal, '--config', bad]);
      expect(r.code).toBe(1);
      expect(failing(r.checks)).toEqual(['config']);
      expect(byName(r.checks, 'config')?.detail).toContain('E_MAINTENANCE_LENGTH');
    }, 30_000);
  });
});
