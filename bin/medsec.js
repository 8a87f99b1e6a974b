#!/usr/bin/env node
'use strict';
// The bundle is built by `npm run build` (scripts/build.mjs); a fresh clone needs that once.
const path = require('path');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
try {
  require.resolve(bundle);
} catch {
  process.stderr.write('medsec: dist/cli.js is missing; run `npm run build` first\n');
  process.exit(2);
}
require('../dist/cli.js');
