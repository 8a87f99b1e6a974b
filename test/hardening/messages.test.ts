/** Issue 12, item 10: messages for what is the user's to fix say so in the user's terms. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { formatText } from '../../server/src/cli/format/text';
import { styleFor } from '../../server/src/cli/terminal';
import { loadConfig } from '../../server/src/core/config';
import type { ScanResult } from '../../server/src/core/types';
import { BUILTIN } from '../helpers/registry';

function resultWith(ruleFailures: ScanResult['files'][number]['ruleFailures']): ScanResult {
  return {
    root: process.cwd(),
    files: [{ path: 'x.c', language: 'c', findings: [], ruleFailures, notes: [], lines: 1 }],
    skipped: [],
    config: loadConfig(process.cwd(), undefined, BUILTIN),
    durationMs: 1,
  };
}

describe('a slow custom rule', () => {
  it('is listed as disabled for exceeding its budget, not as a failure to report', () => {
    const text = formatText(
      resultWith([
        {
          ruleId: 'acme/slow',
          path: 'x.c',
          error: 'acme/slow exceeded its 50 ms budget on x.c and was disabled for this run',
          overBudget: true,
        },
      ]),
      styleFor({ isTTY: false }),
    );
    expect(text).toMatch(
      /Custom rules disabled for exceeding their time budget \(customRuleBudgetMs\): 1\n {2}acme\/slow on x\.c: acme\/slow exceeded its 50 ms budget/,
    );
    expect(text).not.toMatch(/please report/);
  });

  it('a real rule failure still asks to be reported', () => {
    const text = formatText(resultWith([{ ruleId: 'weak-hash', path: 'x.c', error: 'boom' }]), styleFor({ isTTY: false }));
    expect(text).toMatch(/Rule failures \(please report them\): 1/);
  });
});

describe('a configuration file that cannot be read', () => {
  function readError(explicit: boolean): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-unreadable-'));
    try {
      // A folder where the file should be: reading it fails (EISDIR) whoever runs the test, root included.
      fs.mkdirSync(path.join(dir, '.medsec.json'));
      try {
        loadConfig(dir, explicit ? path.join(dir, '.medsec.json') : undefined, BUILTIN);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('the configuration loaded');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it('points at --config only when --config named it', () => {
    expect(readError(true)).toMatch(/check the path given to --config/);
    const found = readError(false);
    expect(found).toMatch(/cannot read the configuration file/);
    expect(found).not.toMatch(/--config/);
  });
});
