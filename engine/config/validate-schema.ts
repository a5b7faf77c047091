import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import * as path from 'node:path';
import * as fs from 'node:fs';
import type { Problem } from './problem';
import { locate, type ParsedYaml } from './read-yaml';

export type SchemaName = 'strategies' | 'exit-rules' | 'entry-gates' | 'schedules';

export const SCHEMA_DIR = path.join(__dirname, 'schemas');

let validators: Map<SchemaName, ValidateFunction> | null = null;

function getValidator(name: SchemaName): ValidateFunction {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    validators = new Map();
    for (const n of ['strategies', 'exit-rules', 'entry-gates', 'schedules'] as const) {
      const schema = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, `${n}.schema.json`), 'utf8')) as object;
      validators.set(n, ajv.compile(schema));
    }
  }
  const v = validators.get(name);
  if (!v) throw new Error(`no schema ${name}`);
  return v;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function displayPath(p: readonly (string | number)[]): string {
  let out = '';
  for (const seg of p) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out === '' ? '(top level)' : out;
}

function valueAt(data: unknown, p: readonly (string | number)[]): unknown {
  let cur: unknown = data;
  for (const seg of p) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

// Condition nodes are a oneOf; Ajv reports every branch. Keep only the branch the user meant,
// recognised by its key (a node with `fact` meant the fact form, not `all`).
const BRANCH_KEYS: Readonly<Record<string, readonly string[]>> = {
  condition: ['all', 'any', 'not', 'condition', 'fact'],
  top: ['all', 'any', 'not'],
};

function intendedKey(data: unknown, p: readonly (string | number)[]): string | null {
  for (const candidate of [p, p.slice(0, -1)]) {
    const v = valueAt(data, candidate);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const k of ['fact', 'condition', 'all', 'any', 'not']) if (k in v) return k;
    }
  }
  return null;
}

function isWrongBranch(e: ErrorObject, data: unknown): boolean {
  const m = /#\/definitions\/(condition|top)\/oneOf\/(\d+)\//.exec(`${e.schemaPath}/`);
  if (!m || m[1] === undefined || m[2] === undefined) return false;
  const branchKey = BRANCH_KEYS[m[1]]?.[Number(m[2])];
  const intended = intendedKey(data, pointerToPath(e.instancePath));
  return intended !== null && branchKey !== intended;
}

function describe(e: ErrorObject, at: string): string {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown key "${String(params.additionalProperty)}" at ${at}`;
    case 'required':
      return `missing required key "${String(params.missingProperty)}" at ${at}`;
    case 'enum':
      return `${at} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${at} must be ${JSON.stringify(params.allowedValue)}`;
    case 'pattern':
      return String(params.pattern).includes('ms|s|m|h|d') ? `${at} is not a duration like 30s, 15m, 1h` : `${at} must match ${String(params.pattern)}`;
    case 'oneOf':
      return `${at} is not a valid form here (a condition is all/any/not, condition: NAME, or {fact, operator, value})`;
    default:
      return `${at} ${e.message ?? 'is invalid'}`;
  }
}

export function validateSchema(name: SchemaName, parsed: ParsedYaml): Problem[] {
  const validate = getValidator(name);
  if (validate(parsed.data)) return [];
  const errors = (validate.errors ?? []).filter((e) => !isWrongBranch(e, parsed.data) && e.keyword !== 'if');
  const kept = errors.filter(
    (e) => e.keyword !== 'oneOf' || !errors.some((o) => o !== e && o.keyword !== 'oneOf' && o.instancePath.startsWith(e.instancePath)),
  );
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const e of kept) {
    const p = pointerToPath(e.instancePath);
    const params = e.params as Record<string, unknown>;
    const target = e.keyword === 'additionalProperties' ? [...p, String(params.additionalProperty)] : p;
    const message = describe(e, displayPath(p));
    if (seen.has(message)) continue;
    seen.add(message);
    const { line, col } = locate(parsed, target);
    out.push({ file: parsed.file, line, col, severity: 'error', code: 'E_SCHEMA', message });
  }
  return out;
}
