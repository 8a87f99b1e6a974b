// Peak memory of checking one large file, phase by phase (issue 12, item 3: any file within the size
// limit under 1 GB; issue 15, item 4: a 2 MB file within 4× of its parse-only memory). Builds the engine
// like scan-bench.mjs, writes a minified bundle of the given size, then reports the process's peak resident
// set size after parsing and model building and after each rule, so the phase that costs the memory
// stands out. `--compare` runs parse-only and the full check each in a fresh process (peak RSS is per
// process) and prints the ratio, with the machine's load (RSS does not depend on it, the budget does).
// Usage: node bench/memory-bench.mjs [--mb 5] [--file some.min.js] [--parse-only [--estree] | --compare]
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBundleOptions } from '../scripts/bundle-options.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const megabytes = Number(option('--mb', 5));
const file = option('--file', undefined);
const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

const bundle = path.join(here, '.build', 'engine.cjs');
if (!args.includes('--built')) {
  await build({ ...nodeBundleOptions, entryPoints: [path.join(here, 'engine-entry.ts')], outfile: bundle, logLevel: 'error' });
}

if (args.includes('--compare')) await compare();
else await measure(args.includes('--parse-only'));

/** Parse-only and full check in two fresh processes: their peaks and the ratio. */
async function compare() {
  const rest = args.filter((a) => a !== '--compare');
  const run = (mode) => {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), ...rest, ...mode, '--built'], { encoding: 'utf8' });
    process.stdout.write(out);
    return Number(/^peak RSS (\d+) MB/m.exec(out)?.[1]);
  };
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  const before = load();
  const parse = run(['--parse-only']);
  const full = run([]);
  console.log(`full / parse-only peak RSS: ${full} / ${parse} MB = ${(full / parse).toFixed(2)}× (load ${before} → ${load()})`);
}

async function measure(parseOnly) {
  const engine = createRequire(import.meta.url)(bundle);
  const text = file ? readFileSync(file, 'utf8') : engine.minifiedBundle(megabytes * 1_000_000);
  const relativePath = file ? path.basename(file) : 'bundle.min.js';
  const config = engine.loadConfig(process.cwd(), undefined, { registry: engine.builtinRegistry });
  const rules = config.rulesFor(relativePath);
  const input = { path: path.resolve(relativePath), relativePath, text, language: 'javascript' };
  console.log(`${(text.length / 1e6).toFixed(1)} MB of minified JavaScript, ${rules.length} rules; peak RSS at start ${peakMb()} MB`);
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  if (parseOnly) {
    // The floor is TypeScript's own parse, which the model is built from; `--estree` measures
    // typescript-estree's parse (TypeScript's tree converted to ESTree), the floor before the model read TypeScript's tree.
    const parsed = args.includes('--estree') ? engine.parseEstree(input.text, input.path) : engine.parseTypeScript(input.text, input.path);
    console.log(`peak RSS ${peakMb()} MB, ${seconds()} s, parse only${parsed.error ? ` (${parsed.error.message})` : ''}`);
    return;
  }
  let last = peakMb();
  const step = (what) => {
    const peak = peakMb();
    if (peak > last + 10) console.log(`  ${what.padEnd(40)} peak ${peak} MB (+${peak - last})`);
    last = peak;
  };
  const parsed = await engine.parseFile(input);
  step('parse and code model');
  const result = engine.runRules(input, parsed, rules, (ruleId) => step(`rule ${ruleId}`));
  console.log(
    `peak RSS ${peakMb()} MB, ${seconds()} s, ${result.findings.length} findings${result.notAnalysed ? `, ${result.notAnalysed}` : ''}`,
  );
}
