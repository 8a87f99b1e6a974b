import type { Rule } from '../../server/src/core/types';
import {
  findJvmHostnameGaps, findNativeHostnameGaps, findPythonHostnameGaps, type HostnameFinding,
} from './detect';

export default {
  meta: {
    id: 'tls-hostname-verification-disabled',
    title: 'TLS certificate verified but host name not checked',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin'],
    cwe: [297],
    fda: ['app1.A.2', 'app1.C.1', '524b.b2'],
    iec62443: ['CR 1.8', 'CR 1.9', 'CR 3.1'],
    fix: 'suggestion',
    presets: ['recommended'],
    docs: {
      summary: [
        'Finds TLS clients that verify the certificate chain but never compare the certificate with the host they meant to reach,',
        'because the API leaves that check off unless the code asks for it:',
        '- **OpenSSL/wolfSSL** (medium confidence): a client (`SSL_connect`, `TLS_client_method`, ...) that sets `SSL_VERIFY_PEER` /',
        '  `WOLFSSL_VERIFY_PEER` while nothing in the file calls `SSL_set1_host`, `X509_VERIFY_PARAM_set1_host`, `SSL_set_hostflags`,',
        '  `X509_check_host` or `wolfSSL_check_domain_name`. `SSL_set_tlsext_host_name` and `wolfSSL_UseSNI` only send SNI: they check nothing.',
        '- **mbedTLS** (medium confidence): a client (`MBEDTLS_SSL_IS_CLIENT`) whose certificate check is required (the default) that calls',
        '  `mbedtls_ssl_setup` but never `mbedtls_ssl_set_hostname`.',
        '- **libcurl** (medium confidence): `CURLOPT_SSL_VERIFYHOST` set to `1`, which before curl 7.28.1 accepted any name.',
        '- **Python**: `ssl.wrap_socket()` (never checks the host name; removed in 3.12), and `verify_mode = ssl.CERT_REQUIRED` on an',
        '  `ssl.SSLContext(PROTOCOL_TLS)`-style context whose `check_hostname` stays off (medium confidence).',
        '- **Java/Kotlin**: `setEndpointIdentificationAlgorithm(null | "")`, and raw `SSLSocketFactory.createSocket(host, ...)` sockets in a file',
        '  that never turns endpoint identification on (medium confidence).',
        '',
        'Switches that turn the host-name check off explicitly (`check_hostname = False`, `CURLOPT_SSL_VERIFYHOST` 0, ESP-IDF',
        '`skip_cert_common_name_check = true`, allow-all `HostnameVerifier`s, `checkServerIdentity` that accepts everything) are reported by',
        '`tls-verification-disabled`, which owns every "verification turned off" switch; this rule owns "verification never turned on", so no',
        'line is reported by both. Clients whose certificate check is itself off are also left to `tls-verification-disabled`.',
        'The C, mbedTLS and raw-socket checks look at one file: a host-name call in another file of the same client is not seen, hence',
        'the medium confidence.',
      ].join('\n'),
      risk: 'Chain verification alone proves only that some CA issued the certificate to someone. Without the host-name comparison, any certificate from the trusted CAs passes: a certificate bought for an unrelated domain, or, with a private device CA, the certificate of any other device in the fleet. An attacker on the hospital network can then pose as the cloud service, the update server or the infusion pump and read or alter patient data and commands. FDA expects mutual authentication of connections and standard cryptography correctly applied (Appendix 1 A.2, C.1).',
      fix: 'Tell the TLS library which name to expect before the handshake: `SSL_set1_host(ssl, host)` (OpenSSL 1.1+), `wolfSSL_check_domain_name(ssl, host)`, `mbedtls_ssl_set_hostname(&ssl, host)`, `CURLOPT_SSL_VERIFYHOST` 2L; in Python use `ssl.create_default_context()` or `PROTOCOL_TLS_CLIENT` and pass `server_hostname`; in Java set `SSLParameters.setEndpointIdentificationAlgorithm("HTTPS")` on raw sockets and engines. Devices reached by IP address need the IP in the certificate\'s subjectAltName (`X509_VERIFY_PARAM_set1_ip_asc`).',
      examples: [
        {
          language: 'c',
          bad: 'int connect_cloud(mbedtls_ssl_context *ssl, mbedtls_ssl_config *conf) {\n    mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);\n    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_REQUIRED);\n    return mbedtls_ssl_setup(ssl, conf);\n}\n',
          good: 'int connect_cloud(mbedtls_ssl_context *ssl, mbedtls_ssl_config *conf, const char *host) {\n    mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);\n    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_REQUIRED);\n    int ret = mbedtls_ssl_setup(ssl, conf);\n    return ret ? ret : mbedtls_ssl_set_hostname(ssl, host);\n}\n',
        },
        {
          language: 'python',
          bad: 'import ssl\n\ndef connect(sock):\n    return ssl.wrap_socket(sock, cert_reqs=ssl.CERT_REQUIRED, ca_certs="/etc/pump/ca.pem")\n',
          good: 'import ssl\n\ndef connect(sock, host):\n    ctx = ssl.create_default_context(cafile="/etc/pump/ca.pem")\n    return ctx.wrap_socket(sock, server_hostname=host)\n',
        },
        {
          language: 'java',
          bad: 'class Link {\n    void open(SSLEngine engine) {\n        SSLParameters params = engine.getSSLParameters();\n        params.setEndpointIdentificationAlgorithm(null);\n        engine.setSSLParameters(params);\n    }\n}\n',
          good: 'class Link {\n    void open(SSLEngine engine) {\n        SSLParameters params = engine.getSSLParameters();\n        params.setEndpointIdentificationAlgorithm("HTTPS");\n        engine.setSSLParameters(params);\n    }\n}\n',
        },
      ],
      fixSafety: 'Suggestions only. `CURLOPT_SSL_VERIFYHOST` 1 → 2 and `setEndpointIdentificationAlgorithm(null)` → `"HTTPS"` make connections fail when the certificate does not name the host, which is the intent but needs certificates that carry the right names (IP-addressed devices in particular). Missing `SSL_set1_host`/`mbedtls_ssl_set_hostname` calls get no fix: the host variable and the place of the call cannot be inferred.',
      references: [
        { title: 'CWE-297: Improper Validation of Certificate with Host Mismatch', url: 'https://cwe.mitre.org/data/definitions/297.html' },
        { title: 'OpenSSL: SSL_set1_host', url: 'https://docs.openssl.org/master/man3/SSL_set1_host/' },
        { title: 'OpenSSL wiki: Hostname validation', url: 'https://wiki.openssl.org/index.php/Hostname_validation' },
        { title: 'libcurl: CURLOPT_SSL_VERIFYHOST', url: 'https://curl.se/libcurl/c/CURLOPT_SSL_VERIFYHOST.html' },
        { title: 'Python: ssl security considerations', url: 'https://docs.python.org/3/library/ssl.html#security-considerations' },
        { title: 'The most dangerous code in the world: validating SSL certificates in non-browser software', url: 'https://crypto.stanford.edu/~dabo/pubs/abstracts/ssl-client-bugs.html' },
      ],
    },
  },
  check(ctx) {
    let findings: HostnameFinding[] = [];
    if (ctx.language === 'c' || ctx.language === 'cpp') findings = findNativeHostnameGaps(ctx);
    else if (ctx.language === 'python') findings = findPythonHostnameGaps(ctx);
    else if (ctx.language === 'java' || ctx.language === 'kotlin') findings = findJvmHostnameGaps(ctx, ctx.language);
    for (const finding of findings) {
      ctx.report({ span: finding.span, message: finding.message, fixes: finding.fix ? [finding.fix] : undefined, confidence: finding.confidence });
    }
  },
} satisfies Rule;
