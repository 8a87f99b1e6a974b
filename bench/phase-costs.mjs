#!/usr/bin/env node
// Where a C/C++ scan's time goes beyond the parse, in one process on the same in-memory files: the plain
// parse (what bench/scan-bench.mjs's parse-only does), the extra parses the C family needs (macro repair,
// the other grammar for a header), the code model, and the rules. CPU milliseconds of this process, medians
// over runs after one warm-up run.
//
//   node bench/phase-costs.mjs DIR [--runs 3] [--engine TREE]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { nodeBundleOptions } from '../scripts/bundle-options.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '3' }, engine: { type: 'string', default: root } },
});
if (positionals.length !== 1) {
  console.error('usage: phase-costs.mjs DIR [--runs N] [--engine TREE]');
  process.exit(2);
}
const target = path.resolve(positionals[0]);
const engineTree = path.resolve(options.engine);
const bundle = path.join(here, '.build', `phases-${path.basename(engineTree)}.cjs`);
await build({
  ...nodeBundleOptions,
  stdin: {
    contents: [
      "export * from './bench/engine-entry';",
      "export { parseCFamily } from './server/src/core/parse/c-family';",
      "export { buildTreeSitterModel } from './server/src/core/model/tree-sitter-model';",
    ].join('\n'),
    resolveDir: engineTree,
    loader: 'ts',
  },
  outfile: bundle,
});
const engine = createRequire(import.meta.url)(bundle);
const config = engine.loadConfig(target, undefined, { registry: engine.builtinRegistry });
const { files } = await engine.discoverFiles(target, [target], config);
const inputs = files
  .filter((f) => engine.isTreeSitterLanguage(f.language))
  .map((f) => {
    const { text, invalidUtf8 } = engine.decodeSource(readFileSync(f.path));
    return { path: f.path, relativePath: f.relativePath, text, language: f.language, invalidUtf8, rules: config.rulesFor(f.relativePath) };
  });
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function run() {
  const t = { parse: 0, cfamily: 0, model: 0, full: 0, repaired: 0 };
  for (const f of inputs) {
    let c;
    // The plain parse is one parse with the grammar the scan ends up using (a `.h` may be C++), as scan-bench's floor.
    let grammar = f.language;
    if (f.language === 'c' || f.language === 'cpp') {
      c = cpuMs();
      const p = await engine.parseCFamily(f.language, f.path, f.text);
      t.cfamily += cpuMs() - c;
      grammar = p.language;
      c = cpuMs();
      engine.buildTreeSitterModel(p.language, p.tree, f.text);
      t.model += cpuMs() - c;
      p.tree.delete();
    }
    c = cpuMs();
    (await engine.parseTreeSitter(grammar, f.text)).delete();
    t.parse += cpuMs() - c;
    c = cpuMs();
    const parsed = await engine.parseFile(f);
    engine.runRules(f, parsed, f.rules);
    parsed.tree?.delete();
    t.full += cpuMs() - c;
  }
  t.rules = t.full - t.cfamily - t.model;
  return t;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
await run();
const runs = [];
for (let i = 0; i < Number(options.runs); i++) runs.push(await run());
const m = (k) => median(runs.map((r) => r[k]));
const p = m('parse');
console.log(`${target}: ${inputs.length} tree-sitter files, medians of ${runs.length} (CPU ms)`);
for (const k of ['parse', 'cfamily', 'model', 'rules', 'full'])
  console.log(`  ${k.padEnd(8)} ${m(k).toFixed(0).padStart(7)}  ${(m(k) / p).toFixed(2)}x parse`);
