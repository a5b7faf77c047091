#!/usr/bin/env node
'use strict';
// The engine is TypeScript run through tsx's loader: no build step, so the CLI a user runs
// is always the source in this checkout.
require('tsx/cjs');
require('../engine/cli/main.ts');
