#!/usr/bin/env node
// The larger run of the fuzz test (test/fuzz.test.ts, issue 12): several seeds of a hostile repository of
// many files, each scanned once by the CLI under a time budget, with the same checks as the test: exit
// 0/1/2, no stack trace, every source file analysed or listed with a reason, the report written, the
// sentinel folder outside the tree untouched, no planted secret in the output. Prints one row per seed.
// Usage: node bench/fuzz-bench.mjs [--files 20000] [--seeds 1,2,3] [--budget-s 600]   (run `npm run build` first)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeHostileCorpus } from '../test/fuzz/hostile-corpus.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '..', 'bin', 'medsec.js');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : args[i + 1];
};
const files = Number(opt('--files', 20000));
const seeds = String(opt('--seeds', '1,2,3')).split(',').map(Number);
const budgetMs = Number(opt('--budget-s', 600)) * 1000;

function checksum(folder) {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      const stat = lstatSync(file);
      hash.update(`${path.relative(folder, file)}|${stat.mode}|${stat.size}|${stat.mtimeMs}\n`);
      if (stat.isDirectory()) walk(file);
      else if (stat.isFile()) hash.update(readFileSync(file));
    }
  };
  walk(folder);
  return hash.digest('hex');
}

console.log(`hostile corpus: ${files} files per seed`);
console.log('\nseed  files  seconds  exit  scanned  skipped  problems');
let failed = false;
for (const seed of seeds) {
  const base = mkdtempSync(path.join(os.tmpdir(), 'medsec-fuzz-bench-'));
  try {
    const corpus = await makeHostileCorpus({ base, seed, files });
    const before = checksum(corpus.sentinel);
    const report = path.join(base, 'report.json');
    const started = performance.now();
    const run = spawnSync(process.execPath, [bin, 'scan', '--format', 'json', '--output', report], {
      cwd: corpus.tree,
      encoding: 'utf8',
      timeout: budgetMs,
      maxBuffer: 256 * 1024 * 1024,
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const problems = [];
    if (run.signal) problems.push(`over the ${budgetMs / 1000} s budget`);
    if (![0, 1, 2].includes(run.status)) problems.push(`exit ${run.status}`);
    if (/^\s+at .+[:(]\d+:\d+\)?$/m.test(run.stderr)) problems.push('stack trace');
    let scanned = '-';
    let skipped = '-';
    try {
      const text = readFileSync(report, 'utf8');
      const json = JSON.parse(text);
      const expected = new Set(corpus.expected);
      const listed = json.skipped.filter((entry) => expected.has(entry.path) && entry.reason);
      scanned = json.summary.filesScanned;
      skipped = listed.length;
      if (scanned + listed.length !== expected.size) problems.push(`${expected.size - scanned - listed.length} files unaccounted for`);
      const leaked = corpus.secrets.filter((secret) => (text + run.stdout + run.stderr).includes(secret.slice(6, 22)));
      if (leaked.length) problems.push(`${leaked.length} secrets in the output`);
    } catch (error) {
      problems.push(`no report (${error.message})`);
    }
    if (checksum(corpus.sentinel) !== before) problems.push('sentinel folder changed');
    failed ||= problems.length > 0;
    console.log(
      `${String(seed).padEnd(6)}${String(files).padEnd(7)}${seconds.padEnd(9)}${String(run.status).padEnd(6)}${String(scanned).padEnd(9)}${String(skipped).padEnd(9)}${problems.join('; ') || 'none'}`,
    );
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
process.exitCode = failed ? 1 : 0;
