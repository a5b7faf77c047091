import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './config';

/**
 * thetadesk packed (`npm pack`) and installed into a fresh project beside it, the way a user's
 * project gets it, without the network.
 *
 * How, and why this way: the project gets a package-lock.json made from the checkout's (the same
 * resolved versions and integrity hashes, dev-only packages left out, thetadesk as the packed
 * tarball) and `npm ci --offline --ignore-scripts` installs it from npm's cache, which the
 * checkout's own `npm ci` filled (on a fresh CI machine `.ci/run` runs it first). Without a lock
 * npm would need the registry's package documents to resolve version ranges, and those are not in
 * the cache after `npm ci`. `--ignore-scripts` skips better-sqlite3's source build (about a minute
 * here); its compiled addon is copied from the checkout instead: the same package version, built
 * for this machine's Node. npm itself still lays out node_modules and makes the `thetadesk` bin link,
 * which is what #13 was about.
 */
export interface PackedInstall {
  readonly root: string;
  readonly project: string;
  readonly tarball: string;
  /** node_modules/thetadesk inside the project. */
  readonly pkg: string;
  /** node_modules/.bin/thetadesk, the link npm made. */
  readonly bin: string;
  readonly version: string;
  cleanup(): void;
}

interface LockPackage {
  readonly version?: string;
  readonly dev?: boolean;
  readonly [key: string]: unknown;
}

const ADDON = path.join('better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

function npm(args: readonly string[], cwd: string): string {
  try {
    return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    const text = `${err.stderr ?? ''}${err.stdout ?? ''}`;
    const hint = /ENOTCACHED|offline/i.test(text) ? ' (the offline install takes packages from npm\'s cache: run `npm ci` in the checkout first)' : '';
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}${hint}:\n${text.slice(-3000) || err.message}`);
  }
}

export function packAndInstall(): PackedInstall {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-packed-'));
  const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', root], REPO_ROOT)) as Array<{ filename: string; integrity: string; version: string }>;
  const { filename, integrity, version } = packed[0] as { filename: string; integrity: string; version: string };
  const project = path.join(root, 'project');
  fs.mkdirSync(project);
  const spec = `file:../${filename}`;
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> };
  const packages: Record<string, unknown> = {
    '': { name: 'thetadesk-user-project', version: '1.0.0', dependencies: { thetadesk: spec } },
    'node_modules/thetadesk': { version, resolved: spec, integrity, license: manifest.license, dependencies: manifest.dependencies, bin: manifest.bin, engines: manifest.engines },
  };
  for (const [key, entry] of Object.entries(lock.packages)) if (key !== '' && !entry.dev) packages[key] = entry;
  fs.writeFileSync(path.join(project, 'package.json'), `${JSON.stringify({ name: 'thetadesk-user-project', version: '1.0.0', private: true, dependencies: { thetadesk: spec } }, null, 2)}\n`);
  fs.writeFileSync(path.join(project, 'package-lock.json'), `${JSON.stringify({ name: 'thetadesk-user-project', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
  npm(['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], project);
  const from = path.join(REPO_ROOT, 'node_modules', ADDON);
  const to = path.join(project, 'node_modules', ADDON);
  const versionOf = (dir: string): string => (JSON.parse(fs.readFileSync(path.join(dir, 'better-sqlite3', 'package.json'), 'utf8')) as { version: string }).version;
  if (versionOf(path.join(REPO_ROOT, 'node_modules')) !== versionOf(path.join(project, 'node_modules'))) throw new Error('better-sqlite3 differs between the checkout and the packed install: the lock was not reused');
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
  return {
    root,
    project,
    tarball: path.join(root, filename),
    pkg: path.join(project, 'node_modules', 'thetadesk'),
    bin: path.join(project, 'node_modules', '.bin', 'thetadesk'),
    version,
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
