import { expect, it } from 'vitest';
import { resolveProjectFacts } from '../../server/src/core/project-facts';
import type { FileResult, Finding } from '../../server/src/core/types';

const finding = (ruleId: string, unless?: Finding['unless']): Finding => ({
  ruleId, message: 'm', severity: 'high', confidence: 'medium', path: 'a.c', language: 'c', span: { start: 0, end: 1 },
  range: { start: { line: 0, column: 0 }, end: { line: 0, column: 1 } }, snippet: 's', fixes: [], ...(unless ? { unless } : {}),
});
const file = (path: string, findings: Finding[], facts?: FileResult['facts']): FileResult => ({ path, language: 'c', findings, ruleFailures: [], notes: [], lines: 1, ...(facts ? { facts } : {}) });

it('drops a conditional finding when another file provides the fact, for the same rule only', () => {
  const files = resolveProjectFacts([
    file('ota.c', [
      finding('unsigned-firmware-update', { fact: 'verifies-signature', anyOf: ['check_image'] }),
      finding('unsigned-firmware-update', { fact: 'verifies-signature', anyOf: ['crc_image'] }),
      finding('other-rule', { fact: 'verifies-signature', anyOf: ['check_image'] }),
      finding('weak-hash'),
    ]),
    file('verify.c', [], { 'unsigned-firmware-update': { 'verifies-signature': ['check_image'] } }),
  ]);
  expect(files[0].findings.map((f) => `${f.ruleId} ${f.unless?.anyOf[0] ?? ''}`)).toEqual([
    'unsigned-firmware-update crc_image', 'other-rule check_image', 'weak-hash ',
  ]);
});

it('leaves results untouched when no file provides anything', () => {
  const files = [file('a.c', [finding('unsigned-firmware-update', { fact: 'verifies-signature', anyOf: ['x'] })])];
  expect(resolveProjectFacts(files)).toBe(files);
});
