import type { Problem } from './problem';
import { locate, type ParsedYaml } from './read-yaml';

export const CONFIG_FILES = {
  strategies: 'strategies.yaml',
  exit: 'rules/exit.yaml',
  entry: 'rules/entry.yaml',
  schedules: 'schedules.yaml',
} as const;
export type FileKey = keyof typeof CONFIG_FILES;

/** The four parsed, schema-valid files every semantic check reads. */
export interface LintContext {
  readonly files: Readonly<Record<FileKey, ParsedYaml>>;
}

export type Path = readonly (string | number)[];

/** A check is a small pure function returning its problems; codes are stable (tests assert them). */
export type Check = (ctx: LintContext) => Problem[];

export function problemAt(ctx: LintContext, key: FileKey, path: Path, code: string, message: string, severity: 'error' | 'warning' = 'error'): Problem {
  const parsed = ctx.files[key];
  const { line, col } = locate(parsed, path);
  return { file: parsed.file, line, col, severity, code, message };
}

/** Plain-data accessor: schema validation ran first, so shapes are known; still defensive. */
export function dataOf<T>(ctx: LintContext, key: FileKey): T {
  return ctx.files[key].data as T;
}
