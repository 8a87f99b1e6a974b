/**
 * Malformed inputs (issue 2): random bytes named .c, truncated C, a 5 MB minified line, invalid UTF-8, empty
 * and BOM-only files, 5000-deep nesting, broken Java and Kotlin, a garbage sdkconfig. The scan must end with
 * exit 0 or 1, no stack trace, and still report what is findable in the well-formed parts.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { beforeAll, expect, it } from 'vitest';
// @ts-expect-error: plain ESM helper without type declarations
import { makeBadInputs } from './bad-input/make-bad-inputs.mjs';

const BIN = path.resolve(__dirname, '..', 'bin', 'medsec.js');
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-bad-'));
  await makeBadInputs(dir);
  // Raise the size limit so the 5 MB minified file is parsed rather than skipped; strict, for weak-hash in Broken.java.
  fs.writeFileSync(path.join(dir, '.medsec.json'), JSON.stringify({ extends: ['medsec:strict'], maxFileSize: 8_000_000 }));
}, 60_000);

it('scans every malformed input without a crash and still finds what is there', () => {
  const run = spawnSync(process.execPath, [BIN, 'scan', dir, '--format', 'json'], {
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(run.stderr).not.toMatch(/\bat .*\.(js|ts):\d+/);
  expect([0, 1]).toContain(run.status);
  const report = JSON.parse(run.stdout) as { findings: { ruleId: string; path: string }[]; ruleFailures: unknown[] };
  expect(report.ruleFailures).toEqual([]);
  const found = report.findings.map((f) => `${f.path} ${f.ruleId}`);
  expect(found).toContain('bad_utf8.py tls-verification-disabled');
  expect(found).toContain('minified.js cleartext-protocol');
  expect(found).toContain('Broken.java weak-hash');
  expect(found).toContain('sdkconfig hardcoded-credential');
}, 150_000);

it('skips the 5 MB file with a note under the default size limit', () => {
  fs.renameSync(path.join(dir, '.medsec.json'), path.join(dir, 'medsec.off'));
  try {
    const run = spawnSync(process.execPath, [BIN, 'scan', dir, '--format', 'json'], { encoding: 'utf8', timeout: 120_000 });
    expect([0, 1]).toContain(run.status);
    const report = JSON.parse(run.stdout) as { skipped: { path: string; reason: string }[] };
    expect(report.skipped.find((s) => s.path === 'minified.js')?.reason).toMatch(/size|large|MB|bytes/i);
  } finally {
    fs.renameSync(path.join(dir, 'medsec.off'), path.join(dir, '.medsec.json'));
  }
}, 150_000);
