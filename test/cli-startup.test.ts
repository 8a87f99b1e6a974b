/**
 * What starting the CLI costs (issue 15): the bundle leaves its large, rarely used dependencies in
 * dist/lazy/ (scripts/lazy-modules.mjs), and a scan loads only what it uses: a C scan neither TypeScript,
 * nor the ReDoS checker, nor CycloneDX; a TypeScript file, a custom regex rule and `medsec inventory` load
 * theirs and work.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempProject } from './helpers/project';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'medsec.js');

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `node scripts/build.mjs` first');
});

const project = useTempProject('cli-startup');

/** Runs medsec with a hook that lists, on stderr, each lazy bundle the process loads. */
function medsecLoading(...args: string[]): { status: number | null; stdout: string; lazy: string[] } {
  const hook = project.write(
    'hook.cjs',
    [
      "const Module = require('module');",
      'const load = Module._load;',
      "Module._load = function (request, ...rest) { if (/[\\\\/]lazy[\\\\/]/.test(request)) process.stderr.write('LAZY ' + require('path').basename(request) + '\\n');",
      '  return load.call(this, request, ...rest); };',
    ].join('\n'),
  );
  const result = spawnSync(process.execPath, ['--require', hook, BIN, ...args], { cwd: project.dir, encoding: 'utf8' });
  const lazy = [
    ...new Set(
      result.stderr
        .split('\n')
        .filter((line) => line.startsWith('LAZY '))
        .map((line) => line.slice(5)),
    ),
  ].sort();
  return { status: result.status, stdout: result.stdout, lazy };
}

describe('the CLI bundle', () => {
  it('keeps TypeScript, recheck and CycloneDX out of dist/cli.js', () => {
    expect(fs.statSync(path.join(ROOT, 'dist', 'cli.js')).size).toBeLessThan(4_000_000);
    for (const group of ['typescript', 'recheck', 'cyclonedx'])
      expect(fs.existsSync(path.join(ROOT, 'dist', 'lazy', `${group}.js`))).toBe(true);
  });

  it('scans C without loading any of them', () => {
    project.write('main.c', 'static const char *wifi_password = "Vk8#mq2Lz9!pT4";\n');
    const run = medsecLoading('scan', 'main.c', '--format', 'json', '--no-cache', '--fail-on', 'none');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).findings.length).toBeGreaterThan(0);
    expect(run.lazy).toEqual([]);
  });

  it('loads TypeScript for a TypeScript file, recheck for a custom regex rule, CycloneDX for the inventory', () => {
    project.write(
      'app.ts',
      "const password: string = 'Vk8#mq2Lz9!pT4';\nexport const login = () => fetch('http://pump.example.com/api');\n",
    );
    const ts = medsecLoading('scan', 'app.ts', '--format', 'json', '--no-cache', '--fail-on', 'none');
    expect(ts.status).toBe(0);
    expect(JSON.parse(ts.stdout).findings.length).toBeGreaterThan(0);
    expect(ts.lazy).toEqual(['typescript.js']);

    project.write('main.c', '// HACK: remove before release\nint x;\n');
    project.write(
      '.medsec.json',
      JSON.stringify({
        extends: [],
        customRules: [
          {
            id: 'acme/hack-comment',
            title: 'HACK comment',
            severity: 'low',
            languages: ['c'],
            message: 'a HACK comment',
            match: { regex: 'HACK:', scope: 'comment' },
          },
        ],
      }),
    );
    const custom = medsecLoading('scan', 'main.c', '--format', 'json', '--no-cache', '--fail-on', 'none');
    expect(custom.status).toBe(0);
    expect(JSON.parse(custom.stdout).findings.map((finding: { ruleId: string }) => finding.ruleId)).toContain('acme/hack-comment');
    expect(custom.lazy).toEqual(['recheck.js']);

    const inventory = medsecLoading('inventory', '.', '--format', 'cbom');
    expect(inventory.status).toBe(0);
    expect(JSON.parse(inventory.stdout).bomFormat).toBe('CycloneDX');
    expect(inventory.lazy).toContain('cyclonedx.js');
  });
});
