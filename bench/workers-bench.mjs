#!/usr/bin/env node
// Workers and memory benchmark (issue 15, items 4 and 5): for each corpus, whole CLI scans
// (`medsec scan . --no-cache`) with `--jobs 1` (in-process) and `--jobs N` (N worker threads) and the
// parse-only process (bench/speed/parse-only.mjs: read and parse each file, no model, no rules), each under
// GNU time: wall and CPU seconds (worker threads included) and peak resident memory. The bars: a scan's peak
// ≤ 2× the parse-only peak, workers do not double the in-process peak, and `--jobs 2` never slower than
// `--jobs 1` on two cores. Every command runs once per round, rounds alternate the order, the table shows
// medians; the load average is printed before and after (CPU seconds are the steadier figure on a shared machine).
//
//   node bench/workers-bench.mjs [--runs 3] [--jobs 2] [--corpus NAME,...|DIR] [--medsec LABEL=DIR ...]
//
// Corpora: bench/.corpora/<name> (bench/speed/corpora.mjs materialises them); a path is scanned as given.
// --medsec compares builds (a worktree with `npm ci` done); default: this tree, as "now". Needs the bundles.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkTimeTool, measure, median } from './speed/measure.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const args = process.argv.slice(2);
const take = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : fallback;
};
const takeAll = (name) => {
  const values = [];
  for (let at = args.indexOf(name); at >= 0; at = args.indexOf(name)) values.push(args.splice(at, 2)[1]);
  return values;
};
const runs = Number(take('--runs', 3));
const jobs = Number(take('--jobs', Math.max(2, os.availableParallelism())));
const corpusNames = take('--corpus', 'c-firmware-sdk,java-android-app,cpp-library,node-server').split(',');
const buildSpecs = takeAll('--medsec');
const builds = (buildSpecs.length ? buildSpecs : [`now=${root}`]).map((spec) => {
  const [label, dir] = spec.split('=');
  const bin = path.join(path.resolve(dir), 'bin', 'medsec.js');
  if (!existsSync(path.join(path.resolve(dir), 'dist', 'scan-worker.js')))
    throw new Error(`${dir}: dist/scan-worker.js is missing (npm ci)`);
  return { label, bin };
});
checkTimeTool();

const targets = corpusNames.map((name) => {
  const dir = existsSync(path.join(here, '.corpora', name)) ? path.join(here, '.corpora', name) : path.resolve(name);
  if (!existsSync(dir)) throw new Error(`${name}: no such corpus (bench/.corpora/${name}) or folder`);
  return { name: path.basename(dir), dir };
});

const parseOnly = path.join(here, 'speed', 'parse-only.mjs');
const built = spawnSync(process.execPath, [parseOnly, '--build-only'], { encoding: 'utf8' });
if (built.status !== 0) throw new Error(`parse-only build failed: ${built.stderr}`);

const out = mkdtempSync(path.join(os.tmpdir(), 'medsec-workers-bench-'));
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/** The commands of one round: parse-only, then each build with --jobs 1 and --jobs N. */
function commands(target) {
  const list = [{ key: 'parse only', run: () => measure(process.execPath, [parseOnly, '.', '--built'], { cwd: target.dir }) }];
  for (const build of builds) {
    for (const j of [1, jobs]) {
      const report = path.join(out, `${build.label}-${j}.json`);
      const scanArgs = [
        build.bin,
        'scan',
        '.',
        '--jobs',
        String(j),
        '--format',
        'json',
        '--output',
        report,
        '--fail-on',
        'none',
        '--no-cache',
      ];
      list.push({
        key: `${build.label} --jobs ${j}`,
        run: () => {
          const figures = measure(process.execPath, scanArgs, { cwd: target.dir, okStatus: [0] });
          figures.files = JSON.parse(readFileSync(report, 'utf8')).summary.filesScanned;
          return figures;
        },
      });
    }
  }
  return list;
}

console.log(`${os.availableParallelism()} cores, ${runs} interleaved rounds (medians), --jobs 1 vs --jobs ${jobs}; load before: ${load()}`);
const fmt = (x, digits = 2) => (x === undefined ? '–' : x.toFixed(digits));
for (const target of targets) {
  const list = commands(target);
  const samples = new Map(list.map((c) => [c.key, []]));
  for (let round = 0; round < runs; round++) {
    for (const command of round % 2 ? [...list].reverse() : list) samples.get(command.key).push(command.run());
  }
  const med = (key, field) => median(samples.get(key).map((s) => s[field]));
  const parsePeak = med('parse only', 'rssMb');
  console.log(
    `\n${target.name}: parse-only peak ${parsePeak.toFixed(0)} MB (wall ${fmt(med('parse only', 'wall'))} s, CPU ${fmt(med('parse only', 'cpu'))} s); load ${load()}`,
  );
  const header = ['build', 'jobs', 'files', 'wall s', 'CPU s', 'peak MB', 'peak / parse-only', `jobs ${jobs} / jobs 1 wall`];
  const rows = [];
  for (const build of builds) {
    const single = `${build.label} --jobs 1`;
    for (const j of [1, jobs]) {
      const key = `${build.label} --jobs ${j}`;
      rows.push([
        build.label,
        String(j),
        String(samples.get(key)[0].files),
        fmt(med(key, 'wall')),
        fmt(med(key, 'cpu')),
        fmt(med(key, 'rssMb'), 0),
        `${fmt(med(key, 'rssMb') / parsePeak)}×`,
        j === 1 ? '' : `${fmt(med(key, 'wall') / med(single, 'wall'))}×`,
      ]);
    }
  }
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}
rmSync(out, { recursive: true, force: true });
console.log(`\nload after: ${load()}`);
