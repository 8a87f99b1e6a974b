/**
 * Issue 10, item 4: generated inputs whose data flow is deep (a variable reassigned from itself thousands of
 * times, an expression nested thousands deep) must not overflow the stack in any rule or run past the file's
 * time budget. broken-cipher and non-constant-time-comparison threw "Maximum call stack size exceeded" on
 * such code (vendored jQuery, a generated Java concatenation); the flow layer now bounds how deep a query
 * descends and charges every visit to its work budget.
 */
import { describe, expect, it } from 'vitest';
import { checkFile, type CheckInput } from '../../server/src/core/check';
import { resolveConfig } from '../../server/src/core/config';
import { BUILTIN } from '../helpers/registry';
import { javaConcatenation, selfReassignedChain } from '../helpers/hostile-source';

const strict = resolveConfig({ extends: ['medsec:strict'] }, undefined, process.cwd(), BUILTIN);

async function failuresOf(input: Omit<CheckInput, 'text'>, text: string) {
  const result = await checkFile({ ...input, text }, strict.rulesFor(input.relativePath));
  return result.ruleFailures;
}

describe('every rule survives deep data flow', () => {
  it.each([
    ['python', 'chain.py'],
    ['javascript', 'chain.js'],
    ['c', 'chain.c'],
  ] as const)(
    '%s: a variable reassigned from itself 3,000 times',
    async (language, file) => {
      const failures = await failuresOf({ path: `/p/${file}`, relativePath: file, language }, selfReassignedChain(language, 3_000));
      expect(failures).toEqual([]);
    },
    120_000,
  );

  it('java: a string concatenation of 5,000 literals', async () => {
    const failures = await failuresOf({ path: '/p/Chain.java', relativePath: 'Chain.java', language: 'java' }, javaConcatenation(5_000));
    expect(failures).toEqual([]);
  }, 120_000);
});
