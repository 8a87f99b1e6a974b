// Bundles medsec with esbuild and copies the files the bundles load at run time (WASM grammars, the
// config schema) next to them. Usage: node scripts/build.mjs
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBundleOptions } from './bundle-options.mjs';
import { LAZY_GROUPS, lazyEntry, lazyModulesPlugin } from './lazy-modules.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

/**
 * Optional plug-ins of @cyclonedx/cyclonedx-library (XML output, schema validation), required lazily and
 * never used by `medsec inventory` (JSON CBOM only): left out of the bundle rather than installed.
 */
const OPTIONAL_CYCLONEDX_PLUGINS = ['xmlbuilder2', 'libxmljs2', 'ajv-formats', 'ajv-formats-draft2019'];

/**
 * Every bundle medsec ships. The language server (server/src/lsp → server/out/server.js) and the VS Code
 * client (client/src/extension.ts → client/out/extension.js, with `external: ['vscode']`) go here.
 */
const bundles = [
  // The CLI loads its large, rarely used dependencies from dist/lazy/ (scripts/lazy-modules.mjs).
  { entryPoint: 'server/src/cli/main.ts', outfile: 'dist/cli.js', external: OPTIONAL_CYCLONEDX_PLUGINS, lazy: true },
  // The warm re-scan (server/src/cli/warm.ts): what bin/medsec.js tries first for `scan`, without the engine.
  { entryPoint: 'server/src/cli/warm.ts', outfile: 'dist/warm.js', external: [] },
  // The scan worker threads (server/src/core/pool, entered through server/src/scan-worker.ts): located next
  // to the bundle that scans, at run time.
  { entryPoint: 'server/src/scan-worker.ts', outfile: 'dist/scan-worker.js', external: [], lazy: true },
  ...Object.keys(LAZY_GROUPS).map((group) => ({
    stdin: { contents: lazyEntry(group), resolveDir: root, loader: 'js' },
    outfile: `dist/lazy/${group}.js`,
    external: OPTIONAL_CYCLONEDX_PLUGINS,
  })),
  { entryPoint: 'client/src/extension.ts', outfile: 'client/out/extension.js', external: ['vscode'] },
  // The language server's bundles load the same lazy/ bundles (copied to server/out/lazy/): each of its
  // threads holds a bundle's source and compiled code, and TypeScript's was most of every thread's memory.
  { entryPoint: 'server/src/lsp/server.ts', outfile: 'server/out/server.js', external: [], lazy: true },
  { entryPoint: 'server/src/scan-worker.ts', outfile: 'server/out/scan-worker.js', external: [], lazy: true },
  // The language server checks open documents on this thread, so its own event loop stays responsive.
  { entryPoint: 'server/src/lsp/document-worker.ts', outfile: 'server/out/document-worker.js', external: [], lazy: true },
];

/** Grammars that web-tree-sitter loads at run time, copied into dist/grammars/. */
const wasmFiles = [
  'web-tree-sitter/web-tree-sitter.wasm',
  'tree-sitter-c/tree-sitter-c.wasm',
  'tree-sitter-cpp/tree-sitter-cpp.wasm',
  'tree-sitter-python/tree-sitter-python.wasm',
  'tree-sitter-java/tree-sitter-java.wasm',
  '@tree-sitter-grammars/tree-sitter-kotlin/tree-sitter-kotlin.wasm',
  'tree-sitter-bash/tree-sitter-bash.wasm',
];

/**
 * What a build is made of: the sources, the lockfile (dependencies and grammars) and this script. Its hash
 * is the build id (`__MEDSEC_BUILD_ID__`), which keys the result cache: results of one build are never
 * served by another, even of the same version.
 */
const BUILD_INPUTS = [
  'server/src',
  'rules',
  'shared',
  'schema',
  'package.json',
  'package-lock.json',
  'scripts/build.mjs',
  'scripts/bundle-options.mjs',
  'scripts/lazy-modules.mjs',
];

function buildId() {
  const hash = createHash('sha256');
  const add = (relative) => {
    const absolute = join(root, relative);
    if (statSync(absolute).isDirectory()) {
      for (const name of readdirSync(absolute).sort()) add(`${relative}/${name}`);
    } else hash.update(`${relative}\0`).update(readFileSync(absolute)).update('\0');
  };
  BUILD_INPUTS.forEach(add);
  return hash.digest('hex').slice(0, 16);
}

const started = Date.now();
const define = { ...nodeBundleOptions.define, __MEDSEC_BUILD_ID__: JSON.stringify(buildId()) };
await Promise.all(
  bundles.map(({ entryPoint, stdin, outfile, external, lazy }) =>
    build({
      ...nodeBundleOptions,
      absWorkingDir: root,
      ...(stdin ? { stdin } : { entryPoints: [entryPoint] }),
      outfile,
      sourcemap: true,
      external,
      define,
      plugins: lazy ? [lazyModulesPlugin(root)] : [],
    }),
  ),
);

/**
 * V8 keeps a script's whole source in memory while it runs, at one byte per character only if every
 * character is Latin-1. esbuild escapes non-ASCII in strings but not in comments or regular expression
 * literals, and one arrow in a comment doubled the language server's 16 MB source to 31 MB of heap.
 * A \uXXXX escape means the same character in strings, templates, regular expressions and identifiers.
 */
for (const { outfile } of bundles) {
  const file = join(root, outfile);
  const text = readFileSync(file, 'utf8');
  // An odd run of backslashes before the character already escapes it (`\•` is `•`): that backslash starts the \u.
  const escape = (_, slashes, ch) => `${slashes.slice(slashes.length % 2)}\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  if (/[^\x00-\x7f]/.test(text)) writeFileSync(file, text.replace(/(\\*)([^\x00-\x7f])/g, escape));
}

// Each bundle that parses finds its grammars in grammars/ next to itself: the CLI and the language server.
for (const grammarDir of ['dist/grammars', 'server/out/grammars']) {
  mkdirSync(join(root, grammarDir), { recursive: true });
  for (const file of wasmFiles) copyFileSync(require.resolve(file), join(root, grammarDir, file.split('/').pop()));
}
mkdirSync(join(root, 'server/out/lazy'), { recursive: true });
for (const group of Object.keys(LAZY_GROUPS)) {
  for (const suffix of ['.js', '.js.map'])
    copyFileSync(join(root, `dist/lazy/${group}${suffix}`), join(root, `server/out/lazy/${group}${suffix}`));
}
copyFileSync(join(root, 'schema/medsec.schema.json'), join(root, 'dist/medsec.schema.json'));

console.log(`built ${bundles.map((bundle) => bundle.outfile).join(', ')} and ${wasmFiles.length} grammars in ${Date.now() - started} ms`);
