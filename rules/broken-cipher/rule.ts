import type { RuleContext } from '../../server/src/core/types';
import { WEAKNESS_TEXT } from './algorithms';
import { detectBrokenCiphers } from './detect';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'broken-cipher',
    title: 'Broken cipher or mode: DES, 3DES, RC2, RC4, Blowfish, ECB, or RSA encryption without OAEP',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [327, 780],
    fda: ['app1.C.1', 'app1.C.2', '524b.b2'],
    iec62443: ['CR 4.3', 'CR 1.14'],
    fix: 'suggestion',
    presets: ['recommended'],
    docs,
  },
  check: findBrokenCiphers,
});

function findBrokenCiphers(ctx: RuleContext): void {
  for (const hit of detectBrokenCiphers({ language: ctx.language, model: ctx.model, text: ctx.text })) {
    const { what, instead } = WEAKNESS_TEXT[hit.weakness];
    ctx.report({
      span: { start: hit.span.start, end: hit.span.end },
      message: `\`${hit.api}\` selects ${what}. ${instead}`,
      fixes: hit.fix ? [{ title: hit.fix.title, safety: 'suggestion', edits: [hit.fix.edit] }] : undefined,
    });
  }
}
