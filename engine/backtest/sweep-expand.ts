import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { lintConfig } from '../config/load-config';
import { CONFIG_FILES } from '../config/lint-context';
import { formatProblem } from '../config/problem';
import { ConfigError } from '../shared/errors';
import { resolveSteps, type SweepSpec } from './sweep-spec';

export type ParamValue = number | string | boolean;

export interface SweepVariant {
  /** v01-take_profit-40_min_score-65: unique, a folder and job-id name. */
  readonly name: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  /** The variant's config folder (written and linted). */
  readonly dir: string;
  /** Its config files by path relative to the folder: what a worker on another machine writes back. */
  readonly files: Readonly<Record<string, string>>;
  readonly config_hash: string;
}

/** Every combination of the axes' values, first axis slowest. */
export function combinations(axes: ReadonlyArray<{ name: string; values: readonly ParamValue[] }>): Array<Record<string, ParamValue>> {
  let out: Array<Record<string, ParamValue>> = [{}];
  for (const a of axes) out = out.flatMap((c) => a.values.map((v) => ({ ...c, [a.name]: v })));
  return out;
}

const slug = (v: ParamValue): string => String(v).replace(/[^A-Za-z0-9.]+/g, '_').slice(0, 24);

/**
 * One config folder per combination under `outDir`: the base config's four files with the axes'
 * values set in place (comments and layout kept), each folder linted like `thetadesk lint`. A path
 * that does not exist in the base file, or a variant that fails lint, stops the sweep before
 * anything is enqueued, every problem listed.
 */
export function expandSweep(spec: SweepSpec, outDir: string): SweepVariant[] {
  const baseLint = lintConfig(spec.base);
  if (!baseLint.config) throw new ConfigError('E_SWEEP_BASE', `the sweep's base config ${spec.base} is invalid (run thetadesk lint --config ${spec.base}):\n${baseLint.problems.map(formatProblem).join('\n')}`);
  const texts: Record<string, string> = {};
  for (const f of Object.values(CONFIG_FILES)) texts[f] = fs.readFileSync(path.join(spec.base, f), 'utf8');
  const problems: string[] = [];
  const targets = spec.grid.map((a) => {
    const at = resolveSteps(parseDocument(texts[a.file] as string), a.steps);
    if (typeof at === 'string') problems.push(`${spec.file}: grid ${a.name}: ${a.file} ${a.path}: ${at}`);
    return at;
  });
  if (problems.length > 0) throw new ConfigError('E_SWEEP_PATH', problems.join('\n'));
  const combos = combinations(spec.grid);
  const width = String(combos.length).length;
  const variants: SweepVariant[] = [];
  for (const [i, params] of combos.entries()) {
    const name = `v${String(i + 1).padStart(Math.max(2, width), '0')}-${spec.grid.map((a) => `${a.name}-${slug(params[a.name] as ParamValue)}`).join('_')}`;
    const docs = new Map<string, ReturnType<typeof parseDocument>>();
    for (const [j, a] of spec.grid.entries()) {
      let doc = docs.get(a.file);
      if (!doc) docs.set(a.file, (doc = parseDocument(texts[a.file] as string)));
      doc.setIn(targets[j] as (string | number)[], params[a.name]);
    }
    const files: Record<string, string> = { ...texts };
    // lineWidth 0: long flow maps stay on one line as written (the default folds them at 80 columns).
    for (const [f, doc] of docs) files[f] = doc.toString({ lineWidth: 0 });
    const dir = path.join(outDir, name);
    writeConfigDir(dir, files);
    const lint = lintConfig(dir);
    if (!lint.config) {
      problems.push(`variant ${name} (${Object.entries(params).map(([k, v]) => `${k}=${String(v)}`).join(', ')}) fails lint:\n${lint.problems.filter((p) => p.severity === 'error').map((p) => `  ${formatProblem(p)}`).join('\n')}`);
      continue;
    }
    variants.push({ name, params, dir, files, config_hash: lint.config.hash });
  }
  if (problems.length > 0) throw new ConfigError('E_SWEEP_LINT', `${problems.length} of ${combos.length} variant(s) of ${spec.file} fail lint; nothing was enqueued:\n${problems.join('\n')}`);
  return variants;
}

/** Writes a config folder from its files (relative paths), replacing what was there. */
export function writeConfigDir(dir: string, files: Readonly<Record<string, string>>): void {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
}
