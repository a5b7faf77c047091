import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import { CONFIG_FILES } from '../config/lint-context';
import { ConfigError } from '../shared/errors';

/** One step into a YAML document: a map key, a list index, or the list item whose `name` is this. */
export type PathStep = { readonly key: string } | { readonly index: number } | { readonly name: string };

export interface GridAxis {
  /** Column name in the results table (default: the last key of the path). */
  readonly name: string;
  /** A config file relative to the config dir: strategies.yaml, schedules.yaml, rules/exit.yaml or rules/entry.yaml. */
  readonly file: string;
  readonly path: string;
  readonly steps: readonly PathStep[];
  readonly values: readonly (number | string | boolean)[];
}

export const SUMMARY_KEYS = ['trading_days', 'trades', 'win_rate_pct', 'realized_pnl', 'unrealized_pnl', 'fees', 'max_drawdown'] as const;
export type SummaryKey = (typeof SUMMARY_KEYS)[number];

/** What each variant's backtest is run with (the `backtest:` section). */
export interface SweepBacktestOptions {
  readonly from: string;
  readonly to: string;
  readonly seed: number;
  /** null: every underlying of the variant's strategies.yaml. */
  readonly symbols: readonly string[] | null;
  /** sim, csv:PATH or recorded:PATH (a path as every worker sees it). */
  readonly market: string;
}

export interface SweepSpec {
  readonly file: string;
  /** Absolute base config dir. */
  readonly base: string;
  readonly backtest: SweepBacktestOptions;
  readonly rank_by: SummaryKey;
  readonly order: 'desc' | 'asc';
  readonly grid: readonly GridAxis[];
}

/** Variants a sweep may expand to: each is a whole backtest. */
export const MAX_VARIANTS = 500;

const STEP = /^([A-Za-z_][A-Za-z0-9_-]*)((?:\[(?:\d+|name=[A-Za-z0-9_-]+)\])*)$/;

/** `rules[name=take_profit].conditions.all[0].value` → steps; null when malformed. */
export function parseYamlPath(text: string): PathStep[] | null {
  const out: PathStep[] = [];
  for (const part of text.split('.')) {
    const m = STEP.exec(part);
    if (!m) return null;
    out.push({ key: m[1] as string });
    for (const sel of (m[2] as string).match(/\[[^\]]+\]/g) ?? []) {
      const inner = sel.slice(1, -1);
      out.push(inner.startsWith('name=') ? { name: inner.slice(5) } : { index: Number(inner) });
    }
  }
  return out;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads sweep.yaml (README "Sweeps"). Every problem is collected and thrown as one ConfigError,
 * each line `FILE:LINE: field: message`.
 */
