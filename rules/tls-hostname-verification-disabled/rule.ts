import { findJvmHostnameGaps, findNativeHostnameGaps, findPythonHostnameGaps, type HostnameFinding } from './detect';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';
import { byLanguageFamily } from '../_shared/language-family';

export default defineRule({
  meta: {
    id: 'tls-hostname-verification-disabled',
    title: 'TLS certificate verified but host name not checked',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin'],
    cwe: [297],
    fda: ['app1.A.2', 'app1.C.1', '524b.b2'],
    sees: { 'app1.A.2': 'TLS connections that verify the certificate but not the host name', 'app1.C.1': 'TLS without a host-name check' },
    iec62443: ['CR 1.8', 'CR 1.9', 'CR 3.1'],
    fix: 'suggestion',
    presets: ['recommended'],
    // Each report hangs on one of these: OpenSSL/wolfSSL `*set_verify`, `mbedtls_ssl_setup`, curl's
    // `SSL_VERIFYHOST`; Python's `ssl.wrap_socket` and `verify_mode`; the JVM's endpoint identification and
    // `createSocket` (detect.ts).
    needs: (_, language) =>
      byLanguageFamily<readonly string[] | undefined>(
        language,
        {
          native: () => ['set_verify', 'mbedtls_ssl_setup', 'ssl_verifyhost'],
          python: () => ['wrap_socket', 'verify_mode'],
          jvm: () => ['endpointidentificationalgorithm', 'createsocket'],
          js: () => undefined,
        },
        undefined,
      ),
    docs,
  },
  check(ctx) {
    let findings: HostnameFinding[] = [];
    if (ctx.language === 'c' || ctx.language === 'cpp') findings = findNativeHostnameGaps(ctx);
    else if (ctx.language === 'python') findings = findPythonHostnameGaps(ctx);
    else if (ctx.language === 'java' || ctx.language === 'kotlin') findings = findJvmHostnameGaps(ctx, ctx.language);
    for (const finding of findings) {
      ctx.report({
        span: finding.span,
        message: finding.message,
        fixes: finding.fix ? [finding.fix] : undefined,
        confidence: finding.confidence,
      });
    }
  },
});
