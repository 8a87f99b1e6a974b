#!/usr/bin/env node
// Speed benchmark (issue 15): medsec against the tools a device team would otherwise run, on real code
// fetched and pinned by commit (corpora.json), whole processes measured with GNU time, runs interleaved
// (every tool once per round), medians. Prints, per corpus: cold scan wall and CPU, peak memory, warm
// (cached) re-scan, and medsec's full / parse-only ratio in-process (bench/scan-bench.mjs), and the peak
// memory of a parse-only process over the same files (parse-only.mjs), the memory bar's yardstick; then start-up:
// `medsec --version` and one small C file. The machine's load average is printed before, per corpus and after.
//
//   node bench/speed/run.mjs [--rounds 3] [--corpus NAME,...] [--medsec LABEL=DIR ...] [--peers a,b,...]
//                            [--cppcheck] [--ratio LABEL,...|none] [--timeout SECONDS] [--json FILE]
//
// --medsec compares builds (a clone or worktree with `npm ci` done, e.g. an older commit); default: this
// tree, as "now". A peer that exceeds --timeout (default 900 s) once is not run again and shows as "> T".
// cppcheck costs about 15 times a medsec scan, so it runs only with --cppcheck (or named in --peers).
//
// Each build's warm and one-file-changed re-scans run in its own copy of the corpus: a cache folder must lie
// inside the scanned tree, and one build's cache folder in a shared tree would change the listing the other
// build's cache vouches for, turning its warm re-scan into a full one.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { countSourceLines, ensureCorpus, loadCorpora } from './corpora.mjs';
import { checkTimeTool, measure, median } from './measure.mjs';
import { PEERS } from './peers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const { values: options } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    runs: { type: 'string' },
    corpus: { type: 'string' },
    medsec: { type: 'string', multiple: true },
    peers: { type: 'string', default: 'flawfinder,secretlint' },
    cppcheck: { type: 'boolean', default: false },
    ratio: { type: 'string' },
    timeout: { type: 'string', default: '900' },
    json: { type: 'string' },
  },
});
const runs = Number(options.runs ?? options.rounds);
const timeoutS = Number(options.timeout);
checkTimeTool();

const builds = (options.medsec ?? [`now=${repoRoot}`]).map((spec) => {
  const [label, dir] = spec.split('=');
  const bin = path.join(path.resolve(dir), 'bin', 'medsec.js');
  const help = spawnSync('node', [bin, 'scan', '--help'], { encoding: 'utf8' });
  if (help.status !== 0) throw new Error(`${bin} does not run (npm ci there first): ${help.stderr}`);
  const commit = spawnSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  return {
    label,
    dir: path.resolve(dir),
    bin,
    commit,
    cache: help.stdout.includes('--no-cache'),
  };
});
const ratioLabels = options.ratio === 'none' ? [] : options.ratio ? options.ratio.split(',') : [builds[0].label];
const peers = [...new Set([...(options.peers ? options.peers.split(',').filter(Boolean) : []), ...(options.cppcheck ? ['cppcheck'] : [])])];
for (const name of peers) {
  if (!PEERS[name]) throw new Error(`unknown peer ${name} (${Object.keys(PEERS).join(', ')})`);
  const ok = PEERS[name].available();
  if (ok !== true) throw new Error(`${name} is not available: ${ok}`);
}
// The parse-only process (parse-only.mjs) of this tree, built once, measured like a tool on each corpus.
const parseOnlyScript = path.join(here, 'parse-only.mjs');
const parseOnlyBuild = spawnSync('node', [parseOnlyScript, '--build-only'], { encoding: 'utf8' });
if (parseOnlyBuild.status !== 0) throw new Error(`parse-only.mjs does not build: ${parseOnlyBuild.stderr}`);
const corpora = loadCorpora().filter((corpus) => !options.corpus || options.corpus.split(',').includes(corpus.name));
const load = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'medsec-speed-run-'));
const results = {
  started: new Date().toISOString(),
  cores: os.availableParallelism(),
  loadBefore: os.loadavg(),
  node: process.version,
  builds: builds.map(({ label, commit }) => ({ label, commit })),
  startup: {},
  corpora: [],
};

console.log(
  `${os.availableParallelism()} cores, Node ${process.version}, ${runs} interleaved runs per tool (medians); ` +
    `load average before: ${load()}`,
);
console.log(`medsec builds: ${builds.map((b) => `${b.label} = ${b.commit}`).join(', ')}`);

const startedMs = Date.now();
const scanArgs = (build, cache, output) => [
  build.bin,
  'scan',
  '.',
  '--format',
  'json',
  '--output',
  output,
  '--fail-on',
  'none',
  ...(build.cache ? [cache ? '--cache' : '--no-cache'] : []),
];

