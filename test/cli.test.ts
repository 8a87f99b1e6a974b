/**
 * The `medsec` command as users and CI run it: `node bin/medsec.js` on real folders.
 * Needs the bundle: `npm test` builds it first (or run `node scripts/build.mjs`).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliIn, useTempProject } from './helpers/project';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'medsec.js');
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** A suppression comment without a justification: `unjustified-suppression` (medium) reports it. */
const UNJUSTIFIED = '// medsec-ignore-next-line hardcoded-credential\nstatic int x;\n';
/** Config that turns on only that rule, at high, so the tests do not depend on the rest of the rule set. */
const ONLY_UNJUSTIFIED_HIGH = '{ "extends": [], "rules": { "unjustified-suppression": "high" } }';

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js')))
    throw new Error('dist/cli.js is missing: run `node scripts/build.mjs` (npm test does) before the CLI tests');
});

const project = useTempProject('cli');
const write = project.write;

/** Runs medsec in `project.dir` with pipes (not a TTY) and colour not forced off, as CI would. */
const medsec = cliIn(project, { NO_COLOR: '' });

function expectOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^medsec: /);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
}

describe('exit codes', () => {
  it('exits 0 when nothing is at or above --fail-on', () => {
    write('src/main.c', 'int main(void) { return 0; }\n');
    const { status, stdout, stderr } = medsec('scan');
    expect(status).toBe(0);
    expect(stdout).toMatch(/Scanned 1 file in/);
    expect(stdout).toMatch(/Findings: 0 critical, 0 high, 0 medium, 0 low, 0 info; 0 suppressed\./);
    expect(stderr).toBe('');
  });

  it('exits 1 on a finding at or above --fail-on, 0 below it or with none', () => {
    write('.medsec.json', ONLY_UNJUSTIFIED_HIGH);
    write('src/main.c', UNJUSTIFIED);
    const failing = medsec('scan');
    expect(failing.status).toBe(1);
    expect(failing.stdout).toContain('src/main.c:1:4  high      unjustified-suppression  ');
    expect(failing.stdout).toContain('    // medsec-ignore-next-line hardcoded-credential');
    expect(failing.stdout).toMatch(/Findings: 0 critical, 1 high, 0 medium/);
    expect(medsec('scan', '--fail-on', 'critical').status).toBe(0);
    expect(medsec('scan', '--fail-on', 'none').status).toBe(0);
    expect(medsec('scan', '--fail-on', 'low').status).toBe(1);
  });

  it('exits 2 when every path it was given is ignored, after writing the report', () => {
    write('.gitignore', 'build/\n');
    write('build/generated.c', 'int x;\n');
    write('src/main.c', 'int main(void) { return 0; }\n');
    const ignored = medsec('scan', 'build');
    expect(ignored.status).toBe(2);
    expectOneLineError(ignored.stderr, /nothing was scanned: build is ignored by \.gitignore/);
    expect(ignored.stdout).toMatch(/Scanned 0 files in/);
    // One path that is read is a scan: the ignored one is listed as skipped.
    const mixed = medsec('scan', 'build', 'src');
    expect(mixed.status).toBe(0);
    expect(mixed.stdout).toMatch(/Scanned 1 file in/);
    expect(mixed.stdout).toContain('build: ignored by .gitignore');
  });

  it('applies the default config (medsec:recommended) when there is no .medsec.json', () => {
    write('main.c', UNJUSTIFIED);
    expect(medsec('scan', '--fail-on', 'medium').status).toBe(1);
    expect(medsec('scan').status).toBe(0); // unjustified-suppression is medium, below the default `high`
  });

  it('exits 2 with one line on an unknown flag', () => {
    const { status, stdout, stderr } = medsec('scan', '--bogus');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expectOneLineError(stderr, /unknown option '--bogus'.*medsec scan --help/);
  });

  it('exits 2 with one line on a bad flag value and an unknown command', () => {
    const format = medsec('scan', '--format', 'xml');
    expect(format.status).toBe(2);
    expectOneLineError(format.stderr, /'xml' is invalid\. Allowed choices are text, json, sarif/);
    const command = medsec('scna');
    expect(command.status).toBe(2);
    expectOneLineError(command.stderr, /unknown command 'scna' \(Did you mean scan\?\)/);
  });

  it('exits 2 with one line on a path that does not exist', () => {
    const { status, stderr } = medsec('scan', 'no/such/dir');
    expect(status).toBe(2);
    expectOneLineError(stderr, /path not found: no\/such\/dir/);
  });

  it('exits 2 naming the file, position and key of an invalid config', () => {
    const config = write('.medsec.json', '{\n  "maxFileSize": "big"\n}\n');
    write('a.c', 'int x;\n');
    const { status, stdout, stderr } = medsec('scan');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expectOneLineError(stderr, new RegExp(`^medsec: ${escape(fs.realpathSync(config))}:2:18: expected an integer.* \\(at maxFileSize\\)$`));
  });

  it('exits 2 on an unknown rule id with a did-you-mean hint', () => {
    write('.medsec.json', '{ "rules": { "unjustified-supression": "off" } }');
    const { status, stderr } = medsec('scan');
    expect(status).toBe(2);
    expectOneLineError(
      stderr,
      /unknown rule "unjustified-supression" \(did you mean "unjustified-suppression"\?\).*\(at rules\.unjustified-supression\)$/,
    );
  });

  it('exits 2 when --config names a file that cannot be read', () => {
    const { status, stderr } = medsec('scan', '--config', 'missing.json');
    expect(status).toBe(2);
    expectOneLineError(stderr, /missing\.json:1:1: cannot read the configuration file \(no such file\)/);
  });

  it('prints the version and help with exit 0', () => {
    const version = medsec('--version');
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(VERSION);
    const help = medsec('scan', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--fail-on <severity>');
  });
});

describe('formats', () => {
  beforeEach(() => {
    write('.medsec.json', ONLY_UNJUSTIFIED_HIGH);
    write('src/main.c', UNJUSTIFIED);
    write('big.c', `${'x'.repeat(100)}\n`);
  });

  it('writes JSON that parses, in the documented shape', () => {
    // The configuration file is scanned too (unjustified-suppression checks its suppressions): it fits under 90 bytes, big.c does not.
    write('.medsec.json', '{ "extends": [], "rules": { "unjustified-suppression": "high" }, "maxFileSize": 90 }');
    const { status, stdout, stderr } = medsec('scan', '--format', 'json');
    expect(status).toBe(1);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      version: 1,
      tool: { name: 'medsec', version: VERSION },
      summary: {
        filesScanned: 2,
        filesSkipped: 1,
        findings: { critical: 0, high: 1, medium: 0, low: 0, info: 0 },
        suppressed: 0,
        ruleFailures: 0,
      },
      skipped: [{ path: 'big.c', reason: expect.stringContaining('maxFileSize') }],
      ruleFailures: [],
    });
    expect(fs.realpathSync(report.root)).toBe(fs.realpathSync(project.dir));
    expect(report.findings).toEqual([
      expect.objectContaining({
        ruleId: 'unjustified-suppression',
        severity: 'high',
        path: 'src/main.c',
        line: 1,
        column: 4,
        snippet: '// medsec-ignore-next-line hardcoded-credential',
        suppression: null,
      }),
    ]);
  });

  it('writes SARIF 2.1.0 with rules, fingerprints and a source root', () => {
    const { status, stdout } = medsec('scan', '--format', 'sarif');
    expect(status).toBe(1);
    const log = JSON.parse(stdout);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.tool.driver).toMatchObject({ name: 'medsec', version: VERSION });
    const rule = run.tool.driver.rules[0];
    expect(rule).toMatchObject({
      id: 'unjustified-suppression',
      helpUri: 'https://github.com/medsec-dev/medsec/blob/main/docs/rules/unjustified-suppression.md',
      defaultConfiguration: { level: 'error' },
      properties: { 'security-severity': '8.0', tags: expect.arrayContaining(['security', 'external/cwe/cwe-1395']) },
    });
    expect(rule.help.markdown).toContain('Suppression without an informative justification');
    expect(run.originalUriBaseIds.SRCROOT.uri).toMatch(/^file:\/\/.*\/$/);
    expect(run.invocations[0].executionSuccessful).toBe(true);
    const [result] = run.results;
    expect(result).toMatchObject({
      ruleId: 'unjustified-suppression',
      ruleIndex: 0,
      level: 'error',
      locations: [
        { physicalLocation: { artifactLocation: { uri: 'src/main.c', uriBaseId: 'SRCROOT' }, region: { startLine: 1, startColumn: 4 } } },
      ],
    });
    expect(result.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:1$/);
  });

  it('keeps fingerprints when unrelated lines move', () => {
    const before = JSON.parse(medsec('scan', '--format', 'sarif').stdout).runs[0].results[0].partialFingerprints;
    write('src/main.c', `#include <stdio.h>\n\nint unrelated(void);\n${UNJUSTIFIED}`);
    const after = JSON.parse(medsec('scan', '--format', 'sarif').stdout).runs[0].results[0];
    expect(after.locations[0].physicalLocation.region.startLine).toBe(4);
    expect(after.partialFingerprints).toEqual(before);
  });

  it('keeps stdout free of progress and colour when it is not a TTY', () => {
    const text = medsec('scan');
    const json = medsec('scan', '--format', 'json');
    for (const output of [text.stdout, text.stderr, json.stdout, json.stderr]) {
      expect(output).not.toContain('\r');
      expect(output).not.toContain('\x1b[');
    }
    expect(text.stderr).toBe('');
    expect(json.stdout.trimStart().startsWith('{')).toBe(true);
  });

  it('writes --output to the file and nothing to stdout', () => {
    const { status, stdout } = medsec('scan', '--format', 'sarif', '--output', 'out.sarif');
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(JSON.parse(fs.readFileSync(path.join(project.dir, 'out.sarif'), 'utf8')).version).toBe('2.1.0');
  });

  it('scans a folder given from elsewhere with that folder as the root', () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-cwd-'));
    try {
      const result = spawnSync(process.execPath, [BIN, 'scan', project.dir, '--format', 'json'], { cwd: elsewhere, encoding: 'utf8' });
      expect(result.status).toBe(1); // the folder's own .medsec.json applies
      expect(JSON.parse(result.stdout).findings[0].path).toBe('src/main.c');
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe('rules', () => {
  it('lists rules as text and JSON', () => {
    const text = medsec('rules');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^RULE\s+SEVERITY\s+CWE\s+FDA\s+TITLE/);
    expect(text.stdout).toMatch(/unjustified-suppression\s+medium\s+CWE-1395/);
    const json = medsec('rules', '--format', 'json');
    const rules = JSON.parse(json.stdout) as { id: string; cwe: number[]; fda: string[] }[];
    expect(rules.find((rule) => rule.id === 'unjustified-suppression')).toMatchObject({
      severity: 'medium',
      cwe: [1395],
      fda: ['V.C', '524b.b2'],
    });
  });
});

// These depend on the `cleartext-protocol` rule (rules/cleartext-protocol.ts) firing on an http:// URL.
describe('with the cleartext-protocol rule', () => {
  beforeEach(() => {
    write('.medsec.json', '{ "extends": [], "rules": { "cleartext-protocol": "high" } }');
  });

  it('reports it and fails the build', () => {
    write('ota.py', 'import urllib.request\nurllib.request.urlopen("http://updates.clinic.lan/fw.bin")\n');
    const { status, stdout } = medsec('scan', '--format', 'json');
    expect(status).toBe(1);
    expect(JSON.parse(stdout).findings.map((finding: { ruleId: string }) => finding.ruleId)).toContain('cleartext-protocol');
  });

  it('does not count a suppressed finding, and marks it in SARIF', () => {
    write(
      'ota.py',
      'import urllib.request\n# medsec-ignore-next-line cleartext-protocol -- lab network only, TLS terminates at the proxy\nurllib.request.urlopen("http://updates.clinic.lan/fw.bin")\n',
    );
    const text = medsec('scan');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/1 suppressed\./);
    const sarif = JSON.parse(medsec('scan', '--format', 'sarif').stdout);
    expect(sarif.runs[0].results[0].suppressions).toEqual([
      { kind: 'inSource', status: 'accepted', justification: 'lab network only, TLS terminates at the proxy' },
    ]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
