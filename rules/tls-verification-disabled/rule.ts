import type { LanguageId, Rule } from '../../server/src/core/types';
import type { Detector } from '../_shared/syntax';
import { findJvmTlsBypass } from './jvm';
import { findKconfigTlsBypass, findNativeTlsBypass } from './native';
import { findDotenvTlsBypass, findNodeTlsBypass } from './node';
import { findPythonTlsBypass } from './python';
import { runDetectors } from '../_shared/detectors';

const DETECTORS: Partial<Record<LanguageId, Detector>> = {
  c: findNativeTlsBypass,
  cpp: findNativeTlsBypass,
  python: findPythonTlsBypass,
  java: findJvmTlsBypass,
  kotlin: findJvmTlsBypass,
  typescript: findNodeTlsBypass,
  javascript: findNodeTlsBypass,
  kconfig: findKconfigTlsBypass,
  dotenv: findDotenvTlsBypass,
};

export default {
  meta: {
    id: 'tls-verification-disabled',
    title: 'TLS certificate or host-name verification disabled',
    severity: 'critical',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript', 'kconfig', 'dotenv'],
    cwe: [295, 297],
    fda: ['app1.A.2', 'app1.C.1', '524b.b2'],
    iec62443: ['CR 1.9', 'CR 1.8', 'CR 3.1'],
    fix: 'safe',
    presets: ['recommended'],
    docs: {
      summary: [
        'Finds TLS clients that accept any server certificate or any host name:',
        '- **C/C++**: `SSL_CTX_set_verify`/`SSL_set_verify`/`wolfSSL_CTX_set_verify` with `SSL_VERIFY_NONE`, verify callbacks that always return 1,',
        '  `mbedtls_ssl_conf_authmode` with `MBEDTLS_SSL_VERIFY_NONE` (or `..._OPTIONAL` when nothing in the file calls',
        '  `mbedtls_ssl_get_verify_result`), mbedTLS verify callbacks that clear every flag, libcurl `CURLOPT_SSL_VERIFYPEER`/`VERIFYHOST` set to 0,',
        '  ESP-IDF `skip_cert_common_name_check = true`, Qt `VerifyNone`/`QueryPeer` and `ignoreSslErrors()`, Boost.Asio `verify_none`,',
        '  and WinHTTP/WinINet `*_IGNORE_*` certificate flags passed to a call.',
        '- **sdkconfig**: `CONFIG_ESP_TLS_INSECURE=y`, `CONFIG_ESP_TLS_SKIP_SERVER_CERT_VERIFY=y`.',
        '- **Python**: `verify=False` (requests, httpx), `session.verify = False`, `ssl._create_unverified_context()`, `ssl.CERT_NONE`',
        '  as `verify_mode` or `cert_reqs`, `check_hostname = False`, aiohttp `ssl=False`, pycurl `SSL_VERIFYPEER` 0.',
        '- **Node**: `rejectUnauthorized: false`, `NODE_TLS_REJECT_UNAUTHORIZED = "0"` (also in `.env`), a `checkServerIdentity` that never returns an error.',
        '- **Java/Kotlin**: X509TrustManagers whose `checkServerTrusted` never throws, HostnameVerifiers (classes, lambdas, OkHttp)',
        '  that always return true, `NoopHostnameVerifier`, `ALLOW_ALL_HOSTNAME_VERIFIER`, `TrustAllStrategy`, `getInsecure()`, and',
        '  WebView `onReceivedSslError` that calls `proceed()`.',
        '',
        'Server-side settings that only mean "do not ask clients for a certificate" (OpenSSL `SSL_VERIFY_NONE` on a server context,',
        'mbedTLS `MBEDTLS_SSL_IS_SERVER`, Python `PROTOCOL_TLS_SERVER`) are not reported. `MBEDTLS_SSL_VERIFY_OPTIONAL` is not reported',
        'when the code calls `mbedtls_ssl_get_verify_result()`: that is the documented way to make the decision yourself, for instance',
        'to log the reason or accept a pinned certificate.',
      ].join('\n'),
      risk: 'Without certificate and host-name checks, anyone who can reach the network path (hospital Wi-Fi, a compromised gateway, a rogue BLE-to-IP bridge) can pose as the cloud service, the update server or the clinician app. They can then read patient data, send forged therapy settings or alarms, or serve altered firmware, and the device reports nothing wrong. FDA expects mutual authentication of external connections and industry-standard cryptography (Appendix 1 A.2 and C.1).',
      fix: 'Turn verification back on and give the client what it needs to verify: the server CA or a pinned certificate (mbedTLS `mbedtls_ssl_conf_ca_chain`, OpenSSL `SSL_CTX_load_verify_locations`, ESP-IDF `crt_bundle_attach` or `cert_pem`, requests `verify="/path/ca.pem"`, Node `ca`, Android network security config). Keep host-name checking on; when a device connects by IP or by an internal name, put that name in the certificate rather than disabling the check. For test rigs, use a test CA instead of a switch that can ship.',
      examples: [
        {
          language: 'c',
          bad: 'void tls_setup(mbedtls_ssl_config *conf) {\n    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_NONE);\n}\n',
          good: 'void tls_setup(mbedtls_ssl_config *conf, mbedtls_x509_crt *ca) {\n    mbedtls_ssl_conf_ca_chain(conf, ca, NULL);\n    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_REQUIRED);\n}\n',
        },
        {
          language: 'python',
          bad: 'import requests\nresp = requests.get(url, verify=False, timeout=10)\n',
          good: 'import requests\nresp = requests.get(url, verify="/etc/pump/ca.pem", timeout=10)\n',
        },
        {
          language: 'typescript',
          bad: "import https from 'https';\nexport const agent = new https.Agent({ rejectUnauthorized: false });\n",
          good: "import https from 'https';\nexport const agent = new https.Agent({ ca: deviceCa, rejectUnauthorized: true });\n",
        },
        {
          language: 'java',
          bad: 'class TrustAll implements X509TrustManager {\n    public void checkClientTrusted(X509Certificate[] chain, String type) {}\n    public void checkServerTrusted(X509Certificate[] chain, String type) {}\n    public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }\n}\n',
          good: 'class Pinned implements X509TrustManager {\n    public void checkClientTrusted(X509Certificate[] chain, String type) throws CertificateException { throw new CertificateException("no client auth"); }\n    public void checkServerTrusted(X509Certificate[] chain, String type) throws CertificateException { platform.checkServerTrusted(chain, type); }\n    public X509Certificate[] getAcceptedIssuers() { return platform.getAcceptedIssuers(); }\n}\n',
        },
        {
          language: 'kconfig',
          bad: 'CONFIG_ESP_TLS_INSECURE=y\nCONFIG_ESP_TLS_SKIP_SERVER_CERT_VERIFY=y\n',
          good: '# CONFIG_ESP_TLS_INSECURE is not set\nCONFIG_MBEDTLS_CERTIFICATE_BUNDLE=y\n',
        },
      ],
      fixSafety: [
        'Safe fixes change only the switch: `SSL_VERIFY_NONE` → `SSL_VERIFY_PEER` (the right mode for a client; `SSL_VERIFY_FAIL_IF_NO_PEER_CERT`',
        'only matters on servers), `MBEDTLS_SSL_VERIFY_NONE`/`OPTIONAL` → `MBEDTLS_SSL_VERIFY_REQUIRED`, curl `VERIFYPEER` → `1L` and `VERIFYHOST` → `2L`,',
        '`verify=False` → `verify=True`, `ssl.CERT_NONE` → `ssl.CERT_REQUIRED`, `rejectUnauthorized: false` → `true`, `NODE_TLS_REJECT_UNAUTHORIZED` → `1`.',
        'After them a connection to a server whose certificate does not verify fails instead of silently succeeding: that is the point,',
        'but provision the CA before you ship. Suggestions only: `check_hostname = True` (Python raises if `verify_mode` is still',
        '`CERT_NONE` at that moment), ESP-IDF `skip_cert_common_name_check = false` (may need `common_name` set), and sdkconfig',
        'changes (run menuconfig to settle dependent options). Trust-all TrustManagers, always-true HostnameVerifiers and verify',
        'callbacks get no fix: the correct replacement (platform trust manager, pinning, a host comparison) depends on the deployment',
        'and cannot be inferred, and deleting the class would not compile.',
      ].join('\n'),
      references: [
        { title: 'CWE-295: Improper Certificate Validation', url: 'https://cwe.mitre.org/data/definitions/295.html' },
        { title: 'CWE-297: Improper Validation of Certificate with Host Mismatch', url: 'https://cwe.mitre.org/data/definitions/297.html' },
        { title: 'OWASP: Transport Layer Security Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html' },
        { title: 'Android: Unsafe X509TrustManager', url: 'https://developer.android.com/privacy-and-security/risks/unsafe-trustmanager' },
        { title: 'mbedTLS: mbedtls_ssl_conf_authmode', url: 'https://mbed-tls.readthedocs.io/projects/api/en/development/api/file/ssl_8h/' },
        { title: 'Node.js: tls.connect options', url: 'https://nodejs.org/api/tls.html#tlsconnectoptions-callback' },
      ],
    },
  },
  check(ctx) {
    runDetectors(ctx, DETECTORS);
  },
} satisfies Rule;
