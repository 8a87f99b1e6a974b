#!/usr/bin/env node
// The parse-only process that issue 15's memory bar compares a scan with: the same files as `medsec scan`
// finds (the engine's discovery under the default configuration), each read and parsed one after another
// and its tree dropped, as the scan does, but no model and no rules. bench/speed/run.mjs runs it under GNU
// time beside the scan, so "peak memory ≤ 2× parse-only" compares two whole processes.
//
//   node bench/speed/parse-only.mjs DIR   (builds bench/.build/parse-engine.cjs first; --built skips that, --build-only stops there)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { nodeBundleOptions } from '../../scripts/bundle-options.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const bundle = path.join(here, '..', '.build', 'parse-engine.cjs');
if (!args.includes('--built')) {
  const options = { ...nodeBundleOptions, absWorkingDir: path.join(here, '..', '..'), logLevel: 'error' };
  await build({ ...options, entryPoints: [path.join(here, '..', 'engine-entry.ts')], outfile: bundle });
  if (args.includes('--build-only')) process.exit(0);
}
const target = path.resolve(args.find((arg) => !arg.startsWith('--')) ?? '.');
const engine = createRequire(import.meta.url)(bundle);
const config = engine.loadConfig(target, undefined, { registry: engine.builtinRegistry });
const { files } = await engine.discoverFiles(target, [target], config);
const started = performance.now();
let parsed = 0;
for (const file of files) {
  const { text } = engine.decodeSource(readFileSync(file.path));
  if (engine.isTreeSitterLanguage(file.language)) (await engine.parseTreeSitter(file.language, text)).delete();
  else if (file.language === 'typescript' || file.language === 'javascript') engine.parseEstree(text, file.path);
  else continue;
  parsed++;
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(`parsed ${parsed} of ${files.length} files in ${seconds} s; peak RSS ${peakMb} MB`);
