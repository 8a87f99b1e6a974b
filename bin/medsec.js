#!/usr/bin/env node
'use strict';
// The bundle is built by `npm run build` (scripts/build.mjs); a fresh clone needs that once.
const path = require('path');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');

/**
 * `medsec scan` first tries the warm re-scan (dist/warm.js: the last scan replayed from the result cache when
 * nothing changed), which loads a small bundle instead of the engine; undefined sends it to the full CLI.
 */
function warmScan() {
  try {
    return require('../dist/warm.js').warmScan(process.argv);
  } catch {
    return undefined;
  }
}

function main() {
  if (process.argv.length === 3 && process.argv[2] === '--version') {
    // What the full CLI prints for --version, without loading it.
    process.stdout.write(`${require('../package.json').version}\n`);
    return;
  }
  const warm = process.argv[2] === 'scan' ? warmScan() : undefined;
  if (warm !== undefined) {
    process.exitCode = warm;
    return;
  }
  try {
    require.resolve(bundle);
  } catch {
    process.stderr.write('medsec: dist/cli.js is missing; run `npm run build` first\n');
    process.exit(2);
  }
  require('../dist/cli.js');
}

main();
