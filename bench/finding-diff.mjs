#!/usr/bin/env node
// Whether two builds find the same things: every file of each DIR checked in process by each build (parseFile +
// runRules, as bench/scan-bench.mjs checks them), and every file whose result differs listed, with the
// findings only one side has. A result is its findings (rule, span, secret, message, severity, confidence,
// conditions), the facts it provides for the project and its notes. A speed change must leave them identical.
//
//   node bench/finding-diff.mjs --engine before=/work/wt-base --engine now=. [--preset strict|recommended|both]
//                               [--config FILE] [--exclude-from REPOS_JSON] DIR...
//
// Each file is checked under each preset (default both: recommended leaves out test code that is not a live
// secret and the strict-only rules, so a change that drops those findings passes a recommended-only diff).
// A preset is put first in the config's `extends`; each file is parsed once and its rules run per preset.
// Each build runs in its own process (its own tree-sitter module); --exclude-from applies bench/realcode's
// `exclude` globs to the checkouts named owner+name.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: options, positionals: dirs } = parseArgs({
  allowPositionals: true,
  options: {
    engine: { type: 'string', multiple: true },
    config: { type: 'string' },
    preset: { type: 'string', default: 'both' },
    'exclude-from': { type: 'string' },
    // Internal: one build's results into a file.
    worker: { type: 'string' },
    out: { type: 'string' },
  },
});

const PRESETS = ['recommended', 'strict'];
if (options.preset !== 'both' && !PRESETS.includes(options.preset)) {
  console.error(`--preset must be one of ${PRESETS.join(', ')} or both`);
  process.exit(2);
}
const presets = options.preset === 'both' ? PRESETS : [options.preset];

if (options.worker) {
  await worker(path.resolve(options.worker), options.out);
} else {
  if (options.engine?.length !== 2 || !dirs.length) {
    console.error('usage: finding-diff.mjs --engine A=TREE --engine B=TREE [--config FILE] [--exclude-from REPOS_JSON] DIR...');
    process.exit(2);
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'finding-diff-'));
  const results = options.engine.map((spec) => {
    const [label, tree] = spec.split('=');
    const out = path.join(tmp, `${label}.json`);
    const args = [fileURLToPath(import.meta.url), '--worker', tree, '--out', out, ...dirs];
    if (options.config) args.push('--config', options.config);
    args.push('--preset', options.preset);
    if (options['exclude-from']) args.push('--exclude-from', options['exclude-from']);
    const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (run.status !== 0) throw new Error(`${label} failed`);
    return { label, files: JSON.parse(readFileSync(out, 'utf8')) };
  });
  const [a, b] = results;
  let same = 0;
  let differ = 0;
  let findings = 0;
  const keys = new Set([...Object.keys(a.files), ...Object.keys(b.files)]);
  for (const key of keys) {
    const [x, y] = [a.files[key], b.files[key]];
    findings += x?.findings.length ?? 0;
    if (JSON.stringify(x) === JSON.stringify(y)) {
      same++;
      continue;
    }
    differ++;
    console.log(`DIFF ${key}`);
    const fx = new Set((x?.findings ?? []).map((f) => JSON.stringify(f)));
    const fy = new Set((y?.findings ?? []).map((f) => JSON.stringify(f)));
    for (const f of fx) if (!fy.has(f)) console.log(`  only ${a.label}: ${f}`);
    for (const f of fy) if (!fx.has(f)) console.log(`  only ${b.label}: ${f}`);
    if (JSON.stringify(x?.facts) !== JSON.stringify(y?.facts)) console.log(`  facts differ`);
    if (JSON.stringify(x?.notes) !== JSON.stringify(y?.notes))
      console.log(`  notes ${a.label}: ${JSON.stringify(x?.notes)}\n  notes ${b.label}: ${JSON.stringify(y?.notes)}`);
  }
  console.log(`${keys.size} file checks (${presets.join(' + ')}), ${findings} findings (${a.label}); ${same} identical, ${differ} differ`);
  process.exit(differ ? 1 : 0);
}

async function worker(tree, out) {
  const { build } = await import('esbuild');
  const { nodeBundleOptions } = await import(path.join(tree, 'scripts/bundle-options.mjs'));
  const bundle = path.join(here, '.build', `diff-${path.basename(tree)}.cjs`);
  await build({
    ...nodeBundleOptions,
    logLevel: 'silent',
    stdin: { contents: "export * from './bench/engine-entry';", resolveDir: tree, loader: 'ts' },
    outfile: bundle,
  });
  const engine = createRequire(import.meta.url)(bundle);
  const repos = options['exclude-from'] ? JSON.parse(readFileSync(options['exclude-from'], 'utf8')) : [];
  const files = {};
  for (const dir of dirs.map((d) => path.resolve(d))) {
    const repo = repos.find((r) => r.repo.replace('/', '+') === path.basename(dir));
    const base = options.config ? JSON.parse(readFileSync(path.resolve(options.config), 'utf8')) : {};
    // One configuration per preset, each in its own file (loadConfig reads a path): the preset first in
    // `extends`, the checkout's exclusions as its `ignore`.
    const configs = presets.map((preset) => {
      const configPath = path.join(os.tmpdir(), `finding-diff-${process.pid}-${preset}.json`);
      const extendsList = [`medsec:${preset}`, ...(base.extends ?? []).filter((e) => !e.startsWith('medsec:'))];
      const ignore = [...(base.ignore ?? []), ...(repo?.exclude ?? [])];
      writeFileSync(configPath, JSON.stringify({ ...base, extends: extendsList, ...(ignore.length ? { ignore } : {}) }));
      return { preset, config: engine.loadConfig(dir, configPath, { registry: engine.builtinRegistry }) };
    });
    // Both presets list the same files (ignore does not depend on the preset).
    const { files: found } = await engine.discoverFiles(dir, [dir], configs[0].config);
    for (const f of found) {
      const { text, invalidUtf8 } = engine.decodeSource(readFileSync(f.path));
      let parsed;
      for (const { preset, config } of configs) {
        const input = {
          path: f.path,
          relativePath: f.relativePath,
          text,
          language: f.language,
          invalidUtf8,
          testCode: config.testCodeFor(f.relativePath),
        };
        parsed ??= await engine.parseFile(input);
        const result = engine.runRules(input, parsed, config.rulesFor(f.relativePath));
        files[`${preset}:${path.basename(dir)}/${f.relativePath}`] = {
          findings: result.findings.map((x) => ({
            rule: x.ruleId,
            span: x.span,
            secret: x.secret,
            message: x.message,
            severity: x.severity,
            confidence: x.confidence,
            snippet: x.snippet,
            fixes: x.fixes,
            when: x.when,
            unless: x.unless,
            suppressed: x.suppressed,
            testCode: x.testCode,
          })),
          facts: result.facts,
          notes: result.notes,
          failures: result.ruleFailures,
        };
      }
      parsed.tree?.delete();
    }
  }
  writeFileSync(out, JSON.stringify(files));
}
