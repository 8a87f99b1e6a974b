// Writes test/hardening/regex-verdicts.json: recheck's verdict on every regular expression in rules/ and
// server/src/core (test/helpers/builtin-regexes.ts finds them). recheck's budget is wall time, so its verdict
// can change with the machine's load; the test reads this cache instead of running recheck itself, and fails
// for a regex that has no verdict here. A verdict already cached is kept (--all runs them all again); a
// regex no longer in the sources is dropped. Usage: npm run regex-verdicts [-- --all] [--timeout=ms]
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBundleOptions } from './bundle-options.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(root, 'test/hardening/regex-verdicts.json');
/** Generous: proofs take milliseconds, and a verdict is computed once, not on every test run. */
const TIMEOUT_MS = Number(process.argv.find((a) => a.startsWith('--timeout='))?.slice(10) ?? 60_000);

/** recheck's native backend where installed (fast), and a fixed seed, so its fuzzing gives one verdict. */
const RECHECK_OPTIONS = { timeout: TIMEOUT_MS, randomSeed: 12, recheckBackend: 'auto' };

const collector = await loadCollector();
const found = collector.allBuiltinRegexes(root, collector.MODULES);
const cached = readCache();
const rerun = process.argv.includes('--all');
const { check } = createRequire(join(root, 'package.json'))('recheck');

const verdicts = {};
let computed = 0;
for (const regex of found) {
  const key = collector.regexKey(regex);
  if (!rerun && cached[key]) {
    verdicts[key] = cached[key];
    continue;
  }
  verdicts[key] = verdictOf(await check(regex.source, collector.recheckFlags(regex.flags), RECHECK_OPTIONS));
  computed++;
  if (verdicts[key] !== 'safe') console.log(`${regex.where}: ${key} → ${verdicts[key]}`);
}
const sorted = Object.fromEntries(Object.entries(verdicts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(CACHE, `${JSON.stringify(sorted, null, 2)}\n`);
const unsafe = Object.values(sorted).filter((v) => v !== 'safe').length;
console.log(`${found.length} regexes, ${computed} checked now, ${unsafe} not safe → ${CACHE}`);

/** "safe", or what recheck said instead, in one line. */
function verdictOf(result) {
  if (result.status === 'safe') return 'safe';
  if (result.status === 'vulnerable') return `vulnerable: ${result.complexity.summary}`;
  return `unknown: ${result.error.kind}`;
}

function readCache() {
  try {
    return JSON.parse(readFileSync(CACHE, 'utf8'));
  } catch {
    return {};
  }
}

/** The collector, and every module of the trees (their exported tables hold regexes too), bundled. */
async function loadCollector() {
  const dir = mkdtempSync(join(tmpdir(), 'medsec-regexes-'));
  try {
    const collector = await bundle(dir, 'collector', `export * from './test/helpers/builtin-regexes';`);
    const files = collector.regexSourceFiles(root);
    const modules = await bundle(
      dir,
      'modules',
      [
        ...files.map((f, i) => `import * as m${i} from './${f.replace(/\.ts$/, '')}';`),
        `export const MODULES = { ${files.map((f, i) => `${JSON.stringify(f)}: m${i}`).join(', ')} };`,
      ].join('\n'),
    );
    return { ...collector, MODULES: modules.MODULES };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bundle(dir, name, contents) {
  const outfile = join(dir, `${name}.cjs`);
  await build({ ...nodeBundleOptions, stdin: { contents, resolveDir: root, loader: 'ts' }, outfile, logLevel: 'error' });
  return createRequire(outfile)(outfile);
}
