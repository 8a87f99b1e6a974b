#!/usr/bin/env node
// How much C/C++ code tree-sitter could not parse: per codebase, the files whose tree has errors and the bytes
// inside ERROR nodes (code there is invisible to rules, or seen out of its structure), with the language each
// header was read as. Files are parsed as the scan parses them (the engine's parseFile, headers included).
//
//   node bench/parse-errors.mjs [--engine TREE] [--files N] DIR...
//   node bench/parse-errors.mjs [--engine TREE] --repo owner/name ...   (bench/realcode checkouts, their `exclude`)
//
// --engine measures another checkout's engine, built from its sources like bench/scan-bench.mjs does; --files N
// lists the N files with the most error bytes per codebase.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { nodeBundleOptions } from '../scripts/bundle-options.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    engine: { type: 'string', default: root },
    repo: { type: 'string', multiple: true },
    files: { type: 'string', default: '0' },
  },
});
const engineTree = path.resolve(options.engine);
const bundle = path.join(here, '.build', engineTree === root ? 'engine.cjs' : `engine-${path.basename(engineTree)}.cjs`);
await build({
  ...nodeBundleOptions,
  stdin: { contents: "export * from './bench/engine-entry';", resolveDir: engineTree, loader: 'ts' },
  outfile: bundle,
});
const engine = createRequire(import.meta.url)(bundle);

const repos = JSON.parse(readFileSync(path.join(here, 'realcode', 'repos.json'), 'utf8'));
const targets = positionals.map((dir) => ({ name: path.basename(dir), dir: path.resolve(dir), exclude: [] }));
for (const name of options.repo ?? []) {
  const entry = repos.find((r) => r.repo === name);
  if (!entry) throw new Error(`${name} is not in bench/realcode/repos.json`);
  const dir = path.join(here, 'realcode', '.checkouts', name.replace('/', '+'));
  if (!existsSync(dir)) throw new Error(`${dir} is missing: run bench/realcode/run.mjs --repo ${name} once`);
  targets.push({ name, dir, exclude: entry.exclude ?? [] });
}

/**
 * Bytes under ERROR nodes (outermost only), the loose bytes among them (tokens an ERROR node holds directly,
 * which belong to no construct: the code rules cannot read as structure; an ERROR around whole declarations
 * hides little) and MISSING nodes. Walks only into subtrees that have errors.
 */
function errorsOf(tree) {
  let bytes = 0;
  let loose = 0;
  let missing = 0;
  const cursor = tree.walk();
  const visit = (inError) => {
    const node = cursor.currentNode;
    const isError = node.type === 'ERROR';
    if (isError && !inError) bytes += node.endIndex - node.startIndex;
    if (node.isMissing) missing++;
    if (!cursor.gotoFirstChild()) return;
    do {
      const child = cursor.currentNode;
      if (isError && child.childCount === 0) loose += child.endIndex - child.startIndex;
      if (child.hasError || child.isMissing) visit(inError || isError);
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  };
  visit(false);
  cursor.delete();
  return { bytes, loose, missing };
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'medsec-parse-errors-'));
try {
  for (const target of targets) {
    const configFile = path.join(scratch, 'config.json');
    writeFileSync(configFile, JSON.stringify({ extends: ['medsec:recommended'], ignore: target.exclude }));
    const config = engine.loadConfig(target.dir, configFile, { registry: engine.builtinRegistry });
    const { files } = await engine.discoverFiles(target.dir, [target.dir], config);
    const rows = [];
    const total = { files: 0, bytes: 0, errorFiles: 0, errorBytes: 0, looseBytes: 0, missing: 0, headers: { c: 0, cpp: 0 } };
    for (const f of files) {
      if (f.language !== 'c' && f.language !== 'cpp') continue;
      const { text } = engine.decodeSource(readFileSync(f.path));
      const parsed = await engine.parseFile({ path: f.path, relativePath: f.relativePath, text, language: f.language });
      total.files++;
      total.bytes += text.length;
      if (/\.h$/i.test(f.path)) total.headers[parsed.language]++;
      if (!parsed.tree) continue;
      const { bytes, loose, missing } = errorsOf(parsed.tree);
      parsed.tree.delete();
      if (parsed.model.hasErrors) total.errorFiles++;
      total.errorBytes += bytes;
      total.looseBytes += loose;
      total.missing += missing;
      if (bytes || missing) rows.push({ file: f.relativePath, language: parsed.language, bytes, loose, missing });
    }
    const pct = total.bytes ? ((100 * total.errorBytes) / total.bytes).toFixed(2) : '0';
    console.log(
      `${target.name}: ${total.files} C/C++ files (${total.bytes} bytes; .h read as C ${total.headers.c}, C++ ${total.headers.cpp}); ` +
        `with errors ${total.errorFiles}; error bytes ${total.errorBytes} (${pct}%), loose ${total.looseBytes}; missing nodes ${total.missing}`,
    );
    rows.sort((a, b) => b.loose - a.loose || b.bytes - a.bytes);
    for (const row of rows.slice(0, Number(options.files))) {
      const figures = `${String(row.bytes).padStart(8)} bytes ${String(row.loose).padStart(6)} loose ${String(row.missing).padStart(3)} missing`;
      console.log(`  ${figures}  ${row.language.padEnd(3)} ${row.file}`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
