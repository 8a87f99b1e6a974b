/**
 * The worker pool (server/src/core/pool): results from worker threads equal in-process results, a worker
 * crash costs one file, and what crosses the thread boundary is plain data.
 * The CLI tests need the bundles (dist/cli.js, dist/scan-worker.js): `npm test` builds them first.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkFile } from '../server/src/core/check';
import { loadConfig } from '../server/src/core/config';
import { discoverFiles, ruleReads } from '../server/src/core/discover';
import { ruleSetSignature } from '../server/src/core/pool/protocol';
import { checkInWorkers, WorkerStartupError } from '../server/src/core/pool/scan-pool';
import { WorkerProgress } from '../server/src/core/pool/worker-progress';
import { scan } from '../server/src/core/scan';
import { decodeSource } from '../server/src/core/text';
import { cArithmeticChain } from './helpers/hostile-source';
import { useTempProject } from './helpers/project';
import { BUILTIN } from './helpers/registry';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'medsec.js');
const WORKER = path.join(ROOT, 'dist', 'scan-worker.js');

beforeAll(() => {
  if (!fs.existsSync(WORKER))
    throw new Error('dist/scan-worker.js is missing: run `node scripts/build.mjs` (npm test does) before the pool tests');
});

const project = useTempProject('pool');

/** 36 files in six languages, most with findings (a masked secret, a cleartext URL, a weak hash, a suppression), and the .medsec.json. */
function writeProject(): void {
  // Strict, so the workers run the audit rules too (weak-hash among them).
  project.write('.medsec.json', '{ "extends": ["medsec:strict"] }\n');
  for (let i = 0; i < 6; i++) {
    project.write(
      `fw/net_${i}.c`,
      `#include <string.h>\nstatic const char *wifi_password = "PumpNet${i}Secret!";\nconst char *url = "http://pump${i}.example.com/api";\n`,
    );
    project.write(
      `fw/ota_${i}.cpp`,
      `// medsec-ignore-next-line hardcoded-credential -- factory test fixture ${i}\nconst char *api_token = "tok_${i}_abcdefghijk";\nint f${i}() { return ${i}; }\n`,
    );
    project.write(`tools/prov_${i}.py`, `import hashlib\nh = hashlib.md5(b"x${i}").hexdigest()\nAPI_KEY = "k${i}-ZXhhbXBsZS1rZXk"\n`);
    project.write(
      `app/client_${i}.ts`,
      `const password = "App${i}Secret!";\nfetch("http://device${i}.local/status");\nexport const n${i} = ${i};\n`,
    );
    project.write(`android/Sync${i}.java`, `class Sync${i} { String url = "http://sync${i}.example.com"; }\n`);
    project.write(`android/Util${i}.kt`, `val password = "Kt${i}Secret!"\n`);
  }
}

