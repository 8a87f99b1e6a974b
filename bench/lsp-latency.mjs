#!/usr/bin/env node
// Language-server benchmark (issue 4): edit → diagnostics latency and resident memory, measured over LSP
// on the built server (node server/out/server.js --stdio), the way an editor sees it.
//
//   node scripts/build.mjs && node bench/lsp-latency.mjs [--edits 200] [--lines 300000] [--debounce 0]
//
// Latency: a generated 5,000-line C file and a 1,000-line TypeScript file; each edit inserts or deletes one
// character in a comment; the clock runs from sending didChange to receiving publishDiagnostics for that
// version. The debounce is set to --debounce (0 by default, reported) so the number is the server's work.
// First diagnostics: from didOpen of the 5,000-line C file to its diagnostics, once in the server just
// started and once more, for another such file, in the running server after the latency runs.
// Memory: RSS (medsec/stats) right after initialize, after the latency runs, after opening every file of a
// generated 300k-line workspace, and after closing them again. The server's own account of where a check's
// time goes (parse and model, rules, the slowest rules) is printed for each latency file.
// The server runs with MALLOC_ARENA_MAX=2, as the VS Code client starts it (client/src/server-environment.ts);
// MALLOC_ARENA_MAX in the bench's own environment overrides that (e.g. 16 for glibc's default on two cores).
// --gc starts the server with --expose-gc and collects garbage before each memory reading (live data only;
// not what an editor sees).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import lsp from 'vscode-languageserver-protocol/node';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : Number(args[i + 1]);
};
const EDITS = opt('--edits', 200);
const CORPUS_LINES = opt('--lines', 300000);
const DEBOUNCE = opt('--debounce', 0);
const GC = args.includes('--gc');

const workspace = mkdtempSync(path.join(tmpdir(), 'medsec-lsp-bench-'));
const MALLOC_ARENA_MAX = process.env.MALLOC_ARENA_MAX ?? '2';
const server = spawn(process.execPath, [...(GC ? ['--expose-gc'] : []), path.join(root, 'server/out/server.js'), '--stdio'], {
  stdio: ['pipe', 'pipe', 'inherit'],
  env: { ...process.env, MALLOC_ARENA_MAX },
});
const connection = lsp.createProtocolConnection(new lsp.StreamMessageReader(server.stdout), new lsp.StreamMessageWriter(server.stdin));
const waiting = new Map(); // `${uri}@${version}` -> resolve
connection.onNotification(lsp.PublishDiagnosticsNotification.type, ({ uri, version, diagnostics }) => {
  const key = `${uri}@${version}`;
  waiting.get(key)?.(diagnostics);
  waiting.delete(key);
});
connection.onRequest(lsp.ConfigurationRequest.type, (params) => params.items.map(() => ({ debounceMs: DEBOUNCE })));
connection.listen();
await connection.sendRequest(lsp.InitializeRequest.type, {
  processId: process.pid,
  rootUri: pathToFileURL(workspace).href,
  workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'bench' }],
  capabilities: { workspace: { configuration: true } },
});
await connection.sendNotification(lsp.InitializedNotification.type, {});
const stats = (params = {}) => connection.sendRequest('medsec/stats', { gc: GC, ...params });
const initial = await stats({ resetCosts: true });

const diagnosticsOf = (uri, version) => new Promise((resolve) => waiting.set(`${uri}@${version}`, resolve));

async function open(file, languageId, text) {
  const uri = pathToFileURL(file).href;
  const done = diagnosticsOf(uri, 1);
  const started = performance.now();
  await connection.sendNotification(lsp.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  return { uri, diagnostics: await done, ms: performance.now() - started };
}

async function measureEdits(file, languageId, text, commentLine, column) {
  const { uri, diagnostics, ms: openMs } = await open(file, languageId, text);
  const findings = diagnostics.length;
  const samples = [];
  let version = 1;
  for (let i = 0; i < EDITS + 10; i++) {
    version++;
    const at = { line: commentLine, character: column };
    const change =
      i % 2 === 0
        ? { range: { start: at, end: at }, text: 'x' }
        : { range: { start: at, end: { line: commentLine, character: column + 1 } }, text: '' };
    const done = diagnosticsOf(uri, version);
    const started = performance.now();
    await connection.sendNotification(lsp.DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [change],
    });
    const result = await done;
    if (i >= 10) samples.push(performance.now() - started); // the first edits warm the JIT
    if (result.length !== findings) throw new Error(`finding count changed after edit ${i}: ${result.length} != ${findings}`);
  }
  await connection.sendNotification(lsp.DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  const { costs } = await stats({ resetCosts: true });
  samples.sort((a, b) => a - b);
  const pct = (p) => samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))];
  return { lines: text.split('\n').length - 1, findings, openMs, p50: pct(50), p95: pct(95), max: samples.at(-1), costs };
}

function cFile(lines) {
  const out = ['#include <mbedtls/ssl.h>', '/* bench comment: */', ''];
  const tail = 5;
  let i = 0;
  while (out.length + 9 + tail <= lines) {
    out.push(
      `static int pump_step_${i}(int rate, int volume)`,
      '{',
      `    int limit = rate * ${(i % 7) + 1};`,
      '    if (volume > limit) {',
      '        return limit;',
      '    }',
      '    return volume + rate;',
      '}',
      '',
    );
    i++;
  }
  while (out.length + tail < lines) out.push('');
  // The file must parse and end with its finding: a truncated tail would measure error recovery instead.
  out.push(
    'void setup(mbedtls_ssl_config *conf)',
    '{',
    '    mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);',
    '    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_NONE);',
    '}',
  );
  return out.join('\n') + '\n';
}

