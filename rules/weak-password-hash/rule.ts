import { findFastPasswordHashes, findWeakPbkdf2, passwordHashNeeds } from './detect';
import { findPassphraseCiphers } from './passphrase-ciphers';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'weak-password-hash',
    title: 'Password hashed with a fast hash, few PBKDF2 iterations or a constant salt',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [916, 759, 760],
    fda: ['app1.C.2', 'app1.A.5', '524b.b2'],
    sees: {
      'app1.C.2': 'fast, few-iteration or constant-salt password hashing',
      'app1.A.5': 'passwords hashed with a fast hash, few iterations or a constant salt',
    },
    iec62443: ['CR 1.5', 'CR 1.7', 'CR 4.3'],
    fix: 'suggestion',
    presets: ['recommended'],
    needs: (_, language) => passwordHashNeeds(language),
    docs,
  },
  check(ctx) {
    const findings = [...findFastPasswordHashes(ctx), ...findWeakPbkdf2(ctx.model, ctx.language), ...findPassphraseCiphers(ctx)];
    for (const finding of findings) {
      ctx.report({ span: finding.span, message: finding.message, fixes: finding.fix ? [finding.fix] : undefined });
    }
  },
});