export function readSweepSpec(file: string): SweepSpec {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError('E_SWEEP_FILE', `sweep file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) throw new ConfigError('E_SWEEP_YAML', `${file}: ${doc.errors[0]?.message ?? 'not YAML'}`);
  const problems: string[] = [];
  const lineOf = (p: readonly (string | number)[]): number => {
    const n = doc.getIn(p, true) as Node | undefined;
    const off = n && typeof n === 'object' && 'range' in n && n.range ? n.range[0] : 0;
    return lines.linePos(off).line;
  };
  const bad = (p: readonly (string | number)[], msg: string): void => {
    problems.push(`${file}:${lineOf(p)}: ${p.join('.') || '(top)'}: ${msg}`);
  };
  const data = doc.toJS() as Record<string, unknown> | null;
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new ConfigError('E_SWEEP_YAML', `${file}: a sweep is a map with base, backtest and grid`);
  for (const k of Object.keys(data)) if (!['base', 'backtest', 'rank_by', 'order', 'grid'].includes(k)) bad([k], 'unknown key; a sweep has base, backtest, rank_by, order and grid');
  const baseText = typeof data.base === 'string' ? data.base : '.';
  if (data.base !== undefined && typeof data.base !== 'string') bad(['base'], 'must be a config directory path');
  const base = path.resolve(path.dirname(file), baseText);
  const bt = (data.backtest ?? {}) as Record<string, unknown>;
  if (typeof bt !== 'object' || Array.isArray(bt)) bad(['backtest'], 'must be a map: from, to, seed, symbols, market');
  for (const k of Object.keys(bt)) if (!['from', 'to', 'seed', 'symbols', 'market'].includes(k)) bad(['backtest', k], 'unknown key; backtest has from, to, seed, symbols and market');
  const date = (k: 'from' | 'to'): string => {
    const v = bt[k];
    if (typeof v !== 'string' || !DATE.test(v)) bad(['backtest', k], `must be a date like 2026-01-05`);
    return String(v);
  };
  const from = date('from');
  const to = date('to');
  if (DATE.test(from) && DATE.test(to) && to < from) bad(['backtest', 'to'], `${to} is before from ${from}`);
  const seed = bt.seed ?? 1;
  if (!Number.isSafeInteger(seed) || (seed as number) < 0) bad(['backtest', 'seed'], 'must be a whole number ≥ 0');
  const symbols = bt.symbols ?? null;
  if (symbols !== null && (!Array.isArray(symbols) || symbols.length === 0 || symbols.some((s) => typeof s !== 'string'))) bad(['backtest', 'symbols'], 'must be a non-empty list like [SPY, QQQ]');
  const market = bt.market ?? 'sim';
  if (typeof market !== 'string' || !/^(sim|csv:.+|recorded:.+)$/.test(market)) bad(['backtest', 'market'], 'must be sim, csv:PATH or recorded:PATH');
  const rank = data.rank_by ?? 'realized_pnl';
  if (!(SUMMARY_KEYS as readonly unknown[]).includes(rank)) bad(['rank_by'], `must be one of ${SUMMARY_KEYS.join(', ')}`);
  const order = data.order ?? (rank === 'max_drawdown' || rank === 'fees' ? 'asc' : 'desc');
  if (order !== 'asc' && order !== 'desc') bad(['order'], 'must be desc (largest first) or asc');
  const grid: GridAxis[] = [];
  if (!Array.isArray(data.grid) || data.grid.length === 0) bad(['grid'], 'must be a non-empty list of { file, path, values }');
  const files = Object.values(CONFIG_FILES) as string[];
  for (const [i, raw] of (Array.isArray(data.grid) ? data.grid : []).entries()) {
    const a = (raw ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(a)) if (!['name', 'file', 'path', 'values'].includes(k)) bad(['grid', i, k], 'unknown key; an axis has name, file, path and values');
    if (typeof a.file !== 'string' || !files.includes(a.file)) bad(['grid', i, 'file'], `must be one of ${files.join(', ')}`);
    const steps = typeof a.path === 'string' ? parseYamlPath(a.path) : null;
    if (!steps) bad(['grid', i, 'path'], 'must be a dotted path like scoring.min_score or rules[name=take_profit].conditions.all[0].value');
    const values = a.values;
    if (!Array.isArray(values) || values.length === 0 || values.some((v) => !['number', 'string', 'boolean'].includes(typeof v))) bad(['grid', i, 'values'], 'must be a non-empty list of numbers, strings or booleans');
    const name = typeof a.name === 'string' ? a.name : String(a.path ?? '').split('.').pop()?.replace(/\[.*$/, '') ?? `axis${i}`;
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(name)) bad(['grid', i, 'name'], 'must be 1–40 letters, digits, _ or -');
    if (grid.some((g) => g.name === name)) bad(['grid', i, 'name'], `${name} names two axes; give one a name:`);
    grid.push({ name, file: String(a.file), path: String(a.path), steps: steps ?? [], values: Array.isArray(values) ? (values as Array<number | string | boolean>) : [] });
  }
  const count = grid.reduce((n, g) => n * Math.max(1, g.values.length), 1);
  if (count > MAX_VARIANTS) bad(['grid'], `expands to ${count} variants, more than ${MAX_VARIANTS}; split the sweep`);
  if (problems.length > 0) throw new ConfigError('E_SWEEP_INVALID', `sweep ${file} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.join('\n')}`);
  return { file, base, backtest: { from, to, seed: seed as number, symbols: symbols as string[] | null, market: market as string }, rank_by: rank as SummaryKey, order: order as 'asc' | 'desc', grid };
}

/** Where `steps` leads in a parsed YAML document, as a getIn/setIn path; a message when it leads nowhere. */
export function resolveSteps(doc: ReturnType<typeof parseDocument>, steps: readonly PathStep[]): (string | number)[] | string {
  const at: (string | number)[] = [];
  for (const s of steps) {
    const node = at.length === 0 ? doc.contents : doc.getIn(at, true);
    if ('key' in s) {
      if (!isMap(node) || !node.has(s.key)) return `no key ${s.key} at ${at.join('.') || 'the top'}`;
      at.push(s.key);
    } else if ('index' in s) {
      if (!isSeq(node) || s.index >= node.items.length) return `no item [${s.index}] at ${at.join('.')}`;
      at.push(s.index);
    } else {
      const i = isSeq(node) ? node.items.findIndex((it) => isMap(it) && it.get('name') === s.name) : -1;
      if (i < 0) return `no item named ${s.name} at ${at.join('.')}`;
      at.push(i);
    }
  }
  return at;
}
