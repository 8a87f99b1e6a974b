/**
 * Derived facts (core/derived-facts.ts): a project's facts closed under the derivations files declare, the way
 * Kconfig `select`, `imply` and `depends on` chains cross the files of a project.
 */
import { expect, it } from 'vitest';
import { closeDerivedFacts, derivesFact, encodeDerivation, type Derivation } from '../../server/src/core/derived-facts';
import { resolveProjectFacts } from '../../server/src/core/project-facts';
import type { FileResult, Finding } from '../../server/src/core/types';

const RULE = 'r';
const key = (fact: string) => `${RULE}\u0000${fact}`;

function close(provided: Record<string, string[]>, derivations: Derivation[]): Set<string> {
  const known = new Map<string, Set<string>>();
  for (const [fact, values] of Object.entries(provided)) known.set(key(fact), new Set(values));
  known.set(key(derivesFact('on')), new Set(derivations.map(encodeDerivation)));
  closeDerivedFacts(known);
  return known.get(key('on')) ?? new Set();
}

it('follows a chain of derivations in any order', () => {
  const on = close({ on: ['APP'] }, [
    { allOf: ['MID'], then: 'LEAF' },
    { allOf: ['APP'], then: 'MID' },
  ]);
  expect([...on].sort()).toEqual(['APP', 'LEAF', 'MID']);
});

it('needs every premise of a derivation', () => {
  expect(close({ on: ['APP'] }, [{ allOf: ['APP', 'NET'], then: 'UDP' }]).has('UDP')).toBe(false);
  expect(close({ on: ['APP', 'NET'] }, [{ allOf: ['APP', 'NET'], then: 'UDP' }]).has('UDP')).toBe(true);
  expect(close({ on: [] }, [{ allOf: [], then: 'DEFAULT_Y' }]).has('DEFAULT_Y')).toBe(true);
});

it('a derivation gives way to a value a file provides, never to a derived one', () => {
  const imply = { allOf: ['APP'], then: 'SHELL', noneOf: [{ fact: 'off', anyOf: ['SHELL'] }] };
  expect(close({ on: ['APP'], off: ['SHELL'] }, [imply]).has('SHELL')).toBe(false);
  expect(close({ on: ['APP'] }, [imply]).has('SHELL')).toBe(true);
  // Blocked by a value only derived: not blocked.
  const derivedBlock = { allOf: ['APP'], then: 'X', noneOf: [{ fact: 'on', anyOf: ['Y'] }] };
  expect(close({ on: ['APP'] }, [{ allOf: ['APP'], then: 'Y' }, derivedBlock]).has('X')).toBe(true);
});

it('survives cycles and malformed values', () => {
  const known = new Map<string, Set<string>>([
    [key('on'), new Set(['A'])],
    [
      key(derivesFact('on')),
      new Set([encodeDerivation({ allOf: ['A'], then: 'B' }), encodeDerivation({ allOf: ['B'], then: 'A' }), '{not json', '{}']),
    ],
  ]);
  closeDerivedFacts(known);
  expect([...known.get(key('on'))!].sort()).toEqual(['A', 'B']);
});

it('a whole-project scan decides conditions on the closed facts: a chain across three files', () => {
  const finding: Finding = {
    ruleId: RULE,
    message: 'm',
    severity: 'high',
    confidence: 'medium',
    path: 'Kconfig.defconfig',
    language: 'text',
    span: { start: 0, end: 1 },
    range: { start: { line: 0, column: 0 }, end: { line: 0, column: 1 } },
    snippet: 's',
    fixes: [],
    when: { fact: 'on', anyOf: ['MID'] },
  };
  const file = (path: string, facts: Record<string, string[]>, findings: Finding[] = []): FileResult => ({
    path,
    language: 'text',
    findings,
    ruleFailures: [],
    notes: [],
    lines: 1,
    facts: { [RULE]: facts },
  });
  const derives = (d: Derivation) => ({ [derivesFact('on')]: [encodeDerivation(d)] });
  const files = [
    file('prj.conf', { on: ['APP'] }),
    file('Kconfig', derives({ allOf: ['APP'], then: 'MID' })),
    file('Kconfig.defconfig', {}, [finding]),
  ];
  expect(resolveProjectFacts(files)[2].findings).toHaveLength(1);
  expect(resolveProjectFacts([files[0], files[2]])[1].findings).toHaveLength(0);
});
