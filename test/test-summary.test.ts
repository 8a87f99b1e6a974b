// scripts/test-summary.mjs: the "N passed, N failed" line CI prints, summed over the unit and e2e reports.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = join(__dirname, '../scripts/test-summary.mjs');
const dir = mkdtempSync(join(tmpdir(), 'medsec-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const report = (name: string, content: object) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(content));
  return file;
};
const summary = (...files: string[]) => {
  const run = spawnSync(process.execPath, [script, ...files], { encoding: 'utf8' });
  return { line: run.stdout.trim().split('\n').pop(), status: run.status };
};

describe('test-summary', () => {
  const unit = report('unit.json', { numPassedTests: 10, numFailedTests: 0, numPendingTests: 2, testResults: [] });
  const e2e = report('e2e.json', {
    numPassedTests: 5,
    numFailedTests: 1,
    testResults: [{ status: 'failed', assertionResults: [{ status: 'failed' }] }],
  });
  const unloadable = report('broken.json', {
    numPassedTests: 3,
    numFailedTests: 0,
    testResults: [{ status: 'failed', assertionResults: [] }],
  });

  it('sums several reports', () => {
    expect(summary(unit, e2e)).toEqual({ line: '15 passed, 1 failed, 2 skipped', status: 1 });
    expect(summary(unit)).toEqual({ line: '10 passed, 0 failed, 2 skipped', status: 0 });
  });
  it('counts a suite that failed to load, and a missing report, as one failure each', () => {
    expect(summary(unloadable)).toEqual({ line: '3 passed, 1 failed', status: 1 });
    expect(summary(unit, join(dir, 'missing.json'))).toEqual({ line: '10 passed, 1 failed, 2 skipped', status: 1 });
  });
});
