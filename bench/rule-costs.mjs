#!/usr/bin/env node
// Where a scan's time goes, in one process on the same in-memory files: parsing, the code model, and each
// rule, with the part of each rule's time spent answering its data-flow queries (ctx.flow: building the
// indexes and following values). The CPU profile (bench/speed/profile.mjs) says which functions are hot;
// this says which rule asked for them and how much of the scan the flow layer costs (issue 10).
//
//   node bench/rule-costs.mjs DIR [--config FILE] [--runs 3] [--top 40]
//   node bench/rule-costs.mjs DIR --no-flow    # every flow query answers "unknown": the scan without the layer
//
// Times are medians over runs (after one warm-up run) of CPU milliseconds of this process (user + system, V8's
// helper threads included): on a shared machine, wall-clock time mostly measures the other jobs. Per rule, `ran`
// is the share of the files of its languages it ran on: the rest its pre-filter (meta.needs) skipped.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { nodeBundleOptions } from '../scripts/bundle-options.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    config: { type: 'string' },
    runs: { type: 'string', default: '3' },
    top: { type: 'string', default: '40' },
    'no-flow': { type: 'boolean', default: false },
  },
});
if (positionals.length !== 1) {
  console.error('usage: rule-costs.mjs DIR [--config FILE] [--runs N] [--top N] [--no-flow]');
  process.exit(2);
}
const target = path.resolve(positionals[0]);

const bundle = path.join(here, '.build', 'engine.cjs');
await build({ ...nodeBundleOptions, entryPoints: [path.join(here, 'engine-entry.ts')], outfile: bundle });
const engine = createRequire(import.meta.url)(bundle);

const config = engine.loadConfig(target, options.config && path.resolve(options.config), { registry: engine.builtinRegistry });
const { files } = await engine.discoverFiles(target, [target], config);
const inputs = files.map((f) => {
  const { text, invalidUtf8 } = engine.decodeSource(readFileSync(f.path));
  const testCode = config.testCodeFor(f.relativePath);
  return {
    path: f.path,
    relativePath: f.relativePath,
    text,
    language: f.language,
    invalidUtf8,
    testCode,
    rules: config.rulesFor(f.relativePath),
  };
});

/** A flow that knows nothing: what a rule sees when the layer answers "unknown" to every query. */
const unknownFlow = {
  origins: (expr) => [{ kind: 'unknown', expr, steps: [] }],
  constant: () => undefined,
  uses: () => [],
  functionAt: () => undefined,
};

/** Each rule's check, with its flow queries timed apart; outermost query only, so nested ones count once. */
function instrument(rules, ruleMs, flowMs, calls) {
  return rules.map((effective) => {
    const rule = effective.rule;
    const check = (ctx) => {
      calls.set(rule.meta.id, (calls.get(rule.meta.id) ?? 0) + 1);
      let timed;
      const view = Object.create(ctx, {
        flow: {
          get() {
            if (options['no-flow']) return unknownFlow;
            return (timed ??= timeQueries(ctx.flow, (ms) => flowMs.set(rule.meta.id, (flowMs.get(rule.meta.id) ?? 0) + ms)));
          },
        },
      });
      const started = cpuMs();
      try {
        return rule.check(view);
      } finally {
        ruleMs.set(rule.meta.id, (ruleMs.get(rule.meta.id) ?? 0) + cpuMs() - started);
      }
    };
    return { ...effective, rule: { ...rule, check } };
  });
}

