#!/usr/bin/env node
'use strict';
// The engine is TypeScript run through tsx's loader: no build step, so the CLI a user runs is
// always the source of the installed package.
//
// This file always runs the CLI, whatever name or path started it (npx's `thetadesk` link,
// node_modules/.bin, a global install, a symlink anywhere, `node bin/thetadesk.js`): #13 was a
// guard in main.ts that only ran when argv[1] ended in "thetadesk.js", so npm's bin link did
// nothing and exited 0. main.ts has no side effect on import; the exit code is set here.
require('tsx/cjs');
const { main } = require('../engine/cli/main.ts');

main(process.argv).then(
  (code) => {
    process.exitCode = code;
    // Every command closes what it opened before main resolves; a handle left open by mistake
    // must not keep a finished command hanging (a CI job, a pre-commit hook). Unref'd: a clean
    // process exits on its own, with its output flushed, before this fires.
    setTimeout(() => process.exit(code), 10_000).unref();
  },
  (e) => {
    process.stderr.write(`thetadesk: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
