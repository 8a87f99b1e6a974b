/** Shared by the config, discovery and CLI tests: a throw-away project folder and stand-in rules. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, beforeEach } from 'vitest';
import type { LanguageId, Rule, RuleMeta, Severity } from '../../server/src/core/types';

/** A fresh temporary folder for each test, removed after it; `project.dir` is the current one. */
export function useTempProject(prefix: string): { readonly dir: string; write(name: string, content?: string | Uint8Array): string } {
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `medsec-${prefix}-`));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    /** Writes a file (creating its folders) and returns its absolute path. */
    write(name, content = 'int x;\n') {
      const file = path.join(dir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
      return file;
    },
  };
}

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'medsec.js');

/** The built CLI (`bin/medsec.js`) run in `project.dir` with `env` over this process's environment: its exit status and output. */
export function cliIn(
  project: { readonly dir: string },
  env: NodeJS.ProcessEnv = {},
): (...args: string[]) => { status: number | null; stdout: string; stderr: string } {
  return (...args) => {
    const result = spawnSync(process.execPath, [BIN, ...args], { cwd: project.dir, encoding: 'utf8', env: { ...process.env, ...env } });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
}

type Cli = ReturnType<typeof cliIn>;

/**
 * Scans `paths` as `count` SARIF shards, one job each, each written to its own file in the project: the
 * files (`shard-1-of-3.sarif`, …) and each run's result, in shard order, for a test of `merge`.
 */
export function scanShards(medsec: Cli, paths: string[], count: number): { file: string; run: ReturnType<Cli> }[] {
  return Array.from({ length: count }, (_, i) => {
    const file = `shard-${i + 1}-of-${count}.sarif`;
    const run = medsec(
      'scan',
      ...paths,
      '--jobs',
      '1',
      '--format',
      'sarif',
      '--shard',
      `${i + 1}/${count}`,
      '--output',
      file,
      '--fail-on',
      'none',
    );
    return { file, run };
  });
}

/** A rule that reports nothing, so tests do not depend on which real rules exist. */
export function fakeRule(
  id: string,
  options: { severity?: Severity; presets?: RuleMeta['presets']; aliases?: string[]; languages?: readonly LanguageId[] } = {},
): Rule {
  return {
    meta: {
      id,
      title: id,
      severity: options.severity ?? 'high',
      confidence: 'high',
      languages: [...(options.languages ?? ['c'])],
      cwe: [798],
      fda: [],
      iec62443: [],
      fix: 'none',
      presets: options.presets ?? ['recommended'],
      aliases: options.aliases,
      docs: { summary: '', risk: '', fix: '', examples: [], fixSafety: '', references: [] },
    },
    check: () => undefined,
  };
}
