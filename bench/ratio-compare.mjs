#!/usr/bin/env node
// Full / parse-only ratio of two (or more) builds side by side: bench/scan-bench.mjs --quick --runs 1 once per
// build per round, builds alternating and the order reversed every other round, so both see the same load.
// Prints each run and then the medians (wall and CPU), with the load average before and after.
//
//   node bench/ratio-compare.mjs --engine now=. --engine main=/work/main [--rounds 3] [--budget] DIR...
//
// An --engine is a checkout's tree (its sources are bundled by scan-bench; nothing is written into it).
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: options, positionals: corpora } = parseArgs({
  allowPositionals: true,
  options: {
    engine: { type: 'string', multiple: true },
    rounds: { type: 'string', default: '3' },
    budget: { type: 'boolean', default: false },
  },
});
const engines = (options.engine ?? [`now=${path.join(here, '..')}`]).map((spec) => {
  const [label, dir] = spec.split('=');
  return { label, dir: path.resolve(dir) };
});
if (!corpora.length) {
  console.error('usage: ratio-compare.mjs --engine LABEL=TREE ... [--rounds N] [--budget] DIR...');
  process.exit(2);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

/** One scan-bench run: wall and CPU ms of parse-only and the full scan, and the findings. */
function once(engine, corpus) {
  const args = [path.join(here, 'scan-bench.mjs'), '--quick', '--runs', '1', '--engine', engine.dir, corpus];
  if (options.budget) args.splice(1, 0, '--budget');
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const out = run.stdout;
  const wall = (name) => Number(new RegExp(`${name}\\s+(\\d+) ms`).exec(out)?.[1]);
  const cpu = /CPU: parse (\d+) ms, full (\d+) ms/.exec(out);
  const findings = Number(/(\d+) findings/.exec(out)?.[1]);
  if (!cpu) throw new Error(`scan-bench failed for ${engine.label} on ${corpus}:\n${out}\n${run.stderr}`);
  return { parse: wall('parse only'), full: wall('full scan'), parseCpu: Number(cpu[1]), fullCpu: Number(cpu[2]), findings };
}

console.log(`load average before: ${load()}`);
for (const corpus of corpora) {
  const samples = new Map(engines.map((e) => [e.label, []]));
  for (let round = 0; round < Number(options.rounds); round++) {
    const order = round % 2 ? [...engines].reverse() : engines;
    for (const engine of order) {
      const s = once(engine, corpus);
      samples.get(engine.label).push(s);
      console.log(
        `  ${path.basename(corpus)} round ${round + 1} ${engine.label}: parse ${s.parse} ms, full ${s.full} ms ` +
          `(${(s.full / s.parse).toFixed(2)}x); CPU ${s.parseCpu} → ${s.fullCpu} ms (${(s.fullCpu / s.parseCpu).toFixed(2)}x); ` +
          `${s.findings} findings; load ${load()}`,
      );
    }
  }
  console.log(`\n${path.basename(corpus)}: medians of ${options.rounds} interleaved rounds${options.budget ? ' (--budget)' : ''}`);
  for (const { label } of engines) {
    const xs = samples.get(label);
    const m = (key) => median(xs.map((x) => x[key]));
    const ratio = median(xs.map((x) => x.full / x.parse));
    const cpuRatio = median(xs.map((x) => x.fullCpu / x.parseCpu));
    console.log(
      `  ${label.padEnd(8)} parse ${m('parse')} ms, full ${m('full')} ms, full / parse ${ratio.toFixed(2)}x; ` +
        `CPU parse ${m('parseCpu')} ms, full ${m('fullCpu')} ms, ${cpuRatio.toFixed(2)}x; ${xs[0].findings} findings`,
    );
  }
}
console.log(`load average after: ${load()}`);
