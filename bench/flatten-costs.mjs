#!/usr/bin/env node
// What reading a C/C++ tree into the model's flat arrays (core/parse/flat-tree.ts) costs, split into the cursor's
// navigation alone (first child, next sibling, parent: what any full walk of a web-tree-sitter tree pays), each
// recorded field on top of it (type id, start, end, field id), and flattenTree itself (the same walk writing typed
// arrays); and the share of nodes inside numeric data tables (an initializer list of 64 or more number literals),
// which a model that skipped them would not walk. CPU milliseconds, medians of the runs after one warm-up.
//
//   node bench/flatten-costs.mjs DIR [--runs 3] [--files N (default all)] [--engine TREE]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { nodeBundleOptions } from '../scripts/bundle-options.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '3' },
    files: { type: 'string', default: '0' },
    engine: { type: 'string', default: path.join(here, '..') },
  },
});
if (positionals.length !== 1) {
  console.error('usage: flatten-costs.mjs DIR [--runs N] [--files N] [--engine TREE]');
  process.exit(2);
}
const target = path.resolve(positionals[0]);
const engineTree = path.resolve(options.engine);
const bundle = path.join(here, '.build', `flatten-${path.basename(engineTree)}.cjs`);
await build({
  ...nodeBundleOptions,
  stdin: {
    contents: [
      "export { parseTreeSitter, treeSitterWasm } from './server/src/core/parse/tree-sitter';",
      "export { flattenTree } from './server/src/core/parse/flat-tree';",
    ].join('\n'),
    resolveDir: engineTree,
    loader: 'ts',
  },
  outfile: bundle,
});
const engine = createRequire(import.meta.url)(bundle);

// The C sources of the corpus, in a stable order (a C++ file is parsed as C++, the rest as C).
const listed = execFileSync('find', [target, '-type', 'f', '(', '-name', '*.c', '-o', '-name', '*.cc', '-o', '-name', '*.cpp', ')'])
  .toString()
  .trim()
  .split('\n')
  .filter(Boolean)
  .sort()
  .slice(0, Number(options.files) || undefined);
const trees = [];
for (const file of listed) trees.push(await engine.parseTreeSitter(/\.c$/.test(file) ? 'c' : 'cpp', readFileSync(file, 'utf8')));

const wasm = engine.treeSitterWasm();
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Walks the tree in document order as flat-tree.ts does, reading `fields` cursor values per node; returns the node count. */
function walk(tree, fields) {
  const h = tree[0];
  let count = 0;
  let sink = 0;
  const visit = () => {
    count++;
    if (fields > 0) sink += wasm._ts_tree_cursor_current_node_type_id_wasm(h);
    if (fields > 1) sink += wasm._ts_tree_cursor_start_index_wasm(h);
    if (fields > 2) sink += wasm._ts_tree_cursor_end_index_wasm(h);
    if (fields > 3) sink += wasm._ts_tree_cursor_current_field_id_wasm(h);
  };
  wasm._ts_tree_root_node_wasm(h);
  wasm._ts_tree_cursor_new_wasm(h);
  try {
    visit();
    for (;;) {
      if (wasm._ts_tree_cursor_goto_first_child_wasm(h)) {
        visit();
        continue;
      }
      for (;;) {
        if (wasm._ts_tree_cursor_goto_next_sibling_wasm(h)) {
          visit();
          break;
        }
        if (!wasm._ts_tree_cursor_goto_parent_wasm(h)) return count + (sink & 0);
      }
    }
  } finally {
    wasm._ts_tree_cursor_delete_wasm(h);
  }
}

const phases = {
  'navigation only': () => trees.forEach((t) => walk(t, 0)),
  '+ type id': () => trees.forEach((t) => walk(t, 1)),
  '+ start': () => trees.forEach((t) => walk(t, 2)),
  '+ end': () => trees.forEach((t) => walk(t, 3)),
  '+ field id': () => trees.forEach((t) => walk(t, 4)),
  flattenTree: () => trees.forEach((t) => engine.flattenTree(t)),
};
const samples = Object.fromEntries(Object.keys(phases).map((k) => [k, []]));
for (let run = 0; run <= Number(options.runs); run++) {
  for (const [name, phase] of Object.entries(phases)) {
    const c = cpuMs();
    phase();
    if (run > 0) samples[name].push(cpuMs() - c);
  }
}

// Nodes inside numeric data tables: what skipping them would spare the walk.
let nodes = 0;
let inTables = 0;
for (const tree of trees) {
  const t = engine.flattenTree(tree);
  nodes += t.count;
  for (let n = 1; n <= t.count; n++) {
    if (t.type(n) !== 'initializer_list') continue;
    const elements = t.namedChildren(n);
    if (elements.length >= 64 && elements.every((e) => t.type(e) === 'number_literal' || t.type(e) === 'comment')) {
      inTables += t.after(n) - n;
      n = t.after(n) - 1;
    }
  }
}
for (const tree of trees) tree.delete();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const flat = median(samples.flattenTree);
console.log(
  `${target}: ${trees.length} C/C++ files, ${nodes} nodes, medians of ${options.runs} (CPU ms; load ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')})`,
);
for (const name of Object.keys(phases)) {
  const m = median(samples[name]);
  console.log(`  ${name.padEnd(16)} ${m.toFixed(0).padStart(6)}  ${((m / flat) * 100).toFixed(0).padStart(4)}% of flattenTree`);
}
console.log(`  nodes in numeric tables (64+ numbers): ${inTables} (${((inTables / nodes) * 100).toFixed(1)}%)`);
