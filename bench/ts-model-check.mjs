// Checks that the code model built from TypeScript's own tree (core/model/ts-model.ts) is the one built from
// typescript-estree's ESTree (core/model/estree-model.ts), file by file, on real code: every TypeScript /
// JavaScript file under the given folders (default: the rule fixtures and bench/realcode/.checkouts). Also
// checks that a file fails to parse under one exactly when it does under the other. Prints each difference
// (the first per file) and a summary; exits 1 when any file differs.
// Usage: node bench/ts-model-check.mjs [folder or file ...] [--max-kb 2000] [--show 20]
import { build } from 'esbuild';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBundleOptions } from '../scripts/bundle-options.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const maxBytes = Number(option('--max-kb', 2000)) * 1000;
const show = Number(option('--show', 20));
const optionValues = new Set([option('--max-kb'), option('--show')]);
const folders = args.filter((a, i) => !a.startsWith('--') && !(optionValues.has(a) && args[i - 1]?.startsWith('--')));
const roots = folders.length ? folders : [path.join(here, '..', 'rules'), path.join(here, 'realcode', '.checkouts')];

const bundle = path.join(here, '.build', 'ts-model-check.cjs');
await build({ ...nodeBundleOptions, entryPoints: [path.join(here, 'ts-model-entry.ts')], outfile: bundle, logLevel: 'error' });
const engine = createRequire(import.meta.url)(bundle);

const SOURCE = /\.(ts|tsx|js|jsx|mjs|cjs)$/i;
function* files(dir) {
  if (statSync(dir, { throwIfNoEntry: false })?.isFile()) {
    yield dir;
    return;
  }
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== '.git') yield* files(full);
    else if (e.isFile() && SOURCE.test(e.name) && !e.name.endsWith('.d.ts')) yield full;
  }
}

const counts = { files: 0, same: 0, bothFail: 0, parseDiffers: 0, modelDiffers: 0, skipped: 0 };
let shown = 0;
const report = (file, what) => {
  if (shown++ < show) console.log(`${path.relative(process.cwd(), file)}: ${what}`);
};
for (const root of roots) {
  for (const file of files(root)) {
    if (statSync(file).size > maxBytes) {
      counts.skipped++;
      continue;
    }
    counts.files++;
    const text = readFileSync(file, 'utf8');
    const estree = engine.parseEstree(text, file);
    const tsParse = engine.parseTypeScript(text, file);
    if (!estree.ast || !tsParse.sourceFile) {
      if (!estree.ast && !tsParse.sourceFile && estree.error?.offset === tsParse.error?.offset) counts.bothFail++;
      else {
        counts.parseDiffers++;
        report(
          file,
          `parse: typescript-estree ${estree.ast ? 'parses' : `fails (${estree.error?.message} at ${estree.error?.offset})`}, TypeScript ${tsParse.sourceFile ? 'parses' : `fails (${tsParse.error?.message} at ${tsParse.error?.offset})`}`,
        );
      }
      continue;
    }
    const a = engine.modelData(engine.buildEstreeModel(estree.ast, text));
    const b = engine.modelData(engine.buildTsModel(tsParse.sourceFile, text));
    const d = engine.firstDifference(a, b);
    if (!d) counts.same++;
    else {
      counts.modelDiffers++;
      report(file, `${d.path}: ESTree ${JSON.stringify(d.a)?.slice(0, 300)} / TypeScript ${JSON.stringify(d.b)?.slice(0, 300)}`);
    }
  }
}
console.log(
  `${counts.files} files: ${counts.same} same model, ${counts.bothFail} fail to parse under both, ${counts.parseDiffers} parse differently, ${counts.modelDiffers} different model (${counts.skipped} over ${maxBytes / 1000} kB skipped)`,
);
process.exitCode = counts.parseDiffers || counts.modelDiffers ? 1 : 0;
