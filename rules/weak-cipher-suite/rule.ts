import type { LanguageId, RuleContext } from '../../server/src/core/types';
import { findJvmWeakCiphers, findNativeWeakCiphers, findNodeWeakCiphers, findPythonWeakCiphers, type WeakCipherFinding } from './detect';
import { runDetectors } from '../_shared/detectors';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'weak-cipher-suite',
    title: 'TLS cipher list enables NULL, EXPORT, RC4, DES, anonymous or MD5 suites',
    severity: 'medium',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [327, 326],
    fda: ['app1.C.2', 'app1.C.4', '524b.b2'],
    sees: {
      'app1.C.2': 'NULL, EXPORT, RC4, DES, anonymous and MD5 cipher suites',
      'app1.C.4': 'weak cipher suites enabled in code and configuration',
    },
    iec62443: ['CR 4.3'],
    fix: 'suggestion',
    presets: ['recommended'],
    // Every detector (detect.ts) reads a cipher list through an API or option with `cipher_list` (OpenSSL,
    // wolfSSL, curl) or `ciphers` (mbedTLS `*_ciphersuites`, Python `set_ciphers`/`ciphers=`, Node `ciphers`,
    // the JVM's `*CipherSuites`) in its name.
    needs: ['cipher_list', 'ciphers'],
    docs,
  },
  check(ctx) {
    runDetectors(ctx, DETECTORS);
  },
});

const DETECTORS: Partial<Record<LanguageId, (ctx: RuleContext) => WeakCipherFinding[]>> = {
  c: findNativeWeakCiphers,
  cpp: findNativeWeakCiphers,
  python: findPythonWeakCiphers,
  java: findJvmWeakCiphers,
  kotlin: findJvmWeakCiphers,
  typescript: findNodeWeakCiphers,
  javascript: findNodeWeakCiphers,
};
