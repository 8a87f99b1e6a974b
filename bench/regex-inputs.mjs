#!/usr/bin/env node
// The inputs that showed the last two polynomial built-in regexes super-linear (issue 12, item 1), scanned by
// whole CLI processes at doubling sizes: CPU seconds (user + system), wall seconds and peak memory per size,
// and the CPU growth from one size to the next (about 2 when linear, about 4 when quadratic). Builds are run
// interleaved, one round at a time, and the medians printed, with the load average before and after.
//
//   node bench/regex-inputs.mjs [--runs 3] [--sizes 8000,16000,32000] [--medsec LABEL=DIR ...]
//
// --medsec compares builds (a worktree with `npm ci` done); default: this tree, as "now". The unit test of the
// regexes is recheck's verdict (test/hardening/builtin-regexes.test.ts); timing belongs here, not in a test.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkTimeTool, measure, median } from './speed/measure.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    sizes: { type: 'string', default: '8000,16000,32000' },
    medsec: { type: 'string', multiple: true },
  },
});

/**
 * Each input repeats one line `n` times. The JavaScript default-import regex (weak-hash, a strict rule) reread
 * `[^}]*` to the end of the file from every `import a, {` with no `}` after it, comments included (the matches
 * were filtered after); the Python from-import regex (cleartext-protocol) let `[\w\s,]*` run across lines, so
 * every `from telnetlib import` line reread all the import lines after it.
 */
const INPUTS = [
  {
    name: 'JS comments `// import a, {` (weak-hash)',
    file: 'imports.js',
    config: { extends: ['medsec:strict'] },
    text: (n) => `${'// import a, {\n'.repeat(n)}md5(x);\n`,
  },
  {
    name: 'Python `from telnetlib import a, b` (cleartext-protocol)',
    file: 'imports.py',
    config: { extends: ['medsec:recommended'] },
    text: (n) => `${'from telnetlib import a, b\n'.repeat(n)}Telnet(host)\n`,
  },
];

const builds = (options.medsec ?? [`now=${path.join(here, '..')}`]).map((spec) => {
  const [label, dir] = spec.split('=');
  return { label, bin: path.join(path.resolve(dir), 'bin', 'medsec.js') };
});
const sizes = options.sizes.split(',').map(Number);
const runs = Number(options.runs);

checkTimeTool();
console.log(
  `load average before: ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
for (const input of INPUTS) {
  console.log(`\n${input.name}`);
  console.log(
    `${'lines'.padStart(7)} ${'KB'.padStart(6)}  ${builds.map((b) => `${b.label}: cpu s, wall s, MB, cpu growth`.padEnd(44)).join('')}`,
  );
  const previous = new Map();
  for (const n of sizes) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'medsec-regex-inputs-'));
    try {
      const text = input.text(n);
      writeFileSync(path.join(dir, input.file), text);
      writeFileSync(path.join(dir, '.medsec.json'), JSON.stringify(input.config));
      const samples = new Map(builds.map((b) => [b.label, []]));
      for (let round = 0; round < runs; round++) {
        for (const build of builds) {
          const args = [build.bin, 'scan', '--no-cache', '--format', 'json', '--fail-on', 'none', input.file];
          samples.get(build.label).push(measure(process.execPath, args, { cwd: dir, timeoutS: 600 }));
        }
      }
      const cells = builds.map((build) => {
        const ran = samples.get(build.label);
        if (ran.some((s) => s.timedOut)) return '> 600 s'.padEnd(44);
        const cpu = median(ran.map((s) => s.cpu));
        const growth = previous.has(build.label) ? `x${(cpu / previous.get(build.label)).toFixed(1)}` : '';
        previous.set(build.label, cpu);
        const wall = median(ran.map((s) => s.wall));
        const mb = median(ran.map((s) => s.rssMb));
        return `${cpu.toFixed(2)}, ${wall.toFixed(2)}, ${mb.toFixed(0)}, ${growth}`.padEnd(44);
      });
      console.log(`${String(n).padStart(7)} ${(text.length / 1024).toFixed(0).padStart(6)}  ${cells.join('')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
console.log(
  `\nload average after: ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
