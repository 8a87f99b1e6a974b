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
import { byLanguageFamily } from '../_shared/language-family';

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
    // The APIs and settings each detector (detect.ts) reads the version from: OpenSSL/wolfSSL `*_method`, the
    // min/max protocol setters, mbedTLS `ssl_conf_min/max_version`, SChannel's `grbitEnabledProtocols`; Python's
    // `minimum/maximum_version`, `PROTOCOL_*`, pyOpenSSL `*_METHOD`; Node's `secureProtocol`, `min/maxVersion`; the
    // JVM's `SSLContext`, `*EnabledProtocols`, OkHttp `tlsVersions`, `setProperty`. An Android manifest always
    // provides its fact.
    needs: (_, language) =>
      language === 'android-manifest'
        ? undefined
        : byLanguageFamily<readonly string[] | undefined>(
            language,
            {
              native: () => [
                '_method',
                '_proto_version',
                'setminversion',
                'ssl_conf_min_version',
                'ssl_conf_max_version',
                'grbitenabledprotocols',
              ],
              python: () => ['minimum_version', 'maximum_version', 'protocol_', '_method'],
              js: () => ['secureprotocol', 'minversion', 'maxversion', 'min_version', 'max_version'],
              jvm: () => ['sslcontext', 'enabledprotocols', 'tlsversions', 'setproperty'],
            },
            undefined,
          ),
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
