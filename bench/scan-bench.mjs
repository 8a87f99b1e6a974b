#!/usr/bin/env node
// Scan benchmark (issue 2): lines/s and files/s of a full scan, and its ratio to parsing alone, measured
// side by side in one process on the same in-memory files. Medians of several alternating runs, because the
// machine is shared and noisy. Usage: node bench/scan-bench.mjs [--runs 5] [--lines 200000] [--quick] [--budget]
// [--engine TREE] [DIR...]
// --quick measures only parse-only and the full scan, without a warm-up scan (large real corpora).
// --budget checks each file as the CLI's scan does (checkFile, within the configuration's fileBudgetMs, so the
// hard-stop watchdog is part of the figure). --engine measures another checkout's engine (an older commit, main),
// built from its sources with this bench: bench/ratio-compare.mjs runs two builds interleaved.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { nodeBundleOptions } from '../scripts/bundle-options.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const runs = Number(opt('--runs', 5));
const corpusLines = Number(opt('--lines', 200000));
const quickAt = args.indexOf('--quick');
const quick = quickAt >= 0 && args.splice(quickAt, 1).length > 0;
const budgetAt = args.indexOf('--budget');
const withBudget = budgetAt >= 0 && args.splice(budgetAt, 1).length > 0;
const engineTree = path.resolve(opt('--engine', root));

const bundle = path.join(here, '.build', engineTree === root ? 'engine.cjs' : `engine-${path.basename(engineTree)}.cjs`);
// Built exactly like the shipped bundles (scripts/bundle-options.mjs), from the tree under test: its bench entry
// and its checkFile (older entries did not export it).
await build({
  ...nodeBundleOptions,
  stdin: {
    contents: "export * from './bench/engine-entry'; export { checkFile } from './server/src/core/check';",
    resolveDir: engineTree,
    loader: 'ts',
  },
  outfile: bundle,
});
const engine = createRequire(import.meta.url)(bundle);

