#!/usr/bin/env node
// What the CLI adds to the engine (issue 15): the CPU seconds of a whole `medsec scan --no-cache --jobs 1`
// process beside a process that loads the engine alone and checks the same files as the scan does (read,
// checkFile within the configuration's budget), and that process's second pass over the files (JIT warm: what
// bench/scan-bench.mjs calls in-process). CLI − engine is what the CLI adds (its bundle, discovery, cache
// keys, fingerprints, output); engine − second pass is the price of cold code, which any single run pays.
// Separate processes, interleaved, medians.
//
//   node bench/cli-gap.mjs [--rounds 3] [--jobs 1] DIR...
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measure, median } from './speed/measure.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const bundle = path.join(here, '.build', 'gap-engine.cjs');
const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '3' }, jobs: { type: 'string', default: '1' }, 'engine-run': { type: 'boolean' } },
});

if (options['engine-run']) await engineRun(positionals[0]);
else await compare();

async function compare() {
  const { build } = await import('esbuild');
  const { nodeBundleOptions } = await import('../scripts/bundle-options.mjs');
  await build({
    ...nodeBundleOptions,
    stdin: {
      contents:
        "export { checkFile } from './server/src/core/check'; export { discoverFiles } from './server/src/core/discover';" +
        "export { loadConfig } from './server/src/core/config'; export { builtinRegistry } from './server/src/builtin-registry';" +
        "export { decodeSource } from './server/src/core/text';",
      resolveDir: root,
      loader: 'ts',
    },
    outfile: bundle,
  });
  const rounds = Number(options.rounds);
  const load = () =>
    os
      .loadavg()
      .map((value) => value.toFixed(1))
      .join(' ');
  console.log(`${rounds} interleaved rounds, --jobs ${options.jobs}; load average before: ${load()}`);
  for (const dir of positionals.map((target) => path.resolve(target))) {
    const cli = [];
    const engine = [];
    const second = [];
    for (let round = 0; round < rounds; round++) {
      const runs = [
        () =>
          cli.push(
            measure(
              'node',
              [
                path.join(root, 'bin', 'medsec.js'),
                'scan',
                '.',
                '--no-cache',
                '--jobs',
                options.jobs,
                '--format',
                'json',
                '--output',
                '/dev/null',
                '--fail-on',
                'none',
              ],
              { cwd: dir },
            ),
          ),
        () => {
          const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--engine-run', dir], { encoding: 'utf8' });
          if (run.status !== 0) throw new Error(run.stderr);
          const [first, again] = run.stdout.trim().split(' ').map(Number);
          engine.push(first);
          second.push(again);
        },
      ];
      for (const run of round % 2 ? runs.reverse() : runs) run();
    }
    const cliCpu = median(cli.map((sample) => sample.cpu));
    const engineCpu = median(engine) / 1000;
    const warmCpu = median(second) / 1000;
    console.log(
      `${path.basename(dir)}: CLI ${cliCpu.toFixed(2)} CPU-s, engine process ${engineCpu.toFixed(2)} CPU-s ` +
        `(second pass ${warmCpu.toFixed(2)}); the CLI adds ${(cliCpu - engineCpu).toFixed(2)} CPU-s, cold code ` +
        `${(engineCpu - warmCpu).toFixed(2)} CPU-s; CLI / second pass ${(cliCpu / warmCpu).toFixed(2)}x`,
    );
  }
  console.log(`load average after: ${load()}`);
}

/** In a fresh process: the engine loaded and every file checked as the CLI does; prints the process's CPU ms, then a second pass's. */
async function engineRun(dir) {
  const cpuMs = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  const engine = (await import('node:module')).createRequire(import.meta.url)(bundle);
  const config = engine.loadConfig(dir, undefined, { registry: engine.builtinRegistry });
  const { files } = await engine.discoverFiles(dir, [dir], config);
  const pass = async () => {
    for (const file of files) {
      const { text, invalidUtf8 } = engine.decodeSource(readFileSync(file.path));
      const input = { path: file.path, relativePath: file.relativePath, text, language: file.language, invalidUtf8 };
      await engine.checkFile(input, config.rulesFor(file.relativePath), config.fileBudgetMs);
    }
  };
  await pass();
  const first = cpuMs();
  await pass();
  process.stdout.write(`${first.toFixed(0)} ${(cpuMs() - first).toFixed(0)}\n`);
}