function cpuMs() {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

let depth = 0;
function timeQueries(flow, add) {
  const wrap =
    (name) =>
    (...args) => {
      if (depth++ > 0) {
        try {
          return flow[name](...args);
        } finally {
          depth--;
        }
      }
      const started = cpuMs();
      try {
        return flow[name](...args);
      } finally {
        depth--;
        add(cpuMs() - started);
      }
    };
  return { origins: wrap('origins'), constant: wrap('constant'), uses: wrap('uses'), functionAt: wrap('functionAt') };
}

async function run() {
  const ruleMs = new Map();
  const flowMs = new Map();
  const languageMs = new Map();
  const calls = new Map();
  let parseMs = 0;
  let rulesMs = 0;
  let findings = 0;
  // One instrumented list per configured list, as the configuration hands one list to every file of a folder: a
  // fresh list per file would rebuild the pre-filter plan (rule-needs.ts keys it by list) for every file, a cost
  // no scan pays (0.6 s of a 5 s profile on ESP-IDF's Bluetooth examples).
  const instrumented = new Map();
  const rulesOf = (rules) => instrumented.get(rules) ?? instrumented.set(rules, instrument(rules, ruleMs, flowMs, calls)).get(rules);
  for (const f of inputs) {
    const fileStarted = cpuMs();
    let started = fileStarted;
    const parsed = await engine.parseFile(f);
    parseMs += cpuMs() - started;
    started = cpuMs();
    const result = engine.runRules(f, parsed, rulesOf(f.rules));
    rulesMs += cpuMs() - started;
    languageMs.set(f.language, (languageMs.get(f.language) ?? 0) + cpuMs() - fileStarted);
    findings += result.findings.length;
    parsed.tree?.delete();
  }
  return { ruleMs, flowMs, languageMs, calls, parseMs, rulesMs, findings };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const cold = await run(); // warm-up: grammars loaded, JIT warm
const runs = [];
for (let i = 0; i < Number(options.runs); i++) runs.push(await run());
const lines = inputs.reduce((n, f) => n + f.text.split('\n').length, 0);
const ms = (x) => x.toFixed(0).padStart(7);
const percent = (x) => `${(x * 100).toFixed(0)}%`;
const parseMs = median(runs.map((r) => r.parseMs));
const rulesMs = median(runs.map((r) => r.rulesMs));
const flowTotal = median(runs.map((r) => [...r.flowMs.values()].reduce((a, b) => a + b, 0)));
console.log(`${target}: ${inputs.length} files, ${lines} lines, ${runs[0].findings} findings, ${runs.length} runs (medians, ms)`);
console.log(`  parse + model   ${ms(parseMs)}`);
console.log(`  rules           ${ms(rulesMs)}   of which flow queries ${ms(flowTotal)}${options['no-flow'] ? ' (--no-flow)' : ''}`);
console.log(
  `  first run       ${ms(cold.parseMs + cold.rulesMs)}   (cold: grammars loading, code not yet optimised; rules ${ms(cold.rulesMs).trim()})`,
);
console.log(`  total           ${ms(parseMs + rulesMs)}   flow share ${((flowTotal / (parseMs + rulesMs)) * 100).toFixed(1)}%`);
// The files each rule could run on: those of its languages (a rule the configuration turns off is not listed).
const applicable = new Map();
for (const f of inputs)
  for (const { rule } of f.rules)
    if (rule.meta.languages.includes(f.language)) applicable.set(rule.meta.id, (applicable.get(rule.meta.id) ?? 0) + 1);
const ran = runs[0].calls;
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const runsTotal = sum([...ran.values()]);
const applicableTotal = sum([...applicable.values()]);
console.log(
  `  rule runs       ${String(runsTotal).padStart(7)} of ${applicableTotal}: the pre-filters skipped ${percent(1 - runsTotal / applicableTotal)}`,
);
const rows = [...applicable.keys()]
  .map((id) => ({ id, rule: median(runs.map((r) => r.ruleMs.get(id) ?? 0)), flow: median(runs.map((r) => r.flowMs.get(id) ?? 0)) }))
  .sort((a, b) => b.rule - a.rule);
console.log(`\n  ${'rule'.padEnd(40)} ${'ms'.padStart(7)} ${'flow ms'.padStart(7)} ${'cold ms'.padStart(7)} ${'ran'.padStart(6)}`);
for (const row of rows.slice(0, Number(options.top)))
  console.log(
    `  ${row.id.padEnd(40)} ${ms(row.rule)} ${ms(row.flow)} ${ms(cold.ruleMs.get(row.id) ?? 0)} ${percent((ran.get(row.id) ?? 0) / applicable.get(row.id)).padStart(6)}`,
  );

const byLanguage = new Map();
for (const f of inputs) {
  const entry = byLanguage.get(f.language) ?? { files: 0, bytes: 0 };
  byLanguage.set(f.language, { files: entry.files + 1, bytes: entry.bytes + f.text.length });
}
console.log(`\n  ${'language'.padEnd(20)} ${'files'.padStart(6)} ${'MB'.padStart(6)} ${'ms'.padStart(7)} ${'cold ms'.padStart(7)}`);
for (const [language, { files: count, bytes }] of [...byLanguage].sort((a, b) => b[1].bytes - a[1].bytes)) {
  const spent = median(runs.map((r) => r.languageMs.get(language) ?? 0));
  const first = cold.languageMs.get(language) ?? 0;
  console.log(`  ${language.padEnd(20)} ${String(count).padStart(6)} ${(bytes / 1e6).toFixed(1).padStart(6)} ${ms(spent)} ${ms(first)}`);
}
