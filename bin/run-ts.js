#!/usr/bin/env node
'use strict';
// Runs a TypeScript entry point (bench, scripts) through tsx: `node bin/run-ts.js FILE [args]`.
// A child node with `--import tsx` registers both the CommonJS and the ESM hooks; with only
// tsx/cjs a dynamic `import('./x')` (bench/run.ts loads its sections that way) cannot resolve .ts.
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bin/run-ts.js FILE.ts [args]\n');
  process.exit(2);
}
const child = spawnSync(process.execPath, ['--import', 'tsx', path.resolve(file), ...process.argv.slice(3)], { stdio: 'inherit' });
if (child.error) throw child.error;
process.exitCode = child.status ?? 1;
