/**
 * Counted project facts (core/fact-counts.ts), what the incremental re-scan settles project facts with: an
 * edited file's old facts come out and its new ones go in, only values whose count crosses zero change what
 * a project provides, derivations are followed, and resolving a finding agrees with the whole-project
 * resolution (core/project-facts.ts). Also the result cache's facts line: kept, and dropped by any new entry.
 */
import { describe, expect, it } from 'vitest';
import { ResultCache, type CacheStorage } from '../../server/src/core/cache';
import { derivesFact, encodeDerivation } from '../../server/src/core/derived-facts';
import { countFacts, FactLedger, parseFactCounts, serializeFactCounts } from '../../server/src/core/fact-counts';
import { resolveProjectFacts } from '../../server/src/core/project-facts';
import type { FileResult, Finding } from '../../server/src/core/types';

const RULE = 'debug-interface-enabled';

function file(path: string, facts?: Record<string, string[]>, findings: Finding[] = []): FileResult {
  return {
    path,
    language: 'text',
    findings,
    ruleFailures: [],
    notes: [],
    lines: 1,
    project: 'app',
    ...(facts ? { facts: { [RULE]: facts } } : {}),
  };
}

/** A finding that stands only while the project turns SHELL on (through a derivation or directly). */
const conditional: Finding = {
  ruleId: RULE,
  message: 'shell on',
  severity: 'high',
  confidence: 'high',
  path: 'app/Kconfig.diag',
  language: 'text',
  span: { start: 0, end: 1 },
  range: { start: { line: 0, column: 0 }, end: { line: 0, column: 1 } },
  snippet: 'select SHELL',
  fixes: [],
  when: { fact: 'on', anyOf: ['SHELL'] },
};

const derivation = { [derivesFact('on')]: [encodeDerivation({ allOf: ['DIAG'], then: 'SHELL' })] };

describe('FactLedger', () => {
  it('changes what a project provides only when a count crosses zero, following derivations', () => {
    const files = [file('app/prj.conf', { on: ['DIAG'] }), file('app/other.conf', { on: ['DIAG'] }), file('app/Kconfig', derivation)];
    const ledger = new FactLedger(parseFactCounts(serializeFactCounts(countFacts(files)))!);
    // One of two files stops turning DIAG on: the project still provides it.
    ledger.remove('app/other.conf', files[1]);
    ledger.add('app/other.conf', file('app/other.conf', {}));
    expect(ledger.changed()).toEqual(new Map());
    // The last one does too: DIAG, and SHELL derived from it, are gone.
    ledger.remove('app/prj.conf', files[0]);
    expect(ledger.changed()).toEqual(new Map([['app', new Set([`${RULE}\u0000on`])]]));
  });

  it('resolves a conditional finding as the whole-project resolution does, before and after an edit', () => {
    const diag = file('app/Kconfig.diag', undefined, [conditional]);
    const files = [file('app/prj.conf', { on: ['DIAG'] }), file('app/Kconfig', derivation), diag];
    const ledger = new FactLedger(countFacts(files));
    expect(ledger.resolve(diag, 'app').findings).toEqual(resolveProjectFacts(files)[2].findings);
    expect(ledger.resolve(diag, 'app').findings).toHaveLength(1);
    ledger.remove('app/prj.conf', files[0]);
    const edited = [file('app/prj.conf', {}), files[1], diag];
    ledger.add('app/prj.conf', edited[0]);
    expect(ledger.resolve(diag, 'app').findings).toEqual(resolveProjectFacts(edited)[2].findings);
    expect(ledger.resolve(diag, 'app').findings).toHaveLength(0);
  });
});

describe("the result cache's facts line", () => {
  it('is kept as written, and dropped when any entry is stored after it', () => {
    let text: string | undefined;
    const storage: CacheStorage = { read: () => text, write: (written) => (text = written) };
    const cache = ResultCache.open(storage, 'v1');
    cache.put('a.c', { content: 'c', settings: 's' }, file('a.c', { on: ['X'] }, [conditional]));
    cache.setIndex('{}');
    cache.setFacts('{"files":[],"projects":[]}');
    cache.save();
    const reopened = ResultCache.open(storage, 'v1');
    expect(reopened.facts).toBe('{"files":[],"projects":[]}');
    expect(reopened.stored('a.c')?.reads).toEqual([`${RULE}\u0000on`]);
    reopened.put('b.c', { content: 'c', settings: 's' }, file('b.c'));
    expect(reopened.facts).toBeUndefined();
  });
});
