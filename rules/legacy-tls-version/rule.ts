import type { LanguageId, RuleContext, Rule } from '../../server/src/core/types';
import {
  findJvmLegacyTls, findNativeLegacyTls, findNodeLegacyTls, findPythonLegacyTls, type LegacyTlsFinding,
} from './detect';
import { runDetectors } from '../_shared/detectors';

const DETECTORS: Partial<Record<LanguageId, (ctx: RuleContext) => LegacyTlsFinding[]>> = {
  c: findNativeLegacyTls,
  cpp: findNativeLegacyTls,
  python: findPythonLegacyTls,
  java: findJvmLegacyTls,
  kotlin: findJvmLegacyTls,
  typescript: findNodeLegacyTls,
  javascript: findNodeLegacyTls,
};

export default {
  meta: {
    id: 'legacy-tls-version',
    title: 'SSL 3.0, TLS 1.0 or TLS 1.1 enabled',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [327, 757],
    fda: ['app1.C.2', 'app1.C.4', 'app1.C.5', '524b.b2'],
    iec62443: ['CR 4.3'],
    fix: 'safe',
    presets: ['recommended'],
    docs: {
      summary: [
        'Finds TLS configuration that pins, allows or caps the connection at a deprecated protocol version (SSL 2.0/3.0, TLS 1.0, TLS 1.1):',
        '- **C/C++**: fixed-version methods (`SSLv3_method`, `TLSv1_client_method`, `TLSv1_1_server_method`, wolfSSL `wolfTLSv1_1_client_method`, ...),',
        '  `SSL_CTX_set_min_proto_version`/`SSL_set_min_proto_version` with `SSL3_VERSION`, `TLS1_VERSION` or `TLS1_1_VERSION` (also through a',
        '  same-file `#define`), the matching `*_max_proto_version` caps, mbedTLS 2.x `mbedtls_ssl_conf_min_version`/`max_version` with major 3 and',
        '  minor 0–2, wolfSSL `wolfSSL_CTX_SetMinVersion` with `WOLFSSL_SSLV3`/`WOLFSSL_TLSV1`/`WOLFSSL_TLSV1_1`, and SChannel `SP_PROT_SSL3_*`,',
        '  `SP_PROT_TLS1_0_*`, `SP_PROT_TLS1_1_*` in `grbitEnabledProtocols`.',
        '- **Python**: `ssl.PROTOCOL_SSLv3`, `PROTOCOL_TLSv1`, `PROTOCOL_TLSv1_1` passed or assigned anywhere, `minimum_version`/`maximum_version`',
        '  set to `TLSVersion.SSLv3`/`TLSv1`/`TLSv1_1`, pyOpenSSL `SSL.TLSv1_METHOD` and friends.',
        '- **Node**: `secureProtocol: \'TLSv1_method\'` (and the SSLv3/TLSv1_1 variants), `minVersion`/`maxVersion` or `tls.DEFAULT_MIN_VERSION` set to',
        '  `\'TLSv1\'`, `\'TLSv1.1\'` or `\'SSLv3\'`.',
        '- **Java/Kotlin**: `SSLContext.getInstance("TLSv1" | "TLSv1.1" | "SSLv3")` (and `"SSL"` at medium confidence), old names in',
        '  `setEnabledProtocols(...)`/`enabledProtocols = ...`, OkHttp `TlsVersion.TLS_1_0`/`TLS_1_1`/`SSL_3_0` in `tlsVersions(...)`, and',
        '  `https.protocols`/`jdk.tls.client.protocols` system properties that list them.',
        '',
        '`ssl.PROTOCOL_TLS`/`PROTOCOL_SSLv23`, `TLS_method()` and `SSLContext.getInstance("TLS")` negotiate the best shared version and are',
        'not reported by themselves. mbedTLS 3.x `mbedtls_ssl_conf_min_tls_version` has no value below TLS 1.2, so it is never reported.',
      ].join('\n'),
      risk: 'SSL 3.0, TLS 1.0 and TLS 1.1 were deprecated by the IETF (RFC 7568, RFC 8996) because of practical attacks (POODLE, BEAST, downgrade through weak SHA-1/MD5 handshake hashes). A device or companion app that still accepts them can be forced onto the old protocol by anyone on the network path, who can then recover session cookies or tokens, read patient data, or inject commands. FDA expects current NIST-recommended cryptography over the service life and the most recent secure protocol configuration with no downgrade (Appendix 1 C.2, C.4, C.5); NIST SP 800-52r2 requires TLS 1.2 or later.',
      fix: 'Negotiate the version instead of pinning it (`TLS_client_method()`, `ssl.PROTOCOL_TLS_CLIENT`, `SSLContext.getInstance("TLS")`) and set the floor to TLS 1.2: `SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION)`, `ctx.minimum_version = ssl.TLSVersion.TLSv1_2`, Node `minVersion: \'TLSv1.2\'`, `mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3)` (or mbedTLS 3.x, where TLS 1.2 is the minimum). If a legacy peer truly cannot do TLS 1.2, isolate it behind a gateway that can, and document the exception in the risk assessment.',
      examples: [
        {
          language: 'c',
          bad: 'void tls_init(SSL_CTX *ctx) {\n    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);\n}\n',
          good: 'void tls_init(SSL_CTX *ctx) {\n    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);\n}\n',
        },
        {
          language: 'python',
          bad: 'import ssl\nctx = ssl.create_default_context()\nctx.minimum_version = ssl.TLSVersion.TLSv1\n',
          good: 'import ssl\nctx = ssl.create_default_context()\nctx.minimum_version = ssl.TLSVersion.TLSv1_2\n',
        },
        {
          language: 'typescript',
          bad: "import tls from 'tls';\nexport const socket = tls.connect({ host, port: 8883, minVersion: 'TLSv1' });\n",
          good: "import tls from 'tls';\nexport const socket = tls.connect({ host, port: 8883, minVersion: 'TLSv1.2' });\n",
        },
        {
          language: 'java',
          bad: 'class Link {\n    SSLContext context() throws Exception {\n        return SSLContext.getInstance("TLSv1");\n    }\n}\n',
          good: 'class Link {\n    SSLContext context() throws Exception {\n        return SSLContext.getInstance("TLS");\n    }\n}\n',
        },
      ],
      fixSafety: [
        'Safe fixes raise a minimum version to TLS 1.2 and change nothing else: `TLS1_VERSION`/`TLS1_1_VERSION`/`SSL3_VERSION` → `TLS1_2_VERSION`,',
        '`MBEDTLS_SSL_MINOR_VERSION_0..2` → `MBEDTLS_SSL_MINOR_VERSION_3`, `WOLFSSL_TLSV1*` → `WOLFSSL_TLSV1_2`, `TLSVersion.TLSv1` → `TLSv1_2`,',
        "Node `minVersion: 'TLSv1'` → `'TLSv1.2'`. A peer that cannot speak TLS 1.2 then fails the handshake, which is the intended outcome.",
        'Suggestions only: `ssl.PROTOCOL_TLSv1` → `ssl.PROTOCOL_TLS_CLIENT` (that constant also turns on host-name checking and `CERT_REQUIRED`,',
        'so a client that relied on the old defaults needs a CA), Java `SSLContext.getInstance("TLSv1")` → `"TLS"`, and Node',
        "`secureProtocol` → `'TLS_method'`. Fixed-version C methods, maximum-version caps and protocol lists get no fix: the replacement",
        'method and the right list depend on the role and the peers.',
      ].join('\n'),
      references: [
        { title: 'CWE-327: Use of a Broken or Risky Cryptographic Algorithm', url: 'https://cwe.mitre.org/data/definitions/327.html' },
        { title: 'RFC 8996: Deprecating TLS 1.0 and TLS 1.1', url: 'https://www.rfc-editor.org/rfc/rfc8996' },
        { title: 'NIST SP 800-52 Rev. 2: Guidelines for TLS Implementations', url: 'https://csrc.nist.gov/pubs/sp/800/52/r2/final' },
        { title: 'OWASP: Transport Layer Security Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html' },
        { title: 'OpenSSL: SSL_CTX_set_min_proto_version', url: 'https://docs.openssl.org/master/man3/SSL_CTX_set_min_proto_version/' },
      ],
    },
  },
  check(ctx) {
    runDetectors(ctx, DETECTORS);
  },
} satisfies Rule;
