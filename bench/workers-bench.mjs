#!/usr/bin/env node
// Worker-pool benchmark (issue 5): wall time of the whole CLI (`node bin/medsec.js scan DIR`) with
// `--jobs 1` (in-process) and with one worker per core, side by side. Runs alternate between the two
// settings and the table shows medians, because the machine is shared and noisy; the load average is
// printed with it. Needs the bundles (node scripts/build.mjs).
// Usage: node bench/workers-bench.mjs [--runs 5] [DIR...]   (default: examples and bench/corpus-300k)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const bin = path.join(root, 'bin', 'medsec.js');
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 5;
const corpus = path.join(here, 'corpus-300k');
const targets = args.length ? args.map((target) => path.resolve(target)) : [path.join(root, 'examples'), corpus];
if (targets.includes(corpus) && !existsSync(corpus)) {
  execFileSync(process.execPath, [path.join(here, 'gen-corpus.mjs'), '--lines', '300000', '--out', corpus], { stdio: 'inherit' });
}
if (!existsSync(path.join(root, 'dist', 'scan-worker.js'))) throw new Error('dist/scan-worker.js is missing: run node scripts/build.mjs');

const cores = os.availableParallelism();
const jobsSettings = [1, cores];
const out = mkdtempSync(path.join(os.tmpdir(), 'medsec-workers-bench-'));
const files = new Map();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function scanOnce(target, jobs) {
  const report = path.join(out, 'report.json');
  const started = process.hrtime.bigint();
  // Run from inside the target so the repository's .gitignore (which lists bench/corpus-*) does not apply.
  const result = spawnSync(
    process.execPath,
    [bin, 'scan', '.', '--jobs', String(jobs), '--format', 'json', '--output', report, '--fail-on', 'none', '--no-cache'],
    { cwd: target, encoding: 'utf8' },
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`medsec scan ${target} --jobs ${jobs} exited ${result.status}: ${result.stderr}`);
  files.set(target, JSON.parse(readFileSync(report, 'utf8')).summary.filesScanned);
  return ms;
}

console.log(
  `${cores} cores, ${runs} runs per setting (medians), load average before: ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const rows = [];
for (const target of targets) {
  const samples = new Map(jobsSettings.map((jobs) => [jobs, []]));
  for (const jobs of jobsSettings) scanOnce(target, jobs); // warm the file cache
  for (let run = 0; run < runs; run++) {
    for (const jobs of run % 2 ? [...jobsSettings].reverse() : jobsSettings) samples.get(jobs).push(scanOnce(target, jobs));
  }
  const single = median(samples.get(1));
  const pooled = median(samples.get(cores));
  rows.push([
    `${path.relative(root, target) || target} (${files.get(target)} files)`,
    single.toFixed(0),
    pooled.toFixed(0),
    (single / pooled).toFixed(2),
  ]);
}
rmSync(out, { recursive: true, force: true });

const header = ['target', 'jobs 1 (ms)', `jobs ${cores} (ms)`, 'speed-up'];
const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
const line = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
console.log(line(header));
for (const row of rows) console.log(line(row));
console.log(
  `load average after: ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