let targets = args.length ? args : [path.join(root, 'examples'), path.join(here, 'corpus')];
const corpus = path.join(here, 'corpus');
if (targets.includes(corpus) && !existsSync(corpus)) {
  execFileSync(process.execPath, [path.join(here, 'gen-corpus.mjs'), '--lines', String(corpusLines), '--out', corpus], {
    stdio: 'inherit',
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const target of targets) {
  const config = engine.loadConfig(target, undefined, { registry: engine.builtinRegistry });
  const { files } = await engine.discoverFiles(target, [target], config);
  const inputs = files.map((f) => {
    const { text, invalidUtf8 } = engine.decodeSource(readFileSync(f.path));
    const rules = config.rulesFor(f.relativePath);
    return { path: f.path, relativePath: f.relativePath, text, language: f.language, invalidUtf8, rules };
  });
  const lines = inputs.reduce((n, f) => n + f.text.split('\n').length, 0);

  // The floor is what a tool that parses each file once would pay: one parse per file, with the grammar the scan
  // ends up reading it with. A `.h` is C or C++ by its content (core/parse/header-language.ts): parsed always as C,
  // a C++ header fails on every class and template, and that error recovery cost more than the scan's own parse
  // (on a C++ library, the floor's header parses outweighed the scan's).
  const grammars = new Map();
  for (const f of inputs) {
    if (f.language !== 'c' || !f.path.endsWith('.h')) continue;
    const parsed = await engine.parseFile(f);
    grammars.set(f, parsed.language);
    parsed.tree?.delete();
  }
  async function parseOnly() {
    for (const f of inputs) {
      if (engine.isTreeSitterLanguage(f.language)) (await engine.parseTreeSitter(grammars.get(f) ?? f.language, f.text)).delete();
      else if (f.language === 'typescript' || f.language === 'javascript') engine.parseTypeScript(f.text, f.path);
    }
  }
  // typescript-estree's parse (TypeScript's tree converted to ESTree): the floor before the model read TypeScript's own tree.
  const scripts = inputs.filter((f) => f.language === 'typescript' || f.language === 'javascript');
  async function parseToEstree() {
    for (const f of scripts) engine.parseEstree(f.text, f.path);
  }
  async function parseScripts() {
    for (const f of scripts) engine.parseTypeScript(f.text, f.path);
  }
  async function parseAndModel() {
    for (const f of inputs) (await engine.parseFile(f)).tree?.delete();
  }
  let findings = 0;
  async function fullScan() {
    findings = 0;
    for (const f of inputs) {
      if (withBudget) {
        findings += (await engine.checkFile(f, f.rules, config.fileBudgetMs)).findings.length;
        continue;
      }
      const parsed = await engine.parseFile(f);
      findings += engine.runRules(f, parsed, f.rules).findings.length;
      parsed.tree?.delete();
    }
  }
  const cpu = { parse: [], full: [] };
  const cpuMs = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  const time = async (fn) => {
    const t = process.hrtime.bigint();
    const c = cpuMs();
    await fn();
    if (fn === parseOnly || fn === fullScan) cpu[fn === parseOnly ? 'parse' : 'full'].push(cpuMs() - c);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  if (!quick) await fullScan(); // warm up: grammars loaded, JIT warm
  const samples = { parse: [], scripts: [], estree: [], model: [], full: [] };
  for (let i = 0; i < runs; i++) {
    samples.parse.push(await time(parseOnly));
    if (scripts.length) {
      samples.scripts.push(await time(parseScripts));
      samples.estree.push(await time(parseToEstree));
    }
    if (!quick) samples.model.push(await time(parseAndModel));
    samples.full.push(await time(fullScan));
  }
  const p = median(samples.parse),
    m = median(samples.model),
    full = median(samples.full);
  console.log(
    `\n${path.relative(root, target) || target}: ${inputs.length} files, ${lines} lines, ${findings} findings, ` +
      `${config.enabledRules().length} rules, ${runs} runs (medians)`,
  );
  console.log(`  parse only        ${p.toFixed(0).padStart(7)} ms   ${((lines / p) * 1000).toFixed(0).padStart(9)} lines/s`);
  // --quick takes no parse + model samples: no line rather than NaN.
  if (m !== undefined)
    console.log(`  parse + model     ${m.toFixed(0).padStart(7)} ms   ${((lines / m) * 1000).toFixed(0).padStart(9)} lines/s`);
  console.log(
    `  full scan         ${full.toFixed(0).padStart(7)} ms   ${((lines / full) * 1000).toFixed(0).padStart(9)} ` +
      `lines/s   ${((inputs.length / full) * 1000).toFixed(0)} files/s`,
  );
  console.log(`  full / parse      ${(full / p).toFixed(2)}x   (rules and model add ${((full / p - 1) * 100).toFixed(0)}% over parsing)`);
  // CPU time of the process (V8's helper threads included): steadier than wall time on a loaded machine.
  const [pc, fc] = [median(cpu.parse), median(cpu.full)];
  console.log(
    `  CPU: parse ${pc.toFixed(0)} ms, full ${fc.toFixed(0)} ms, full / parse ${(fc / pc).toFixed(2)}x${withBudget ? ' (--budget)' : ''}`,
  );
  if (scripts.length) {
    // The parse floor as it was when the model was built from ESTree: the TS/JS files parsed to ESTree.
    const estreeFloor = p - median(samples.scripts) + median(samples.estree);
    console.log(
      `  parse, TS/JS to ESTree ${estreeFloor.toFixed(0).padStart(7)} ms   full / that ${(full / estreeFloor).toFixed(2)}x ` +
        `(TS/JS: TypeScript's parse ${median(samples.scripts).toFixed(0)} ms, to ESTree ${median(samples.estree).toFixed(0)} ms)`,
    );
  }
}
