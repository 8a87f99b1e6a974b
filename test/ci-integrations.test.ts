/**
 * CI by convention: the GitHub Action (action.yml + scripts/github-action.mjs) and the pre-commit hook
 * (.pre-commit-hooks.yaml), each run the way its runner runs it, on a throw-away project, offline.
 * Needs the bundle: `npm test` builds it first.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempProject } from './helpers/project';

const ROOT = path.resolve(__dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { license: string; version: string };
/** A finding at critical (hardcoded-credential), and a file with nothing to report. */
const LEAKY_C = 'const char *wifi_password = "Tr0ub4dor&3x!";\nint join(void) { return wifi_connect("ward-7", wifi_password); }\n';
const CLEAN_PY = 'def dose_rate(volume_ml, minutes):\n    return volume_ml / minutes\n';

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js')))
    throw new Error('dist/cli.js is missing: run `node scripts/build.mjs` (npm test does) first');
});

const project = useTempProject('ci');

interface ActionStep {
  name: string;
  id?: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  'working-directory'?: string;
  'continue-on-error'?: boolean;
}
interface Action {
  inputs: Record<string, { default: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}
const action = load(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;
const step = (name: string) => action.runs.steps.find((s) => s.name === name)!;

/** Replaces `${{ inputs.x }}` as the runner does, from `given` or the input's default. */
function interpolate(text: string, given: Record<string, string>): string {
  return text.replace(/\$\{\{ inputs\.([\w-]+) \}\}/g, (_, name: string) => given[name] ?? action.inputs[name].default);
}

/** Runs the Scan step as a runner would: its env interpolated, bash -eo pipefail, GITHUB_OUTPUT a file. */
function runScanStep(given: Record<string, string>): { status: number | null; stdout: string; outputs: Record<string, string> } {
  const scan = step('Scan');
  const outputFile = path.join(project.dir, '.github-output');
  fs.writeFileSync(outputFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: os.tmpdir(),
    GITHUB_ACTION_PATH: ROOT,
    GITHUB_OUTPUT: outputFile,
    NO_COLOR: '1',
  };
  for (const [key, value] of Object.entries(scan.env ?? {})) env[key] = interpolate(value, given);
  const cwd = path.resolve(project.dir, interpolate(scan['working-directory'] ?? '.', given));
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', scan.run!], { cwd, env, encoding: 'utf8' });
  const outputs = Object.fromEntries(
    fs
      .readFileSync(outputFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(/=(.*)/s).slice(0, 2)),
  );
  return { status: result.status, stdout: result.stdout, outputs };
}

describe('GitHub Action (action.yml)', () => {
  it('takes paths, fail-on, baseline and format, and installs itself from its own checkout', () => {
    expect(action.runs.using).toBe('composite');
    for (const input of ['paths', 'fail-on', 'baseline', 'format', 'upload-sarif']) expect(action.inputs).toHaveProperty(input);
    expect(step('Install medsec')).toMatchObject({ 'working-directory': '${{ github.action_path }}', run: 'npm ci --no-audit --no-fund' });
    // Every input reaches the entry script, and the script the step runs is in the repository.
    const passed = Object.values(step('Scan').env ?? {}).join(' ');
    for (const input of Object.keys(action.inputs).filter((name) => name !== 'working-directory'))
      expect(passed).toContain(`inputs.${input} }}`);
    expect(step('Scan').run).toContain('$GITHUB_ACTION_PATH/scripts/github-action.mjs');
    expect(fs.existsSync(path.join(ROOT, 'scripts', 'github-action.mjs'))).toBe(true);
  });

  it('uploads SARIF only when asked, even when findings fail the job, and fails the job after the upload', () => {
    const scan = step('Scan');
    const upload = step('Upload SARIF to code scanning');
    const fail = step('Fail on findings');
    expect(scan['continue-on-error']).toBe(true);
    expect(upload.uses).toMatch(/^github\/codeql-action\/upload-sarif@v\d+$/);
    expect(upload.if).toContain("inputs.upload-sarif == 'true'");
    expect(upload.if).toContain('always()');
    expect(fail.if).toContain("steps.scan.outcome == 'failure'");
    const order = action.runs.steps.map((s) => s.name);
    expect(order.indexOf(upload.name)).toBeGreaterThan(order.indexOf(scan.name));
    expect(order.indexOf(fail.name)).toBeGreaterThan(order.indexOf(upload.name));
  });

  it('fails on a finding at or above fail-on with the report in the log, and passes below it', () => {
    project.write('fw/net.c', LEAKY_C);
    const failing = runScanStep({});
    expect(failing.status).toBe(1);
    expect(failing.stdout).toContain('hardcoded-credential');
    expect(failing.stdout).not.toContain('Tr0ub4dor'); // the secret is masked in the log
    expect(failing.outputs).toEqual({ 'exit-code': '1', 'sarif-file': '' });
    const passing = runScanStep({ 'fail-on': 'none' });
    expect(passing.status).toBe(0);
    expect(passing.outputs['exit-code']).toBe('0');
  });

  it('writes SARIF for code scanning next to a text log, with the exit code of the run the user reads', () => {
    project.write('fw/net.c', LEAKY_C);
    const run = runScanStep({ 'upload-sarif': 'true', paths: 'fw' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('hardcoded-credential');
    const sarifFile = run.outputs['sarif-file'];
    expect(sarifFile).toBe(path.join(project.dir, 'medsec.sarif'));
    const sarif = JSON.parse(fs.readFileSync(sarifFile, 'utf8')) as { version: string; runs: { results: { ruleId: string }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.map((result) => result.ruleId)).toContain('hardcoded-credential');
  });

  it('reports only findings that are not in the baseline', () => {
    project.write('fw/net.c', LEAKY_C);
    const baseline = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'medsec.js'), 'baseline', '--output', '.medsec-baseline.json'], {
      cwd: project.dir,
      encoding: 'utf8',
    });
    expect(baseline.status).toBe(0);
    expect(runScanStep({ baseline: '.medsec-baseline.json' }).status).toBe(0);
    project.write('fw/cloud.c', LEAKY_C.replace('wifi_password', 'cloud_password'));
    expect(runScanStep({ baseline: '.medsec-baseline.json' }).status).toBe(1);
  });

  it('stops with exit code 2 on a usage error and offers no SARIF to upload', () => {
    const run = runScanStep({ 'fail-on': 'sometimes', 'upload-sarif': 'true' });
    expect(run.status).toBe(2);
    expect(run.outputs).toEqual({ 'exit-code': '2', 'sarif-file': '' });
  });
});

interface Hook {
  id: string;
  entry: string;
  language: string;
  types?: string[];
  require_serial?: boolean;
}

describe('pre-commit hook (.pre-commit-hooks.yaml)', () => {
  const hooks = load(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];

  it("defines one node hook that runs the package's medsec command on staged text files", () => {
    expect(hooks.map((hook) => hook.id)).toEqual(['medsec']);
    const [hook] = hooks;
    expect(hook.language).toBe('node');
    expect(hook.types).toEqual(['text']);
    expect(hook.entry.split(' ')[0]).toBe('medsec');
    expect((JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin).toHaveProperty(
      'medsec',
    );
  });

  // pre-commit's node language installs the hook repository with `npm pack` and `npm install -g <tarball>`
  // into its own prefix, then runs `entry` with the staged file names. Here the same, offline (the
  // package has no run-time dependencies; `npm install` in the clone is what builds dist/, as `npm test` did).
  it('installs from the packed repository and fails a commit that adds a hardcoded password', () => {
    const [hook] = hooks;
    const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-pack-'));
    try {
      const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir, '--json'], { cwd: ROOT, encoding: 'utf8' });
      expect(pack.status, pack.stderr).toBe(0);
      const tarball = path.join(packDir, (JSON.parse(pack.stdout) as { filename: string }[])[0].filename);
      const prefix = path.join(packDir, 'node_env');
      const install = spawnSync(
        'npm',
        ['install', '-g', '--prefix', prefix, tarball, '--offline', '--ignore-scripts', '--no-audit', '--no-fund'],
        { encoding: 'utf8' },
      );
      expect(install.status, install.stderr).toBe(0);

      project.write('fw/net.c', LEAKY_C);
      project.write('tools/rate.py', CLEAN_PY);
      project.write('NOTES.txt', 'hardware revision C\n');
      const [command, ...args] = hook.entry.split(' ');
      const env = { ...process.env, PATH: `${path.join(prefix, 'bin')}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1' };
      const run = (...files: string[]) => spawnSync(command, [...args, ...files], { cwd: project.dir, env, encoding: 'utf8' });

      expect(fs.realpathSync(spawnSync('bash', ['-c', `command -v ${command}`], { env, encoding: 'utf8' }).stdout.trim())).toContain(
        prefix,
      );
      const blocked = run('fw/net.c', 'tools/rate.py', 'NOTES.txt');
      expect(blocked.status).toBe(1);
      expect(blocked.stdout).toContain('fw/net.c:1');
      expect(blocked.stdout).toContain('hardcoded-credential');
      expect(run('tools/rate.py', 'NOTES.txt').status).toBe(0);
    } finally {
      fs.rmSync(packDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('LICENSE', () => {
  it('is the licence package.json names', () => {
    expect(manifest.license).toBe('MIT');
    expect(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
  });
});
