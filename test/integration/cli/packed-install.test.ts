import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, type RunOptions } from '../../helpers/cli';
import { packAndInstall, type PackedInstall } from '../../helpers/packed-install';

/**
 * thetadesk as a project that depends on it meets it: the packed tarball installed by npm, the
 * command run through npm's `thetadesk` link, npx, a symlink elsewhere and `node …/bin/thetadesk.js`
 * (#13: through npm's link every command printed nothing and exited 0). One install for the file.
 */

/** Every way a user starts it: each must behave the same. */
const WAYS: ReadonlyArray<readonly [string, (i: PackedInstall) => string[]]> = [
  ['npx thetadesk', () => ['npx', '--no-install', 'thetadesk']],
  ["npm's link node_modules/.bin/thetadesk", (i) => [i.bin]],
  ['a symlink named td in another folder', (i) => [path.join(i.root, 'elsewhere', 'td')]],
  ['node node_modules/thetadesk/bin/thetadesk.js', (i) => [process.execPath, path.join(i.pkg, 'bin', 'thetadesk.js')]],
];

const POSITION = { strategy: 'iron_condor', dte: 30, profit_pct: 10, peak_profit_pct: 15, underlying_change_1h_pct: 0.2, iv_change_pct: 5, iv_rank: 40, iv_percentile: 50, vix: 18, vix_change_since_entry: 1, short_delta_max: 0.18, short_delta_vs_entry: 1.1, spot_beyond_short_strike: false, short_strike_distance_pct: 4.2, short_strike_distance_em: 1.1, short_gamma_1pct: 0.06, position_gamma_usd_1pct: -450, partial_taken: false, days_held: 15 };

describe('when thetadesk is installed from its packed tarball', () => {
  let inst: PackedInstall;
  const env = { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' };
  const inProject = (command: readonly string[], args: string[], o: RunOptions = {}) => run(args, { cwd: inst.project, env, command, ...o });

  beforeAll(() => {
    inst = packAndInstall();
    // The user's configuration: a copy of the shipped files in their project, and a broken copy.
    for (const dir of ['config', 'broken']) {
      for (const f of ['strategies.yaml', 'schedules.yaml', 'rules']) fs.cpSync(path.join(inst.pkg, f), path.join(inst.project, dir, f), { recursive: true });
    }
    fs.appendFileSync(path.join(inst.project, 'broken', 'strategies.yaml'), 'broken: [x\n');
    fs.writeFileSync(path.join(inst.project, 'position.json'), JSON.stringify(POSITION));
    // A link in an unrelated folder, as a global install or a hand-made alias makes.
    fs.mkdirSync(path.join(inst.root, 'elsewhere'));
    fs.symlinkSync(path.join(inst.pkg, 'bin', 'thetadesk.js'), path.join(inst.root, 'elsewhere', 'td'));
  }, 300_000);

  afterAll(() => inst?.cleanup());

  it('should install the package with its files and the bin link npm makes', () => {
    expect(fs.readlinkSync(inst.bin)).toBe(path.join('..', 'thetadesk', 'bin', 'thetadesk.js'));
    for (const f of ['bin/thetadesk.js', 'engine/cli/main.ts', 'strategies.yaml', 'schedules.yaml', 'rules/exit.yaml', 'rules/entry.yaml', 'README.md']) expect(fs.existsSync(path.join(inst.pkg, f))).toBe(true);
    // The package holds what runs, not the checkout's tests and tools.
    expect(fs.existsSync(path.join(inst.pkg, 'test'))).toBe(false);
  });

  describe.each(WAYS)('when started as %s', (name, commandOf) => {
    it('should print the version, lint a clean config in one line and a broken one as FILE:LINE:COL', async () => {
      const command = commandOf(inst);
      const version = await inProject(command, ['--version']);
      expect({ name, code: version.code, out: version.stdout }).toEqual({ name, code: 0, out: `${inst.version}\n` });
      const clean = await inProject(command, ['lint', '--config', 'config']);
      expect({ name, code: clean.code }).toEqual({ name, code: 0 });
      expect(clean.stdout).toMatch(/^ok: 4 files, 12 rules, \d+ gates, 11 tasks; config hash [0-9a-f]{64}\n$/);
      const broken = await inProject(command, ['lint', '--config', 'broken']);
      expect({ name, code: broken.code }).toEqual({ name, code: 1 });
      expect(broken.stdout).toMatch(/^strategies\.yaml:\d+:\d+ error E_YAML_SYNTAX /);
    }, 120_000);
  });

  it('should print the help and exit 0 with --help, and print it on stderr and exit 2 without arguments', async () => {
    const help = await inProject([inst.bin], ['--help']);
    expect(help.code).toBe(0);
    for (const cmd of ['lint', 'decide', 'demo', 'positions', 'run']) expect(help.stdout).toContain(`  ${cmd} `);
    const bare = await inProject([inst.bin], []);
    expect({ code: bare.code, stdout: bare.stdout }).toEqual({ code: 2, stdout: '' });
    expect(bare.stderr).toMatch(/^Usage: thetadesk \[options\] \[command\]/);
  });

  it('should lint in the current folder by default, as in a project keeping its config at its root', async () => {
    const r = await run(['lint'], { cwd: path.join(inst.project, 'config'), env, command: [inst.bin] });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok: /);
  });

  it('should decide on a position file', async () => {
    const r = await inProject([inst.bin], ['decide', '--config', 'config', '--input', 'position.json', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ action: 'hold', rule: null, flagged: false });
  });

  it('should annotate a broken config for GitHub Actions and write SARIF, with paths from the project root', async () => {
    const gh = await inProject([inst.bin], ['lint', '--config', 'broken', '--format', 'github']);
    expect(gh.code).toBe(1);
    expect(gh.stdout).toMatch(/^::error file=broken\/strategies\.yaml,line=\d+,col=\d+,title=thetadesk E_YAML_SYNTAX::.+$/m);
    const sarif = await inProject([inst.bin], ['lint', '--config', 'broken', '--format', 'sarif']);
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.stdout) as { version: string; runs: Array<{ tool: { driver: { name: string; version: string } }; results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]?.tool.driver).toMatchObject({ name: 'thetadesk', version: inst.version });
    expect(log.runs[0]?.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('broken/strategies.yaml');
  });
});
