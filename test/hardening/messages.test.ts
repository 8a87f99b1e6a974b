/** Issue 12, item 10: messages for what is the user's to fix say so in the user's terms. */
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
