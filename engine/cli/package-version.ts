import * as fs from 'node:fs';
import * as path from 'node:path';

/** The version of the installed package: package.json two folders up, in a checkout and in node_modules alike. */
export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}
