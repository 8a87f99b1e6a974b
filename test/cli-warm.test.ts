/**
 * The warm re-scan (server/src/cli/warm.ts): an unchanged whole-tree `medsec scan` replays the scan index
 * kept in the result cache, without loading the full CLI (the engine, the rules, the grammars), and says
 * exactly what a cold scan says. Any change it rested on (a file, a deleted file, the configuration, a Kconfig
 * setting that is a project fact, another medsec build) sends the scan down the full path, whose output
 * again equals a cold scan's. A file changed within 2 s of a scan has no trusted stamp (core/file-stamp.ts),
 * so these tests wait that out before a scan whose index they mean to replay.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempProject } from './helpers/project';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'medsec.js');

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'warm.js'))) throw new Error('dist/warm.js is missing: run `node scripts/build.mjs` first');
});

const project = useTempProject('cli-warm');

const OTA = `#include "esp_ota_ops.h"
esp_err_t install_update(const esp_partition_t *part) {
    return esp_ota_set_boot_partition(part);
}
`;
const SECRET = 'static const char *wifi_password = "Vk8#mq2Lz9!pT4";\nint ready;\n';

/** An ESP-IDF product whose update path is answered, or not, by its sdkconfig (a project fact), and a secret. */
function writeTree(): void {
  fs.mkdirSync(path.join(project.dir, '.git'));
  project.write(
    'CMakeLists.txt',
    'cmake_minimum_required(VERSION 3.16)\ninclude($ENV{IDF_PATH}/tools/cmake/project.cmake)\nproject(pump)\n',
  );
  project.write('main/CMakeLists.txt', 'idf_component_register(SRCS "ota.c" "wifi.c")\n');
  project.write('main/ota.c', OTA);
  project.write('main/wifi.c', SECRET);
  project.write('sdkconfig', 'CONFIG_BOOTLOADER_APP_ANTI_ROLLBACK=n\n');
}

/** Waits out the 2 s in which a just-written file's stamp is not trusted. */
function settle(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2_100);
}

/** Runs medsec; `full` says whether it loaded the full CLI (dist/cli.js) rather than answering from the index. */
function medsec(...args: string[]): { status: number | null; stdout: string; stderr: string; full: boolean } {
  const hook = path.join(project.dir, '..', `${path.basename(project.dir)}-hook.cjs`);
  fs.writeFileSync(
    hook,
    [
      "const Module = require('module');",
      'const load = Module._load;',
      "Module._load = function (request, ...rest) { if (/[\\\\/]dist[\\\\/]cli\\.js$/.test(request)) process.stderr.write('FULL CLI\\n');",
      '  return load.call(this, request, ...rest); };',
    ].join('\n'),
  );
  try {
    const run = spawnSync(process.execPath, ['--require', hook, BIN, ...args], { cwd: project.dir, encoding: 'utf8' });
    return {
      status: run.status,
      stdout: run.stdout,
      stderr: run.stderr.replace('FULL CLI\n', ''),
      full: run.stderr.includes('FULL CLI\n'),
    };
  } finally {
    fs.rmSync(hook, { force: true });
  }
}

/** The JSON report without its duration, which differs run to run. */
function report(run: { stdout: string }): unknown {
  const parsed = JSON.parse(run.stdout) as { summary: { durationMs: number } };
  parsed.summary.durationMs = 0;
  return parsed;
}

const scanJson = (...args: string[]) => medsec('scan', '--format', 'json', '--fail-on', 'none', ...args);

/** A warm scan's report, which must equal a cold (--no-cache) scan's, and whether it came from the index. */
function warmEqualsCold(): boolean {
  const warm = scanJson();
  expect(warm.stderr).toBe('');
  const cold = scanJson('--no-cache');
  expect(report(warm)).toEqual(report(cold));
  return !warm.full;
}

const cacheFolder = () => path.join(project.dir, '.medsec-cache');

/**
 * Nothing here measures time: each test runs the CLI four to nine times, and what it checks is which path each
 * run took (the index or the full CLI) and what it reported. Under a full test run on a loaded machine one
 * full CLI run can take ten seconds, so the bound is only a guard against a hang.
 */
const HANG_GUARD_MS = 300_000;

