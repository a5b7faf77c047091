import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig, lintConfig, type LintResult } from '../../engine/config/load-config';
import type { CompiledConfig } from '../../engine/config/types';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const CONFIG_FILE_NAMES = ['strategies.yaml', 'schedules.yaml', 'rules/exit.yaml', 'rules/entry.yaml'] as const;

let shipped: CompiledConfig | null = null;

/** The shipped configuration at the repository root. */
export function shippedConfig(): CompiledConfig {
  shipped ??= loadConfig(REPO_ROOT);
  return shipped;
}

/** Copies the shipped YAML into a fresh temp dir, lets the caller edit the texts, returns the dir. */
export function configDirWith(mutate: (files: Record<string, string>) => void = () => undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-config-'));
  const files: Record<string, string> = {};
  for (const f of CONFIG_FILE_NAMES) files[f] = fs.readFileSync(path.join(REPO_ROOT, f), 'utf8');
  mutate(files);
  fs.mkdirSync(path.join(dir, 'rules'));
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  return dir;
}

/** Replaces exactly one occurrence of `from` (fails loudly if the shipped text changed). */
export function replaceOnce(text: string, from: string, to: string): string {
  const i = text.indexOf(from);
  if (i < 0 || text.indexOf(from, i + 1) >= 0) throw new Error(`expected exactly one "${from}" in the shipped text`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

export function configWith(mutate: (files: Record<string, string>) => void): CompiledConfig {
  return loadConfig(configDirWith(mutate));
}

export function lintWith(mutate: (files: Record<string, string>) => void): LintResult {
  return lintConfig(configDirWith(mutate));
}

/** 1-based line number of the first line containing `needle` in a shipped file. */
export function lineOf(file: (typeof CONFIG_FILE_NAMES)[number], needle: string, text?: string): number {
  const src = text ?? fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const idx = src.split('\n').findIndex((l) => l.includes(needle));
  if (idx < 0) throw new Error(`"${needle}" not found in ${file}`);
  return idx + 1;
}
