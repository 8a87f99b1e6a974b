/**
 * Nested `.medsec.json` files (core/nested-config.ts), as Ruff resolves them: the nearest one above a file
 * governs it, standing alone unless it extends the outer one, with its globs relative to its own folder.
 * The CLI on the root, on the nested folder and on the file itself agree.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/src/core/config';
import { discoverFiles } from '../server/src/core/discover';
import { enabledRulesOfScan, NestedConfigs, nestedConfigLoader } from '../server/src/core/nested-config';
import { configSetup, ruleSetSignature } from '../server/src/core/pool/protocol';
import { checkInWorkers } from '../server/src/core/pool/scan-pool';
import { scan } from '../server/src/core/scan';
import type { ScanResult } from '../server/src/core/types';
import { useTempProject } from './helpers/project';
import { BUILTIN } from './helpers/registry';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'medsec.js');
const WORKER = path.join(ROOT, 'dist', 'scan-worker.js');
const MD5_C = '#include <openssl/md5.h>\nvoid d(const unsigned char *b, size_t n, unsigned char *o) { MD5(b, n, o); }\n';

beforeAll(() => {
  if (!fs.existsSync(WORKER)) throw new Error('dist/ is missing: run `node scripts/build.mjs` (npm test does) first');
});

const project = useTempProject('nested');

async function scanRoot(options: { workers?: number; nested?: boolean; root?: string } = {}): Promise<ScanResult> {
  const root = options.root ?? project.dir;
  const config = loadConfig(root, undefined, BUILTIN);
  return scan({
    root,
    paths: [],
    config,
    workers: options.workers ?? 1,
    workerScript: WORKER,
    loadNested: options.nested === false ? undefined : nestedConfigLoader(BUILTIN),
  });
}

function findingsByFile(result: ScanResult): Record<string, string[]> {
  return Object.fromEntries(
    result.files.filter((file) => file.findings.length).map((file) => [file.path, file.findings.map((f) => f.ruleId)]),
  );
}

describe('which .medsec.json governs a file', () => {
  it('the nearest one above it; a nested file stands alone and starts from medsec:recommended', async () => {
    // weak-hash is a medsec:strict rule: the root turns it on, the nested file (recommended alone) does not.
    project.write('.medsec.json', '{ "rules": { "weak-hash": "medium" } }\n');
    project.write('app/digest.c', MD5_C);
    project.write('firmware/.medsec.json', '{}\n');
    project.write('firmware/main/digest.c', MD5_C);
    const result = await scanRoot();
    expect(findingsByFile(result)).toEqual({ 'app/digest.c': ['weak-hash'] });
    expect(result.nestedConfigs?.map((config) => config.source)).toEqual([path.join(project.dir, 'firmware/.medsec.json')]);
  });

  it('takes the test-code policy from the file that governs it, in-process and on worker threads', async () => {
    project.write(
      '.medsec.json',
      '{ "extends": ["medsec:recommended"], "rules": { "weak-hash": "medium" }, "testCode": { "findings": "lower" } }\n',
    );
    project.write('test/digest.c', MD5_C);
    // No policy of its own: medsec:recommended's, which keeps only live secrets in test code.
    project.write('lab/.medsec.json', '{ "extends": ["medsec:recommended"], "rules": { "weak-hash": "medium" } }\n');
    project.write('lab/test/digest.c', MD5_C);
    project.write(
      'firmware/.medsec.json',
      '{ "extends": ["medsec:recommended"], "rules": { "weak-hash": "medium" }, "testCode": { "findings": "report" } }\n',
    );
    project.write('firmware/test/digest.c', MD5_C);
    for (const workers of [1, 2]) {
      const severities = Object.fromEntries(
        (await scanRoot({ workers })).files.flatMap((file) => file.findings.map((f) => [file.path, [f.severity, f.testCode]])),
      );
      expect(severities, `workers: ${workers}`).toEqual({ 'test/digest.c': ['low', true], 'firmware/test/digest.c': ['medium', true] });
    }
  });

  it('inherits the outer file only when it extends it', async () => {
    project.write('.medsec.json', '{ "rules": { "weak-hash": "critical" } }\n');
    project.write('firmware/.medsec.json', '{ "extends": ["../.medsec.json"] }\n');
    project.write('firmware/digest.c', MD5_C);
    expect(findingsByFile(await scanRoot())).toEqual({ 'firmware/digest.c': ['weak-hash'] });
  });

  it('lets a nested file extend files anywhere under the scan root, but none outside it, nor through a link leaving it', async () => {
    const root = path.join(project.dir, 'repo');
    project.write('shared/medsec.json', '{ "rules": { "weak-hash": "off" } }\n'); // beside the scan root, not in it
    project.write('repo/base/medsec.json', '{ "rules": { "weak-hash": "critical" } }\n');
    fs.symlinkSync(path.join(project.dir, 'shared/medsec.json'), path.join(root, 'linked.json'));
    project.write('repo/firmware/a/digest.c', MD5_C);
    project.write('repo/firmware/b/digest.c', MD5_C);

    project.write('repo/firmware/.medsec.json', '{ "extends": ["../base/medsec.json"] }\n');
    for (const workers of [1, 2]) {
      const found = findingsByFile(await scanRoot({ root, workers }));
      expect(found, `workers: ${workers}`).toEqual({ 'firmware/a/digest.c': ['weak-hash'], 'firmware/b/digest.c': ['weak-hash'] });
    }
    // A scan falls back to checking in-process when a worker cannot rebuild a configuration: ask the pool itself.
    const config = loadConfig(root, undefined, BUILTIN);
    const nested = [nestedConfigLoader(BUILTIN)(path.join(root, 'firmware'), root)!];
    const setup = { ...configSetup(config), nested: nested.map(configSetup), ruleSet: ruleSetSignature([config, ...nested]) };
    const { files } = await discoverFiles(root, [], config, new NestedConfigs(config, nestedConfigLoader(BUILTIN)));
    await expect(checkInWorkers(files, { script: WORKER, size: 2, setup }, () => undefined)).resolves.toBeUndefined();

    for (const outside of ['../../shared/medsec.json', '../linked.json']) {
      project.write('repo/firmware/.medsec.json', `{ "extends": [${JSON.stringify(outside)}] }\n`);
      const failure = await scanRoot({ root }).catch((error: unknown) => error);
      expect(failure, outside).toBeInstanceOf(ConfigError);
      expect((failure as ConfigError).message, outside).toContain('it is outside the workspace');
    }
  }, 60_000);

  it("applies a nested file's globs relative to its own folder", async () => {
    project.write('.medsec.json', '{ "rules": { "weak-hash": "medium" } }\n');
    project.write(
      'firmware/.medsec.json',
      '{ "ignore": ["/generated/**"], "rules": { "weak-hash": "medium" }, "overrides": [{ "files": ["/legacy/**"], "rules": { "weak-hash": "off" } }] }\n',
    );
    project.write('firmware/generated/digest.c', MD5_C);
    project.write('firmware/legacy/digest.c', MD5_C);
    project.write('firmware/main/digest.c', MD5_C);
    project.write('generated/digest.c', MD5_C); // the root has no such glob
    expect(findingsByFile(await scanRoot())).toEqual({ 'firmware/main/digest.c': ['weak-hash'], 'generated/digest.c': ['weak-hash'] });
  });

  it('leaves a folder that the outer file ignores out, even when it has its own file', async () => {
    project.write('.medsec.json', '{ "ignore": ["third_party/"] }\n');
    project.write('third_party/lib/.medsec.json', '{}\n');
    project.write('third_party/lib/digest.c', MD5_C);
    const result = await scanRoot();
    expect(findingsByFile(result)).toEqual({});
    expect(result.nestedConfigs).toBeUndefined();
  });

  it('gives the same findings on worker threads', async () => {
    project.write('.medsec.json', '{ "rules": { "weak-hash": "off" } }\n');
    project.write('a/digest.c', MD5_C);
    project.write('b/.medsec.json', '{ "rules": { "weak-hash": "critical" } }\n');
    project.write('b/digest.c', MD5_C);
    project.write('b/c/.medsec.json', '{ "extends": [] }\n');
    project.write('b/c/digest.c', MD5_C);
    const inProcess = await scanRoot();
    const pooled = await scanRoot({ workers: 2 });
    expect(findingsByFile(inProcess)).toEqual({ 'b/digest.c': ['weak-hash'] });
    expect(inProcess.files.find((file) => file.path === 'b/digest.c')?.findings[0].severity).toBe('critical');
    expect(pooled.files).toEqual(inProcess.files);
  }, 60_000);

  it('is not looked for without a loader (--config names the one configuration)', async () => {
    project.write('.medsec.json', '{ "rules": { "weak-hash": "medium" } }\n');
    project.write('firmware/.medsec.json', '{ "rules": { "weak-hash": "off" } }\n');
    project.write('firmware/digest.c', MD5_C);
    expect(findingsByFile(await scanRoot({ nested: false }))).toEqual({ 'firmware/digest.c': ['weak-hash'] });
  });

  it('stops the scan on a broken nested file, as on a broken root file, with its file, line and key', async () => {
    project.write('firmware/.medsec.json', '{\n  "rules": { "weak-hsah": "off" }\n}\n');
    project.write('firmware/digest.c', MD5_C);
    const failure = await scanRoot().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).message).toMatch(
      new RegExp(
        `^${path.join(project.dir, 'firmware/.medsec.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:14: unknown rule "weak-hsah"`,
      ),
    );
  });

  it('lists the rules every configuration enabled, once each', async () => {
    project.write('.medsec.json', '{ "extends": [], "rules": { "weak-hash": "low" } }\n');
    project.write('firmware/.medsec.json', '{ "extends": [], "rules": { "weak-hash": "high", "broken-cipher": "high" } }\n');
    project.write('firmware/digest.c', MD5_C);
    const rules = enabledRulesOfScan(await scanRoot());
    expect(rules.map((effective) => [effective.rule.meta.id, effective.severity])).toEqual([
      ['weak-hash', 'low'],
      ['broken-cipher', 'high'],
    ]);
  });
});

describe('the CLI', () => {
  function medsec(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }
  const rulesOf = (stdout: string) =>
    (JSON.parse(stdout) as { findings: { ruleId: string; severity: string }[] }).findings.map((f) => `${f.ruleId}:${f.severity}`);

  it('uses the nested file alike on the root, on the nested folder and on the file itself', () => {
    project.write('.medsec.json', '{ "rules": { "weak-hash": "off" } }\n');
    project.write('firmware/.medsec.json', '{ "rules": { "weak-hash": "critical" } }\n');
    project.write('firmware/main/digest.c', MD5_C);
    project.write('app/digest.c', MD5_C);
    fs.mkdirSync(path.join(project.dir, '.git'));
    const onRoot = medsec(project.dir, 'scan', '--format', 'json');
    const onFolder = medsec(project.dir, 'scan', 'firmware', '--format', 'json');
    const onFile = medsec(path.join(project.dir, 'firmware/main'), 'scan', 'digest.c', '--format', 'json');
    for (const run of [onRoot, onFolder, onFile]) {
      expect(run.stderr).toBe('');
      expect(rulesOf(run.stdout)).toEqual(['weak-hash:critical']);
    }
    // --config: that one file for every file.
    const withConfig = medsec(project.dir, 'scan', '--config', '.medsec.json', '--format', 'json');
    expect(rulesOf(withConfig.stdout)).toEqual([]);
  });

  it('exits 2 with one line naming a broken nested file', () => {
    project.write('firmware/.medsec.json', '{ "rules": { "weak-hsah": "off" } }\n');
    project.write('firmware/digest.c', MD5_C);
    const run = medsec(project.dir, 'scan');
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`${path.join('firmware', '.medsec.json')}:1:`);
    expect(run.stderr).toContain('unknown rule "weak-hsah"');
  });
});