describe('the warm re-scan', { timeout: HANG_GUARD_MS }, () => {
  it('is a small bundle without the engine, the rules, the grammars, the config validator or TypeScript', () => {
    const bundle = fs.readFileSync(path.join(ROOT, 'dist', 'warm.js'), 'utf8');
    expect(bundle.length).toBeLessThan(400_000);
    // esbuild heads each bundled module with a `// path` comment.
    const modules = [...bundle.matchAll(/^\/\/ ((?:server|rules|shared|node_modules)\/\S+)$/gm)].map((match) => match[1]);
    expect(modules).toContain('server/src/cli/warm.ts');
    const heavy =
      /^(?:rules\/|server\/src\/core\/(?:(?:check|config|scan|discover)\.ts|model\/|flow\/|parse\/)|node_modules\/(?:web-tree-sitter|ajv|typescript)\/)/;
    expect(modules.filter((module) => heavy.test(module))).toEqual([]);
  });

  it('replays an unchanged scan without the full CLI, in JSON and text, exactly as a cold scan reports it', () => {
    writeTree();
    settle();
    const primed = scanJson();
    expect(primed.full).toBe(true);
    expect(warmEqualsCold()).toBe(true);
    const text = (run: { stdout: string }) => run.stdout.replace(/ in \d+\.\d s\./, '');
    const warmText = medsec('scan', '--fail-on', 'none');
    expect(warmText.full).toBe(false);
    expect(text(warmText)).toBe(text(medsec('scan', '--fail-on', 'none', '--no-cache')));
    // The exit code follows --fail-on as in a full scan.
    expect(medsec('scan', '--format', 'json', '--fail-on', 'high')).toMatchObject({ status: 1, full: false });
    // --output replaces a report, never a file the scan read.
    const output = path.join(project.dir, '..', `${path.basename(project.dir)}-report.json`);
    fs.writeFileSync(output, '{}');
    try {
      expect(medsec('scan', '--format', 'json', '--fail-on', 'none', '--output', output)).toMatchObject({ status: 0, full: false });
      expect(report({ stdout: fs.readFileSync(output, 'utf8') })).toEqual(report(scanJson('--no-cache')));
    } finally {
      fs.rmSync(output, { force: true });
    }
    const refused = medsec('scan', '--format', 'json', '--fail-on', 'none', '--output', 'main/wifi.c');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--output main\/wifi\.c is a file this command reads/);
    expect(fs.readFileSync(path.join(project.dir, 'main', 'wifi.c'), 'utf8')).toBe(SECRET);
  });

  it('scans again, as a cold scan would, after a file changes or is deleted', () => {
    writeTree();
    settle();
    scanJson();
    project.write('main/wifi.c', SECRET.replace('Vk8#mq2Lz9!pT4', 'Qw3$zx7Nb1?rY6'));
    expect(warmEqualsCold()).toBe(false);
    settle();
    scanJson();
    fs.rmSync(path.join(project.dir, 'main', 'wifi.c'));
    expect(warmEqualsCold()).toBe(false);
    settle();
    scanJson();
    expect(warmEqualsCold()).toBe(true);
  });

  it('replays a scan made right after an edit by the hash of the edited bytes, and never replays other bytes', () => {
    writeTree();
    settle();
    scanJson();
    // Changed within 2 s of the scan: no stamp to trust, so the index keeps the hash of the bytes it checked.
    project.write('main/wifi.c', SECRET.replace('Vk8#mq2Lz9!pT4', 'Qw3$zx7Nb1?rY6'));
    expect(warmEqualsCold()).toBe(false);
    expect(warmEqualsCold()).toBe(true);
    const refused = medsec('scan', '--format', 'json', '--fail-on', 'none', '--output', 'main/wifi.c');
    expect(refused.stderr).toMatch(/--output main\/wifi\.c is a file this command reads/);
    // Other bytes of the same size: the hash tells.
    project.write('main/wifi.c', SECRET.replace('Vk8#mq2Lz9!pT4', 'Zx5%cv8Bn2&mQ1'));
    expect(warmEqualsCold()).toBe(false);
  });

  it('scans again after the configuration changes', () => {
    writeTree();
    project.write('.medsec.json', '{ "extends": ["medsec:recommended"] }');
    settle();
    scanJson();
    expect(warmEqualsCold()).toBe(true);
    project.write('.medsec.json', '{ "extends": ["medsec:recommended"], "rules": { "hardcoded-credential": "medium" } }');
    expect(warmEqualsCold()).toBe(false);
    expect((report(scanJson()) as { findings: { severity: string }[] }).findings.map((f) => f.severity)).toContain('medium');
  });

  it('scans again when a Kconfig setting that answers another file (a project fact) changes', () => {
    writeTree();
    settle();
    scanJson();
    const rollback = () =>
      (report(scanJson()) as { findings: { ruleId: string }[] }).findings.filter((f) => f.ruleId === 'update-rollback-allowed');
    expect(rollback()).toHaveLength(1);
    project.write('sdkconfig', 'CONFIG_BOOTLOADER_APP_ANTI_ROLLBACK=y\nCONFIG_BOOTLOADER_APP_SECURE_VERSION=3\n');
    expect(warmEqualsCold()).toBe(false);
    expect(rollback()).toHaveLength(0);
  });

  it('scans again when a symbolic link is pointed elsewhere, though every listing stays the same', () => {
    writeTree();
    project.write('vendor/secret.c', SECRET);
    project.write('vendor/plain.c', 'int plain;\n');
    fs.symlinkSync(path.join('..', 'vendor', 'plain.c'), path.join(project.dir, 'main', 'linked.c'));
    settle();
    scanJson();
    expect(warmEqualsCold()).toBe(true);
    fs.rmSync(path.join(project.dir, 'main', 'linked.c'));
    fs.symlinkSync(path.join('..', 'vendor', 'secret.c'), path.join(project.dir, 'main', 'linked.c'));
    expect(warmEqualsCold()).toBe(false);
  });

  it("never replays another build's index, and removes other builds' caches when it writes its own", () => {
    writeTree();
    settle();
    scanJson();
    const [name] = fs.readdirSync(cacheFolder()).filter((file) => file.endsWith('.cache'));
    const other = path.join(cacheFolder(), '0.0.1_another.cache');
    fs.writeFileSync(other, fs.readFileSync(path.join(cacheFolder(), name), 'utf8').replace(/"build":"[^"]*"/, '"build":"0.0.1+another"'));
    fs.rmSync(path.join(cacheFolder(), name));
    fs.writeFileSync(path.join(cacheFolder(), 'notes.cache'), 'not a medsec cache\n');
    expect(warmEqualsCold()).toBe(false);
    expect(fs.readdirSync(cacheFolder()).sort()).toEqual(['.gitignore', name, 'notes.cache']);
  });

  it('reads nothing from the cache with --no-cache, and leaves shards and changed-file scans to the full CLI', () => {
    writeTree();
    settle();
    scanJson();
    expect(scanJson('--no-cache').full).toBe(true);
    expect(scanJson('--shard', '1/1').full).toBe(true);
    expect(scanJson('main/ota.c').full).toBe(true);
    expect(medsec('scan', '--format', 'sarif', '--fail-on', 'none').full).toBe(true);
  });
});
