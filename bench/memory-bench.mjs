// Peak memory of checking one large file, phase by phase (issue 12, item 3: any file within the size
// limit under 1 GB). Builds the engine like scan-bench.mjs, writes a minified bundle of the given size,
// then reports the process's peak resident set size after parsing and model building and after each
// rule, so the phase that costs the memory stands out.
// Usage: node bench/memory-bench.mjs [--mb 5] [--file some.min.js]
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBundleOptions } from '../scripts/bundle-options.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const megabytes = Number(option('--mb', 5));
const file = option('--file', undefined);

const bundle = path.join(here, '.build', 'engine.cjs');
await build({ ...nodeBundleOptions, entryPoints: [path.join(here, 'engine-entry.ts')], outfile: bundle, logLevel: 'error' });
const engine = createRequire(import.meta.url)(bundle);

const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const text = file ? readFileSync(file, 'utf8') : engine.minifiedBundle(megabytes * 1_000_000);
const relativePath = file ? path.basename(file) : 'bundle.min.js';
const config = engine.loadConfig(process.cwd(), undefined, { registry: engine.builtinRegistry });
const rules = config.rulesFor(relativePath);
const input = { path: path.resolve(relativePath), relativePath, text, language: 'javascript' };
console.log(`${(text.length / 1e6).toFixed(1)} MB of minified JavaScript, ${rules.length} rules; peak RSS at start ${peakMb()} MB`);

let last = peakMb();
const step = (what) => {
  const peak = peakMb();
  if (peak > last + 10) console.log(`  ${what.padEnd(40)} peak ${peak} MB (+${peak - last})`);
  last = peak;
};
const started = performance.now();
const parsed = await engine.parseFile(input);
step('parse and code model');
const result = engine.runRules(input, parsed, rules, (ruleId) => step(`rule ${ruleId}`));
console.log(
  `peak RSS ${peakMb()} MB, ${((performance.now() - started) / 1000).toFixed(1)} s, ${result.findings.length} findings${result.notAnalysed ? `, ${result.notAnalysed}` : ''}`,
);
