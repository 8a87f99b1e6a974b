#!/usr/bin/env node
// Scan cost of two medsec builds on the real-code set (issue 10: the flow layer's cost against 423e121).
// For each codebase the two builds scan back to back, in alternating order, under GNU time; a round is one
// pass over the set. Prints per codebase and in total the median over rounds of CPU seconds (user + system,
// the steadier figure on a shared machine) and wall seconds, and the growth of the second build over the first.
//
//   node bench/realcode/compare-time.mjs --before /work/wt-423 [--after .] [--rounds 3] [--preset recommended]
//                                        [--repo owner/name ...] [--jobs N] [--json FILE]
//
// Needs the checkouts run.mjs materialises (bench/realcode/.checkouts) and /usr/bin/time. A build older than
// the result cache has no --no-cache flag; each build gets the flags it has.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: options } = parseArgs({
  options: {
    before: { type: 'string' },
    after: { type: 'string', default: path.resolve(here, '..', '..') },
    rounds: { type: 'string', default: '3' },
    preset: { type: 'string', default: 'recommended' },
    repo: { type: 'string', multiple: true },
    jobs: { type: 'string' },
    json: { type: 'string' },
  },
});
if (!options.before) {
  console.error('usage: compare-time.mjs --before PATH [--after PATH] [--rounds N] [--preset P] [--repo owner/name ...]');
  process.exit(2);
}

const cliOf = (root) => (root.endsWith('.js') ? path.resolve(root) : path.resolve(root, 'bin', 'medsec.js'));
const builds = [
  { name: 'before', cli: cliOf(options.before) },
  { name: 'after', cli: cliOf(options.after) },
];
for (const build of builds) {
  if (!existsSync(build.cli)) throw new Error(`no CLI at ${build.cli}`);
  build.noCache = spawnSync(process.execPath, [build.cli, 'scan', '--help'], { encoding: 'utf8' }).stdout.includes('--no-cache');
}

const repos = JSON.parse(readFileSync(path.join(here, 'repos.json'), 'utf8')).filter(
  (entry) => !options.repo || options.repo.includes(entry.repo),
);
const out = path.join(here, '.out', 'time');
mkdirSync(out, { recursive: true });

/** One scan under GNU time: CPU and wall seconds of the process and its threads. */
function scan(build, entry) {
  const checkout = path.join(here, '.checkouts', entry.repo.replace('/', '+'));
  const config = path.join(out, `${entry.repo.replace('/', '+')}.${options.preset}.json`);
  writeFileSync(config, JSON.stringify({ extends: [`medsec:${options.preset}`], ignore: entry.exclude ?? [] }));
  const args = [
    build.cli,
    'scan',
    '.',
    '--format',
    'json',
    '--output',
    path.join(out, 'last.json'),
    '--config',
    config,
    '--fail-on',
    'none',
  ];
  if (build.noCache) args.push('--no-cache');
  if (options.jobs) args.push('--jobs', options.jobs);
  const run = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S', process.execPath, ...args], { cwd: checkout, encoding: 'utf8' });
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+)\s*$/.exec(run.stderr ?? '');
  if (!m) throw new Error(`${build.name} ${entry.repo}: no timing (${(run.stderr ?? '').slice(-300)})`);
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const samples = {}; // repo -> build -> [{wall, cpu}]
const rounds = Number(options.rounds);
for (let round = 0; round < rounds; round++) {
  repos.forEach((entry, i) => {
    if (!existsSync(path.join(here, '.checkouts', entry.repo.replace('/', '+')))) return;
    // Alternate which build goes first, per codebase and per round, so neither always meets a warm cache.
    const order = (round + i) % 2 ? [...builds].reverse() : builds;
    const got = {};
    for (const build of order) ((samples[entry.repo] ??= {})[build.name] ??= []).push((got[build.name] = scan(build, entry)));
    // Each pair as it is measured, so a run cut short still says something.
    process.stderr.write(
      `round ${round + 1}/${rounds} ${entry.repo}: CPU ${got.before.cpu.toFixed(2)} s -> ${got.after.cpu.toFixed(2)} s\n`,
    );
  });
}

const rows = [];
const totals = Object.fromEntries(builds.map((b) => [b.name, { cpu: [], wall: [] }]));
for (let round = 0; round < rounds; round++) {
  for (const build of builds) {
    totals[build.name].cpu.push(Object.values(samples).reduce((sum, s) => sum + s[build.name][round].cpu, 0));
    totals[build.name].wall.push(Object.values(samples).reduce((sum, s) => sum + s[build.name][round].wall, 0));
  }
}
const pctGrowth = (a, b) => `${(((b - a) / a) * 100).toFixed(1)}%`;
console.log(`scan cost, medsec:${options.preset}, ${rounds} round(s), medians; CPU = user + system seconds`);
console.log(`${'codebase'.padEnd(62)} ${'CPU before'.padStart(10)} ${'CPU after'.padStart(10)} ${'growth'.padStart(8)}`);
for (const [repo, s] of Object.entries(samples)) {
  const before = median(s.before.map((x) => x.cpu));
  const after = median(s.after.map((x) => x.cpu));
  rows.push({ repo, before, after });
  console.log(
    `${repo.padEnd(62)} ${before.toFixed(2).padStart(10)} ${after.toFixed(2).padStart(10)} ${pctGrowth(before, after).padStart(8)}`,
  );
}
const cpu = { before: median(totals.before.cpu), after: median(totals.after.cpu) };
const wall = { before: median(totals.before.wall), after: median(totals.after.wall) };
console.log(
  `${'total CPU'.padEnd(62)} ${cpu.before.toFixed(2).padStart(10)} ${cpu.after.toFixed(2).padStart(10)} ${pctGrowth(cpu.before, cpu.after).padStart(8)}`,
);
console.log(
  `${'total wall'.padEnd(62)} ${wall.before.toFixed(2).padStart(10)} ${wall.after.toFixed(2).padStart(10)} ${pctGrowth(wall.before, wall.after).padStart(8)}`,
);
if (options.json) writeFileSync(options.json, JSON.stringify({ preset: options.preset, rounds, builds, samples, totals }, null, 2));