function medsec(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: project.dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The JSON report without what legitimately differs between runs (the duration). */
function report(stdout: string): Record<string, unknown> {
  const json = JSON.parse(stdout) as { summary: { durationMs?: number } };
  delete json.summary.durationMs;
  return json;
}

describe('medsec scan --jobs', () => {
  it('gives the same JSON report with 2 workers as in-process', () => {
    writeProject();
    const single = medsec(['scan', '--jobs', '1', '--format', 'json']);
    const pooled = medsec(['scan', '--jobs', '2', '--format', 'json']);
    expect(single.stderr).toBe('');
    expect(pooled.stderr).toBe('');
    expect(pooled.status).toBe(single.status);
    const expected = report(single.stdout) as { findings: unknown[]; summary: { filesScanned: number } };
    expect(expected.summary.filesScanned).toBe(37);
    expect(expected.findings.length).toBeGreaterThan(30);
    expect(report(pooled.stdout)).toEqual(expected);
  }, 90_000);

  it('reports a file whose worker crashed as not analysed and still scans all the others', () => {
    writeProject();
    const crashOn = 'fw/net_3.c';
    const single = report(medsec(['scan', '--jobs', '1', '--format', 'json']).stdout) as { findings: { path: string }[] };
    const crashed = medsec(['scan', '--jobs', '2', '--format', 'json'], { MEDSEC_TEST_HOOKS: '1', MEDSEC_TEST_CRASH_ON: crashOn });
    expect(crashed.stderr).toBe('');
    expect(crashed.status).toBe(1); // the other files' findings still fail the build
    const json = report(crashed.stdout) as {
      findings: { path: string }[];
      notes: { path: string; message: string }[];
      summary: { filesScanned: number };
    };
    expect(json.summary.filesScanned).toBe(37);
    expect(json.notes).toEqual([
      {
        path: crashOn,
        message: expect.stringMatching(
          /^could not be analysed: the scan worker crashed on this file \(.*\); the other files were scanned$/,
        ),
      },
    ]);
    expect(json.findings).toEqual(single.findings.filter((finding) => finding.path !== crashOn));
  }, 90_000);

  it('ignores the crash and hang hooks unless MEDSEC_TEST_HOOKS=1', () => {
    writeProject();
    const env = { MEDSEC_TEST_CRASH_ON: 'fw/net_3.c', MEDSEC_TEST_HANG_ON: 'fw/net_4.c' };
    const json = report(medsec(['scan', '--jobs', '2', '--format', 'json'], env).stdout) as { notes: unknown[] };
    expect(json.notes).toEqual([]);
  }, 60_000);

  it('stops a worker stuck building a code model (its watchdog), reports that file and still writes every other result', () => {
    writeProject();
    project.write('.medsec.json', JSON.stringify({ extends: ['medsec:strict'], fileBudgetMs: 200 }));
    const hangOn = 'fw/ota_2.cpp';
    const singleStarted = Date.now();
    const single = report(medsec(['scan', '--jobs', '1', '--format', 'json']).stdout) as { findings: { path: string }[] };
    const singleMs = Date.now() - singleStarted;
    const started = Date.now();
    const stuck = medsec(['scan', '--jobs', '2', '--format', 'json', '--output', 'report.json'], {
      MEDSEC_TEST_HOOKS: '1',
      MEDSEC_TEST_HANG_ON: hangOn,
    });
    // Without the watchdog the scan never ends. With it, the scan takes what the same scan without the hang took
    // (timed just before, so a loaded machine slows both), its pool's start, and the hard stop (3 × 200 ms + 1 s)
    // and a second more at the ceiling (4 × the hard stop): a bound relative to the baseline, not a flat 45 s.
    expect(Date.now() - started).toBeLessThan(3 * singleMs + 4 * 1_600 + 1_000);
    expect(stuck.stderr).toBe('');
    expect(stuck.status).toBe(1);
    const json = report(fs.readFileSync(path.join(project.dir, 'report.json'), 'utf8')) as {
      findings: { path: string }[];
      notes: { path: string; message: string }[];
      summary: { filesScanned: number };
    };
    expect(json.summary.filesScanned).toBe(37);
    expect(json.notes).toEqual([
      {
        path: hangOn,
        message:
          'not analysed: it exceeded the 200 ms per-file budget while building the code model, and its check was stopped; raise fileBudgetMs in .medsec.json to analyse it',
      },
    ]);
    expect(json.findings).toEqual(single.findings.filter((finding) => finding.path !== hangOn));
  }, 90_000);

  it('reports a hostile input over its budget in a worker as not analysed, and scans the others', () => {
    writeProject();
    project.write('.medsec.json', JSON.stringify({ extends: ['medsec:strict'], fileBudgetMs: 1 }));
    project.write('fw/chain.c', cArithmeticChain(20_000));
    const { status, stdout, stderr } = medsec(['scan', '--jobs', '2', '--format', 'json', '--fail-on', 'none']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const json = report(stdout) as { notes: { path: string; message: string }[]; summary: { filesScanned: number } };
    expect(json.summary.filesScanned).toBe(38);
    expect(json.notes).toContainEqual({
      path: 'fw/chain.c',
      message: expect.stringMatching(/^not analysed: it exceeded the 1 ms per-file budget while /),
    });
  }, 90_000);

  it.each(['0', '-1', 'two', '1.5'])('refuses --jobs %s with one line and exit code 2', (jobs) => {
    project.write('a.c');
    const { status, stdout, stderr } = medsec(['scan', '--jobs', jobs]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^medsec: .*--jobs.*whole number of worker threads/);
  });
});

describe('scan() with a worker script', () => {
  it('returns the in-process result, in path order, through real worker threads', async () => {
    writeProject();
    const config = loadConfig(project.dir, undefined, BUILTIN);
    const inProcess = await scan({ root: project.dir, paths: [], config, workers: 1 });
    const pooled = await scan({ root: project.dir, paths: [], config, workers: 3, workerScript: WORKER });
    expect(pooled.files).toEqual(inProcess.files);
    expect(pooled.files.map((file) => file.path)).toEqual([...pooled.files.map((file) => file.path)].sort());
  }, 60_000);

  it('falls back to in-process when the workers cannot start', async () => {
    writeProject();
    const broken = project.write('broken-worker.js', 'throw new Error("no grammars here");\n');
    const config = loadConfig(project.dir, undefined, BUILTIN);
    const inProcess = await scan({ root: project.dir, paths: [], config, workers: 1 });
    const fallback = await scan({ root: project.dir, paths: [], config, workers: 2, workerScript: broken });
    expect(fallback.files).toEqual(inProcess.files);
  });
});

describe("the workers' rule set", () => {
  it('is accepted when the worker rebuilds the same rules, and refused (for the in-process fallback) otherwise', async () => {
    writeProject();
    const config = loadConfig(project.dir, undefined, BUILTIN);
    const { files } = await discoverFiles(project.dir, [], config);
    const setup = { root: config.root, source: config.source, raw: config.raw, ruleSet: ruleSetSignature([config]) };
    let checked = 0;
    await checkInWorkers(files, { script: WORKER, size: 2, setup }, () => checked++);
    expect(checked).toBe(files.length);
    const other = checkInWorkers(files, { script: WORKER, size: 2, setup: { ...setup, ruleSet: 'another registry' } }, () => checked++);
    await expect(other).rejects.toThrow(WorkerStartupError);
    expect(checked).toBe(files.length);
  }, 60_000);

  it('hands out no more files once `stop` says so (a cancelled Scan Workspace), and ends the run', async () => {
    writeProject();
    const config = loadConfig(project.dir, undefined, BUILTIN);
    const { files } = await discoverFiles(project.dir, [], config);
    expect(files.length).toBeGreaterThan(2);
    const setup = { root: config.root, source: config.source, raw: config.raw, ruleSet: ruleSetSignature([config]) };
    let checked = 0;
    await checkInWorkers(files, { script: WORKER, size: 1, setup, stop: () => checked >= 2 }, () => checked++);
    expect(checked).toBe(2);
  }, 60_000);
});

describe("a worker's progress", () => {
  it('names no check until the worker begins one, so the watchdog never takes a starting worker for one stuck on file 0', () => {
    const watcher = new WorkerProgress();
    expect(watcher.checkId()).toBe(-1);
    const worker = new WorkerProgress(watcher.buffer);
    worker.beginCheck(0);
    expect([watcher.checkId(), watcher.checkStarted() > 0]).toEqual([0, true]);
    worker.endCheck();
    expect(watcher.checkId()).toBe(-1);
  });
});

describe('what crosses the thread boundary', () => {
  it('is plain data: FileResults of the example project survive structured clone unchanged', async () => {
    const root = path.join(ROOT, 'examples');
    const config = loadConfig(root, undefined, BUILTIN);
    const { files } = await discoverFiles(root, [root], config);
    let findings = 0;
    for (const file of files) {
      const { text, invalidUtf8 } = decodeSource(fs.readFileSync(file.path));
      const rules = config.rulesFor(file.relativePath).filter((effective) => ruleReads(effective, file.language));
      const result = await checkFile(
        { path: file.path, relativePath: file.relativePath, text, language: file.language, invalidUtf8 },
        rules,
      );
      findings += result.findings.length;
      expectPlainData(result, file.relativePath);
      expect(structuredClone(result)).toEqual(result);
    }
    expect(findings).toBeGreaterThan(0);
  });
});

/** Only objects with Object's or Array's prototype, strings, numbers, booleans, undefined and null. */
function expectPlainData(value: unknown, at: string): void {
  if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) return;
  if (typeof value !== 'object') throw new Error(`${at}: a ${typeof value} cannot cross to the main thread`);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype)
    throw new Error(`${at}: an instance of ${proto?.constructor?.name} loses its class when cloned`);
  for (const [key, child] of Object.entries(value)) expectPlainData(child, `${at}.${key}`);
}