// ------------------------------------------------------------------------------------------ start-up
const smallProject = path.join(scratch, 'small');
mkdirSync(smallProject);
writeFileSync(
  path.join(smallProject, 'main.c'),
  '#include <string.h>\n\nint copy(char *dst, const char *src) {\n' +
    '  strcpy(dst, src);\n  return 0;\n}\n\nstatic const char *wifi_password = "hunter2-factory";\n',
);
const startup = new Map(builds.map((b) => [b.label, { version: [], smallFile: [] }]));
for (let run = 0; run < runs; run++) {
  for (const build of builds) {
    startup.get(build.label).version.push(measure('node', [build.bin, '--version'], { cwd: smallProject, okStatus: [0] }));
    const args = [build.bin, 'scan', 'main.c', '--fail-on', 'none', ...(build.cache ? ['--no-cache'] : [])];
    startup.get(build.label).smallFile.push(measure('node', args, { cwd: smallProject }));
  }
}
const medianOf = (list, key) => median(list.map((sample) => sample[key]));
for (const [label, { version, smallFile }] of startup) {
  results.startup[label] = {
    version: medianOf(version, 'wall'),
    versionCpu: medianOf(version, 'cpu'),
    smallFile: medianOf(smallFile, 'wall'),
    smallFileCpu: medianOf(smallFile, 'cpu'),
    smallFileRssMb: medianOf(smallFile, 'rssMb'),
  };
}
printStartup();

// --------------------------------------------------------------------------------------------- corpora
for (const corpus of corpora) {
  const { dir, error } = ensureCorpus(corpus);
  if (error) {
    console.log(`\n${corpus.name}: skipped (${error})`);
    continue;
  }
  const lines = countSourceLines(dir);
  const tools = [
    ...builds.map((build) => ({ name: `medsec ${build.label}`, build })),
    { name: 'parse only', command: () => ['node', [parseOnlyScript, '.', '--built']] },
    ...peers.filter((name) => PEERS[name].languages.includes(corpus.language)).map((name) => ({ name, peer: PEERS[name] })),
  ];
  const samples = new Map(tools.map((tool) => [tool.name, { cold: [], warm: [], edited: [], timedOut: false }]));
  const output = path.join(scratch, 'report.json');
  // Each build's own copy of the corpus for its cached re-scans (times and names kept; see the top).
  const copies = new Map(builds.filter((b) => b.cache).map((build) => [build.label, copyOf(dir, build.label)]));
  // A file changed within 2 s has no stamp the cache trusts (core/file-stamp.ts): the copies' files must be older
  // than that when primed, or the index vouches for them by hash and every warm re-scan reads them all.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000);
  const prime = (build) => measure('node', scanArgs(build, true, output), { cwd: copies.get(build.label), timeoutS });
  builds.filter((b) => b.cache).forEach(prime);
  const toEdit = path.relative(dir, fileToEdit(dir));
  for (let run = 0; run < runs; run++) {
    for (const tool of run % 2 ? [...tools].reverse() : tools) {
      const sample = samples.get(tool.name);
      if (sample.timedOut) continue;
      const [command, args] = tool.build ? ['node', scanArgs(tool.build, false, output)] : (tool.peer ?? tool).command();
      const cold = measure(command, args, { cwd: dir, timeoutS });
      if (cold.timedOut) sample.timedOut = true;
      else sample.cold.push(cold);
      if (!tool.build?.cache) continue;
      sample.warm.push(prime(tool.build));
      // One file changed since the cached scan: the re-scan should cost about that file.
      const edited = path.join(copies.get(tool.build.label), toEdit);
      const original = readFileSync(edited);
      writeFileSync(edited, Buffer.concat([original, Buffer.from(`\n/* edited by bench/speed run ${run} */\n`)]));
      sample.edited.push(prime(tool.build));
      writeFileSync(edited, original);
      prime(tool.build);
    }
  }
  const ratios = {};
  for (const label of ratioLabels)
    ratios[label] = inProcessRatio(
      builds.find((b) => b.label === label),
      dir,
    );
  const row = { ...corpus, lines, ratios, edited: toEdit, load: os.loadavg(), tools: {} };
  for (const [name, sample] of samples) {
    row.tools[name] =
      sample.timedOut && !sample.cold.length
        ? { timedOut: timeoutS }
        : {
            wall: median(sample.cold.map((s) => s.wall)),
            cpu: median(sample.cold.map((s) => s.cpu)),
            rssMb: median(sample.cold.map((s) => s.rssMb)),
            warm: median(sample.warm.map((s) => s.wall)),
            warmCpu: median(sample.warm.map((s) => s.cpu)),
            edited: median(sample.edited.map((s) => s.wall)),
            editedCpu: median(sample.edited.map((s) => s.cpu)),
          };
  }
  results.corpora.push(row);
  printCorpus(row);
  for (const copy of copies.values()) rmSync(copy, { recursive: true, force: true });
}
results.loadAfter = os.loadavg();
results.minutes = (Date.now() - startedMs) / 60_000;
console.log(`\nload average after: ${load()}; the run took ${results.minutes.toFixed(1)} min`);
if (options.json) writeFileSync(options.json, JSON.stringify(results, null, 2));
rmSync(scratch, { recursive: true, force: true });