function tsFile(lines) {
  const out = ["import { createHash } from 'crypto';", '/* bench comment: */', ''];
  const tail = 3;
  let i = 0;
  while (out.length + 5 + tail <= lines) {
    out.push(
      `export function doseStep${i}(rate: number, volume: number): number {`,
      `  const limit = rate * ${(i % 7) + 1};`,
      '  return volume > limit ? limit : volume + rate;',
      '}',
      '',
    );
    i++;
  }
  while (out.length + tail < lines) out.push('');
  out.push('export function digest(b: Buffer): string {', "  return createHash('md5').update(b).digest('hex');", '}');
  return out.join('\n') + '\n';
}

const c = await measureEdits(path.join(workspace, 'pump.c'), 'c', cFile(5000), 1, 17);
const ts = await measureEdits(path.join(workspace, 'app.ts'), 'typescript', tsFile(1000), 1, 17);
const afterLatency = await stats();
// First diagnostics for a 5,000-line C file opened in the running server (nothing else open).
const reopened = await open(path.join(workspace, 'pump2.c'), 'c', cFile(5000).replace('pump_step_', 'dose_step_'));
await connection.sendNotification(lsp.DidCloseTextDocumentNotification.type, { textDocument: { uri: reopened.uri } });

// Memory on a 300k-line workspace.
const corpus = path.join(workspace, 'corpus');
execFileSync(process.execPath, [path.join(here, 'gen-corpus.mjs'), '--lines', String(CORPUS_LINES), '--out', corpus], { stdio: 'ignore' });
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (!name.startsWith('.gen')) files.push(full);
  }
};
walk(corpus);
const languageOf = (file) =>
  ({
    '.c': 'c',
    '.cpp': 'cpp',
    '.py': 'python',
    '.java': 'java',
    '.kt': 'kotlin',
    '.ts': 'typescript',
    '.js': 'javascript',
  })[path.extname(file)] ?? 'plaintext';
let corpusLines = 0;
const opened = [];
const openStarted = performance.now();
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  corpusLines += text.split('\n').length - 1;
  opened.push((await open(file, languageOf(file), text)).uri);
}
const openMs = performance.now() - openStarted;
const afterOpen = await stats();
for (const uri of opened) await connection.sendNotification(lsp.DidCloseTextDocumentNotification.type, { textDocument: { uri } });
// The server replaces its document worker 2 s after the last document closes (lsp/document-checker.ts).
await new Promise((resolve) => setTimeout(resolve, 3000));
const afterClose = await stats();

const mb = (bytes) => `${(bytes / 1048576).toFixed(0)} MB`;
const ms = (value) => `${value.toFixed(2)} ms`;
console.log(`\nmedsec language server: edit → diagnostics (debounce ${DEBOUNCE} ms, ${EDITS} one-character edits each)\n`);
console.log('| file | lines | p50 | p95 | max | target p95 |');
console.log('|---|---|---|---|---|---|');
console.log(`| C | ${c.lines} | ${ms(c.p50)} | ${ms(c.p95)} | ${ms(c.max)} | < 20 ms ${c.p95 < 20 ? 'ok' : 'MISSED'} |`);
console.log(`| TypeScript | ${ts.lines} | ${ms(ts.p50)} | ${ms(ts.p95)} | ${ms(ts.max)} | < 100 ms ${ts.p95 < 100 ? 'ok' : 'MISSED'} |`);
console.log(
  `\nfirst diagnostics after opening the 5,000-line C file: ${ms(c.openMs)} in a server just started, ` +
    `${ms(reopened.ms)} in the running server (target 500 ms ${Math.max(c.openMs, reopened.ms) <= 500 ? 'ok' : 'MISSED'})`,
);
console.log("\nwhere a check's time goes (server side, mean per check; parse includes building the code model)\n");
console.log('| file | findings | checks | parse + model | rules | whole check | slowest rules (mean ms) |');
console.log('|---|---|---|---|---|---|---|');
for (const [name, run] of [
  ['C', c],
  ['TypeScript', ts],
]) {
  const k = run.costs;
  const slowest = k.rules
    .slice(0, 5)
    .map((r) => `${r.ruleId} ${r.meanMs.toFixed(2)}`)
    .join(', ');
  console.log(`| ${name} | ${run.findings} | ${k.checks} | ${ms(k.parseMs)} | ${ms(k.rulesMs)} | ${ms(k.totalMs)} | ${slowest} |`);
}
console.log(
  `\nmemory${GC ? ' (after a full garbage collection)' : ''} (V8 heap growing ${initial.heapGrowingPercent ?? '?'}%, ` +
    `MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX}) ` +
    `on a generated workspace: ${files.length} files, ${corpusLines} lines (opened one by one in ${(openMs / 1000).toFixed(1)} s)\n`,
);
console.log('| moment | RSS | heap used | document worker: heap used / array buffers | open documents | trees |');
console.log('|---|---|---|---|---|---|');
const worker = (s) => (s.worker ? `${mb(s.worker.heapUsed)} / ${mb(s.worker.arrayBuffers)}` : 'not running');
for (const [moment, s] of [
  ['after initialize', initial],
  ['after the latency runs', afterLatency],
  ['all files open', afterOpen],
  ['all closed again', afterClose],
]) {
  console.log(`| ${moment} | ${mb(s.rss)} | ${mb(s.heapUsed)} | ${worker(s)} | ${s.openDocuments} | ${s.trees} |`);
}
console.log(`\ntarget: under 300 MB on a 300k-line workspace: ${afterOpen.rss < 300 * 1048576 ? 'ok' : 'MISSED'}`);

await connection.sendRequest(lsp.ShutdownRequest.type);
await connection.sendNotification(lsp.ExitNotification.type);
connection.dispose();
server.kill();
rmSync(workspace, { recursive: true, force: true });
