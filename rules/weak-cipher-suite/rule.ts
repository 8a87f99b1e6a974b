import type { LanguageId, Rule, RuleContext } from '../../server/src/core/types';
import {
  findJvmWeakCiphers, findNativeWeakCiphers, findNodeWeakCiphers, findPythonWeakCiphers, type WeakCipherFinding,
} from './detect';
import { runDetectors } from '../_shared/detectors';

const DETECTORS: Partial<Record<LanguageId, (ctx: RuleContext) => WeakCipherFinding[]>> = {
  c: findNativeWeakCiphers,
  cpp: findNativeWeakCiphers,
  python: findPythonWeakCiphers,
  java: findJvmWeakCiphers,
  kotlin: findJvmWeakCiphers,
  typescript: findNodeWeakCiphers,
  javascript: findNodeWeakCiphers,
};

export default {
  meta: {
    id: 'weak-cipher-suite',
    title: 'TLS cipher list enables NULL, EXPORT, RC4, DES, anonymous or MD5 suites',
    severity: 'medium',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [327, 326],
    fda: ['app1.C.2', 'app1.C.4', '524b.b2'],
    iec62443: ['CR 4.3'],
    fix: 'suggestion',
    presets: ['recommended'],
    docs: {
      summary: [
        'Finds TLS cipher configuration that turns on suites with no encryption (NULL), no server authentication (anonymous: `aNULL`,',
        '`ADH`, `AECDH`, `*_anon_*`), export-grade keys, RC4, single DES or 3DES, or MD5 MACs, and `@SECLEVEL=0`:',
        '- **OpenSSL cipher strings** in `SSL_CTX_set_cipher_list`/`SSL_set_cipher_list`, wolfSSL `wolfSSL_CTX_set_cipher_list`, libcurl',
        '  `CURLOPT_SSL_CIPHER_LIST`, Python `ctx.set_ciphers(...)` and `ciphers=` keywords, Node `ciphers:` options and `tls.DEFAULT_CIPHERS`.',
        '  The string is evaluated the way OpenSSL reads it, left to right: `!RC4` and `!aNULL` remove a class for good, `-3DES` removes it',
        '  until a later item re-adds it, `+X` only reorders, and `A+B` is an intersection. So `HIGH:!aNULL:!MD5` and `DEFAULT` pass,',
        '  while `ALL` (which in OpenSSL includes anonymous suites and, depending on the build, RC4, DES and export suites), `eNULL`,',
        '  `COMPLEMENTOFALL`, `MEDIUM` or `RC4-SHA` fire.',
        '- **Suite names** (IANA/JSSE/mbedTLS spelling) with `NULL`, `anon`, `EXPORT`, `RC4`, `DES`/`3DES_EDE` or a trailing `MD5`: Java/Kotlin',
        '  `setEnabledCipherSuites(...)` and `enabledCipherSuites = ...`, OkHttp `cipherSuites(CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA, ...)`,',
        '  and the same-file `int` array handed to mbedTLS `mbedtls_ssl_conf_ciphersuites`.',
        '',
        'A cipher list assembled at run time (joined arrays, read from a file) is not evaluated.',
      ].join('\n'),
      risk: 'NULL suites send patient data and commands in clear text; anonymous suites let anyone in the middle pose as the server (certificate checks never happen); export, DES and RC4 suites can be broken offline or with modest hardware; 3DES falls to Sweet32 on long-lived device connections; MD5 MACs allow forgery. A device that offers any of them can be steered to them by an attacker during the handshake. FDA expects industry-standard, currently recommended cryptography that negotiates the most secure configuration (Appendix 1 C.2, C.4).',
      fix: 'Offer only forward-secret AEAD suites: ECDHE with AES-GCM or ChaCha20-Poly1305 (for OpenSSL, e.g. `"ECDHE+AESGCM:ECDHE+CHACHA20"` or at least `"HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES"`), leave TLS 1.3 suites at their defaults, and keep `@SECLEVEL` at 2 or higher. In Java prefer the provider defaults to a hand-written list; in mbedTLS list only `MBEDTLS_TLS_ECDHE_*_WITH_AES_*_GCM_*` / `*_CHACHA20_POLY1305_*` suites.',
      examples: [
        {
          language: 'c',
          bad: 'void tls_ciphers(SSL_CTX *ctx) {\n    SSL_CTX_set_cipher_list(ctx, "ALL:!EXPORT");\n}\n',
          good: 'void tls_ciphers(SSL_CTX *ctx) {\n    SSL_CTX_set_cipher_list(ctx, "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES");\n}\n',
        },
        {
          language: 'python',
          bad: 'import ssl\nctx = ssl.create_default_context()\nctx.set_ciphers("DEFAULT:RC4-SHA")\n',
          good: 'import ssl\nctx = ssl.create_default_context()\nctx.set_ciphers("ECDHE+AESGCM:ECDHE+CHACHA20")\n',
        },
        {
          language: 'java',
          bad: 'class Link {\n    void harden(SSLSocket socket) {\n        socket.setEnabledCipherSuites(new String[] {"SSL_RSA_WITH_RC4_128_SHA"});\n    }\n}\n',
          good: 'class Link {\n    void harden(SSLSocket socket) {\n        socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});\n    }\n}\n',
        },
      ],
      fixSafety: 'For an OpenSSL cipher string written as a literal at the call, the suggestion appends the exclusions for exactly the weak classes found (`:!aNULL:!RC4`, ...). `!` exclusions at the end win over anything earlier, so the result never enables those classes again; but a peer that could only negotiate one of them will then fail the handshake, so it is a suggestion, not a bulk fix (a list made only of weak suites, such as `COMPLEMENTOFALL`, becomes empty and the call then fails). `@SECLEVEL=0`, suite-name arrays and mbedTLS lists get no fix: which suites remain is a design decision.',
      references: [
        { title: 'CWE-327: Use of a Broken or Risky Cryptographic Algorithm', url: 'https://cwe.mitre.org/data/definitions/327.html' },
        { title: 'OpenSSL: ciphers (cipher list format)', url: 'https://docs.openssl.org/master/man1/openssl-ciphers/' },
        { title: 'NIST SP 800-52 Rev. 2: Guidelines for TLS Implementations', url: 'https://csrc.nist.gov/pubs/sp/800/52/r2/final' },
        { title: 'RFC 7465: Prohibiting RC4 Cipher Suites', url: 'https://www.rfc-editor.org/rfc/rfc7465' },
        { title: 'Sweet32: Birthday attacks on 64-bit block ciphers', url: 'https://sweet32.info/' },
      ],
    },
  },
  check(ctx) {
    runDetectors(ctx, DETECTORS);
  },
} satisfies Rule;