/** A copy of the corpus in the scratch folder, file times kept, for one build's cached re-scans. */
function copyOf(dir, label) {
  const copy = path.join(scratch, `${label}-${path.basename(dir)}`);
  rmSync(copy, { recursive: true, force: true });
  cpSync(dir, copy, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
  return copy;
}

/** A mid-sized source file of the corpus (the first in path order between 8 and 40 KB), for the one-file re-scan. */
function fileToEdit(dir) {
  const walk = (folder) => {
    for (const name of readdirSync(folder).sort()) {
      const full = path.join(folder, name);
      const stat = statSync(full);
      if (stat.isDirectory() && !name.startsWith('.')) {
        const found = walk(full);
        if (found) return found;
      } else if (stat.isFile() && /\.(c|cc|cpp|java|js)$/.test(name) && stat.size > 8_000 && stat.size < 40_000) return full;
    }
    return undefined;
  };
  return walk(dir);
}

/** medsec's full scan / parse-only time in one process on the same in-memory files (bench/scan-bench.mjs). */
function inProcessRatio(build, dir) {
  if (!build) return undefined;
  const script = path.join(build.dir, 'bench', 'scan-bench.mjs');
  const quick = readFileSync(script, 'utf8').includes('--quick') ? ['--quick'] : [];
  const result = spawnSync('node', [script, '--runs', '1', ...quick, dir], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const parse = /parse only\s+(\d+) ms/.exec(result.stdout);
  const full = /full scan\s+(\d+) ms/.exec(result.stdout);
  // CPU milliseconds too: on a loaded machine the wall-clock ratio of one run says little.
  const cpu = /CPU: parse (\d+) ms, full (\d+) ms/.exec(result.stdout);
  if (!parse || !full) return undefined;
  const ratio = Number(full[1]) / Number(parse[1]);
  return { parseMs: Number(parse[1]), fullMs: Number(full[1]), ratio, ...(cpu ? { cpuRatio: Number(cpu[2]) / Number(cpu[1]) } : {}) };
}

function printCorpus(row) {
  const ratio = Object.entries(row.ratios)
    .filter(([, r]) => r)
    .map(([label, r]) => {
      const cpu = r.cpuRatio === undefined ? '' : `, CPU ${r.cpuRatio.toFixed(2)}x`;
      return `${label} ${r.ratio.toFixed(2)}x wall${cpu} (parse ${(r.parseMs / 1000).toFixed(1)} s)`;
    })
    .join(', ');
  console.log(
    `\n${row.name}: ${row.repo}@${row.commit} (${row.paths.join(' ')}), ${row.lines.toLocaleString('en')} lines ` +
      `(${row.language}); load average ${row.load.map((value) => value.toFixed(1)).join(' ')}\n` +
      `full / parse-only in-process: ${ratio || 'not measured'}`,
  );
  const seconds = (value) => (value === undefined ? '-' : value.toFixed(2));
  table(
    ['tool', 'cold wall s', 'CPU s', 'peak MB', 'warm s', 'CPU s', '1 file changed s', 'CPU s'],
    Object.entries(row.tools).map(([name, t]) =>
      t.timedOut
        ? [name, `> ${t.timedOut}`, '', '', '', '', '', '']
        : [
            name,
            t.wall.toFixed(2),
            t.cpu.toFixed(2),
            t.rssMb.toFixed(0),
            seconds(t.warm),
            seconds(t.warmCpu),
            seconds(t.edited),
            seconds(t.editedCpu),
          ],
    ),
  );
  console.log(`(warm: unchanged re-scan with the result cache; 1 file changed: ${row.edited} edited since the cached scan)`);
  const parseOnly = row.tools['parse only'];
  const memory = builds
    .map((b) => row.tools[`medsec ${b.label}`])
    .map((t, i) => (t?.rssMb && parseOnly?.rssMb ? `${builds[i].label} ${(t.rssMb / parseOnly.rssMb).toFixed(2)}x` : undefined))
    .filter(Boolean);
  if (memory.length) console.log(`peak memory / parse-only process: ${memory.join(', ')}`);
}

function printStartup() {
  console.log('\nstart-up (whole process)');
  table(
    ['medsec', '--version wall s', 'CPU s', 'one small C file wall s', 'CPU s', 'peak MB'],
    Object.entries(results.startup).map(([label, s]) => [
      label,
      s.version.toFixed(2),
      s.versionCpu.toFixed(2),
      s.smallFile.toFixed(2),
      s.smallFileCpu.toFixed(2),
      s.smallFileRssMb.toFixed(0),
    ]),
  );
}

function table(header, rows) {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}
