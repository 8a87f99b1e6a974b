import type { LanguageId, RuleContext } from '../../server/src/core/types';
import {
  ANDROID_APP,
  findJvmLegacyTls,
  findNativeLegacyTls,
  findNodeLegacyTls,
  findPythonLegacyTls,
  type LegacyTlsFinding,
} from './detect';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'legacy-tls-version',
    title: 'SSL 3.0, TLS 1.0 or TLS 1.1 enabled',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript', 'android-manifest'],
    cwe: [327, 757],
    fda: ['app1.C.2', 'app1.C.4', 'app1.C.5', '524b.b2'],
    sees: {
      'app1.C.2': 'SSL 3.0, TLS 1.0 and TLS 1.1',
      'app1.C.4': 'SSL 3.0, TLS 1.0 and TLS 1.1 allowed in code and configuration',
      'app1.C.5': 'TLS configuration that lets a connection fall back to a deprecated version',
    },
    iec62443: ['CR 4.3'],
    fix: 'safe',
    presets: ['recommended'],
    docs,
  },
  check(ctx) {
    if (ctx.language === 'android-manifest') {
      ctx.provide(ANDROID_APP.fact, ANDROID_APP.anyOf);
      return;
    }
    for (const found of DETECTORS[ctx.language]?.(ctx) ?? []) {
      ctx.report({
        span: found.span,
        message: found.message,
        confidence: found.confidence,
        fixes: found.fix ? [found.fix] : undefined,
        unless: found.unless,
      });
    }
  },
});

const DETECTORS: Partial<Record<LanguageId, (ctx: RuleContext) => LegacyTlsFinding[]>> = {
  c: findNativeLegacyTls,
  cpp: findNativeLegacyTls,
  python: findPythonLegacyTls,
  java: findJvmLegacyTls,
  kotlin: findJvmLegacyTls,
  typescript: findNodeLegacyTls,
  javascript: findNodeLegacyTls,
};
