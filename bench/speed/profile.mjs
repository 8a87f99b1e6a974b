#!/usr/bin/env node
// Where a scan's CPU time goes, from a V8 CPU profile of the bundled CLI, mapped back to the sources through
// the bundle's source map: by phase (parse, model, flow, rules, ...), per rule (inclusive), and the
// functions with the most self time. Phase 2 of issue 15 starts from these figures.
//
//   (cd DIR && node --cpu-prof --cpu-prof-dir=/tmp/prof $MEDSEC/bin/medsec.js scan . --no-cache --jobs 1 --format json --output /dev/null)
//   node bench/speed/profile.mjs /tmp/prof/*.cpuprofile [--top 25]
//
// Scan from inside DIR: `medsec scan bench/.corpora/X` run from the repository's root chooses that root, where
// .gitignore ignores bench/.corpora, so the scan checks no file and ends in a second or two (check the JSON
// report's summary.filesScanned). The benchmarks (speed/run.mjs, cli-gap.mjs, workers-bench.mjs) scan `.` in DIR.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const maps = new Map();
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

/** The source file and function of a frame: through the bundle's source map when it has one. */
function origin(frame) {
  const url = frame.url.replace(/^file:\/\//, '');
  if (!url.endsWith('.js') || !url.includes('/dist/'))
    return { file: url || `(${frame.functionName || 'native'})`, name: frame.functionName };
  let map = maps.get(url);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${url}.map`, 'utf8')));
    } catch {
      map = null;
    }
    maps.set(url, map);
  }
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
  const file = entry?.originalSource ? entry.originalSource.replace(/^.*?\/(server|rules|shared|node_modules)\//, '$1/') : url;
  return { file, name: frame.functionName };
}

const originOf = new Map();
const at = (id) => originOf.get(id) ?? originOf.set(id, origin(nodes.get(id).callFrame)).get(id);

function phaseOf(file, name) {
  if (name === '(garbage collector)') return 'garbage collection';
  if (name === '(idle)' || name === '(program)') return 'idle / VM';
  if (/^\((openFileHandle|fstat|read|close|readFileUtf8|realpath|open|lstat|stat)\)$/.test(file)) return 'file I/O';
  if (/^\(RegExp: /.test(file)) return 'regular expressions';
  if (/node_modules\/(ajv|fast-uri|@sinclair)/.test(file)) return 'config schema (ajv)';
  if (/web-tree-sitter|wasm/.test(file) || /^wasm-function/.test(name)) return 'tree-sitter parse';
  if (/typescript|typescript-estree/.test(file)) return 'TypeScript parse';
  if (file.startsWith('rules/')) return 'rules';
  if (/core\/model\//.test(file)) return 'model';
  if (/core\/flow\//.test(file)) return 'flow';
  if (/core\/(discover|config)|node_modules\/ignore|picomatch/.test(file)) return 'discovery and config';
  if (/core\/(check|suppressions|redact|text)/.test(file)) return 'check (findings, suppressions, text)';
  if (/^node:|internal\//.test(file)) return 'Node (I/O, modules)';
  return 'other';
}

const self = new Map();
const phases = new Map();
const rules = new Map();
const otherFiles = new Map();
let total = 0;
const add = (map, key, value) => map.set(key, (map.get(key) ?? 0) + value);
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  const { file, name } = at(id);
  add(self, `${name || '(anonymous)'}  ${file}`, dt);
  add(phases, phaseOf(file, name), dt);
  if (process.env.PROFILE_OTHER && phaseOf(file, name) === process.env.PROFILE_OTHER) add(otherFiles, file, dt);
  // Inclusive per rule: the innermost rules/<id>/ frame on the stack (rules/_shared counts for its caller).
  for (let node = id; node !== undefined; node = parents.get(node)) {
    const match = /^rules\/([a-z0-9-]+)\//.exec(at(node).file);
    if (match && match[1] !== '_shared') {
      add(rules, match[1], dt);
      break;
    }
  }
});

const ms = (us) => (us / 1000).toFixed(0).padStart(7);
const pct = (us) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
const print = (title, map, top = Infinity) => {
  console.log(`\n${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(us)} ms ${pct(us)}  ${key}`);
};
console.log(`${path.basename(positionals[0])}: ${(total / 1e6).toFixed(1)} s sampled`);
print('by phase (self time)', phases);
print('by rule (inclusive; model and flow built lazily for a rule count for it)', rules);
print(`top ${values.top} functions (self time)`, self, Number(values.top));
if (process.env.PROFILE_OTHER) print(`files in ${process.env.PROFILE_OTHER}`, otherFiles, 20);
