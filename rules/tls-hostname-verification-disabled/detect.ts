/**
 * `tls-hostname-verification-disabled`: certificate checks on, host-name check off or never set up. The
 * explicit switches (`check_hostname = False`, `CURLOPT_SSL_VERIFYHOST 0`, `skip_cert_common_name_check`,
 * allow-all HostnameVerifiers) belong to `tls-verification-disabled`; this file finds what that rule does not:
 * host-name checks that the API leaves off unless the code asks for them.
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { Confidence, Fix, LanguageId, RuleContext, Span } from '../../server/src/core/types';
import { ValueIndex } from '../_shared/values';
import { identifierTokens, lastSegment, replaceFix } from '../_shared/syntax';

export interface HostnameFinding {
  span: Span;
  message: string;
  fix?: Fix;
  confidence?: Confidence;
}

const IMPOSTOR =
  'any server with a valid certificate for some other name (any public CA customer, or another device of the fleet) can then pose as this one';

// ---------------------------------------------------------------- C and C++

const OPENSSL_SET_VERIFY = new Set(['SSL_CTX_set_verify', 'SSL_set_verify']);
const WOLF_SET_VERIFY = new Set(['wolfSSL_CTX_set_verify', 'wolfSSL_set_verify']);
const OPENSSL_HOST_CHECK = new Set([
  'SSL_set1_host',
  'SSL_add1_host',
  'SSL_set_hostflags',
  'X509_VERIFY_PARAM_set1_host',
  'X509_VERIFY_PARAM_add1_host',
  'X509_check_host',
  'X509_VERIFY_PARAM_set1_ip',
  'X509_VERIFY_PARAM_set1_ip_asc',
  'X509_check_ip',
  'X509_check_ip_asc',
  'SSL_set1_ip',
  'SSL_CTX_set1_param',
  'BIO_new_ssl_connect',
]);
const WOLF_HOST_CHECK = new Set(['wolfSSL_check_domain_name', 'wolfSSL_X509_check_host', 'wolfSSL_set1_host']);
const OPENSSL_CLIENT =
  /^(?:SSL_connect|SSL_set_connect_state|TLS_client_method|SSLv23_client_method|TLSv1_2_client_method|DTLS_client_method|SSL_do_handshake)$/;
const WOLF_CLIENT = /^(?:wolfSSL_connect|wolfSSL_set_connect_state|wolf\w*_client_method(?:_ex)?)$/;
const SERVER_SIDE = /^(?:SSL_accept|SSL_set_accept_state|TLS_server_method|\w*_server_method(?:_ex)?|wolfSSL_accept)$/;

function opensslMissingHostCheck(ctx: RuleContext, out: HostnameFinding[]): void {
  const names = new Set(ctx.model.calls.map((c) => c.name));
  const has = (set: ReadonlySet<string>) => [...set].some((n) => names.has(n));
  const isClient = (re: RegExp) => [...names].some((n) => re.test(n)) && ![...names].some((n) => SERVER_SIDE.test(n));
  const families = [
    {
      verify: OPENSSL_SET_VERIFY,
      peer: 'SSL_VERIFY_PEER',
      checked: has(OPENSSL_HOST_CHECK),
      client: isClient(OPENSSL_CLIENT),
      fix: 'SSL_set1_host(ssl, host) (SSL_set_tlsext_host_name only sends SNI)',
    },
    {
      verify: WOLF_SET_VERIFY,
      peer: 'WOLFSSL_VERIFY_PEER',
      checked: has(WOLF_HOST_CHECK),
      client: isClient(WOLF_CLIENT),
      fix: 'wolfSSL_check_domain_name(ssl, host) (wolfSSL_UseSNI only sends SNI)',
    },
  ];
  for (const family of families) {
    if (family.checked || !family.client) continue;
    for (const call of ctx.model.calls) {
      if (!family.verify.has(call.name) || !call.args[1]) continue;
      const peer = identifierTokens(call.args[1], [family.peer])[0];
      if (!peer) continue;
      out.push({
        span: peer.span,
        message: `This TLS client verifies the certificate chain (${family.peer}) but nothing in the file tells the library which host name to expect, so the name in the certificate is never compared: ${IMPOSTOR}. Call ${family.fix} before the handshake.`,
        confidence: 'medium',
      });
    }
  }
}

function mbedtlsMissingHostname(ctx: RuleContext, out: HostnameFinding[]): void {
  const calls = ctx.model.calls;
  if (calls.some((c) => c.name === 'mbedtls_ssl_set_hostname')) return;
  const client = calls.some(
    (c) => c.name === 'mbedtls_ssl_config_defaults' && c.args.some((a) => identifierTokens(a, ['MBEDTLS_SSL_IS_CLIENT']).length),
  );
  if (!client) return;
  // Only when verification is required (the client default, or set explicitly); NONE and OPTIONAL are tls-verification-disabled's.
  const authmodes = calls.filter((c) => c.name === 'mbedtls_ssl_conf_authmode');
  if (authmodes.some((c) => c.args[1] && identifierTokens(c.args[1], ['MBEDTLS_SSL_VERIFY_NONE', 'MBEDTLS_SSL_VERIFY_OPTIONAL']).length))
    return;
  for (const setup of calls.filter((c) => c.name === 'mbedtls_ssl_setup')) {
    out.push({
      span: setup.calleeSpan,
      message: `This mbedTLS client verifies the server certificate but never calls mbedtls_ssl_set_hostname(), so the certificate's name is not checked: ${IMPOSTOR}. Call mbedtls_ssl_set_hostname(&ssl, host) after mbedtls_ssl_setup().`,
      confidence: 'medium',
    });
  }
}

function curlVerifyHostOne(ctx: RuleContext, out: HostnameFinding[]): void {
  for (const call of ctx.model.calls) {
    if (call.name !== 'curl_easy_setopt') continue;
    const option = call.args[1];
    const value = call.args[2];
    if (option?.kind !== 'name' || !/^CURLOPT_(?:PROXY_)?SSL_VERIFYHOST$/.test(option.value ?? '')) continue;
    if (value?.kind !== 'number' || !/^0*1[uUlL]*$/.test(value.text)) continue;
    out.push({
      span: value,
      message: `${option.value} set to 1 only checked that the certificate had some name in libcurl before 7.28.1, and was rejected as an error until 7.66: the host is not reliably compared, so ${IMPOSTOR}. Set it to 2L.`,
      fix: replaceFix('Check the host name in the certificate (2L)', value, value.text.replace(/1/, '2')),
      confidence: 'medium',
    });
  }
}

export function findNativeHostnameGaps(ctx: RuleContext): HostnameFinding[] {
  const out: HostnameFinding[] = [];
  opensslMissingHostCheck(ctx, out);
  mbedtlsMissingHostname(ctx, out);
  curlVerifyHostOne(ctx, out);
  return out;
}

// ---------------------------------------------------------------- Python

const PY_SERVER = /\bserver_side\s*=\s*True\b|\bPROTOCOL_TLS_SERVER\b|\bPurpose\.CLIENT_AUTH\b/;

export function findPythonHostnameGaps(ctx: RuleContext): HostnameFinding[] {
  const out: HostnameFinding[] = [];
  const server = PY_SERVER.test(ctx.text.content);
  for (const call of ctx.model.calls) {
    if (call.callee !== 'ssl.wrap_socket' || server) continue;
    out.push({
      span: call.calleeSpan,
      message: `ssl.wrap_socket() never checks the server host name (and without cert_reqs it verifies no certificate at all); it was removed in Python 3.12: ${IMPOSTOR}. Use ssl.create_default_context(cafile=...).wrap_socket(sock, server_hostname=host).`,
    });
  }
  if (server) return out;
  const values = new ValueIndex(ctx.model);
  // `ctx = ssl.SSLContext(PROTOCOL_TLS)` has check_hostname off; verify_mode = CERT_REQUIRED on it checks the chain only.
  const hostnameOn = new Set(
    ctx.model.bindings
      .filter((b) => b.name === 'check_hostname' && b.value.kind === 'boolean' && b.value.text === 'True')
      .map((b) => b.target.slice(0, -'.check_hostname'.length)),
  );
  for (const b of ctx.model.bindings) {
    if (b.name !== 'verify_mode' || b.value.kind !== 'name' || lastSegment(b.value.value ?? '') !== 'CERT_REQUIRED') continue;
    const owner = b.target.slice(0, -'.verify_mode'.length);
    if (!owner || hostnameOn.has(owner)) continue;
    const source = values.resolve({ kind: 'name', value: owner, text: owner, start: b.start, end: b.start } as Expr, b)?.call;
    if (!source || source.callee !== 'ssl.SSLContext') continue;
    const protocol = source.args[0] ?? source.named.find((p) => p.key === 'protocol')?.value;
    if (protocol && /PROTOCOL_TLS_(?:CLIENT|SERVER)$/.test(protocol.text)) continue;
    out.push({
      span: b,
      message: `${owner} is an ssl.SSLContext(${protocol?.text ?? ''}) with check_hostname off by default, so CERT_REQUIRED here verifies the chain but not the host name: ${IMPOSTOR}. Use ssl.PROTOCOL_TLS_CLIENT or ssl.create_default_context(), or set ${owner}.check_hostname = True.`,
      confidence: 'medium',
    });
  }
  return out;
}

// ---------------------------------------------------------------- Java and Kotlin

function isNullOrEmpty(expr: Expr | undefined): boolean {
  // Kotlin's `null` comes out of the model as a name.
  return expr?.kind === 'null' || (expr?.kind === 'name' && expr.value === 'null') || (expr?.kind === 'string' && expr.value === '');
}

export function findJvmHostnameGaps(ctx: RuleContext, language: LanguageId): HostnameFinding[] {
  const out: HostnameFinding[] = [];
  const endpointCalls = ctx.model.calls.filter((c) => c.name === 'setEndpointIdentificationAlgorithm');
  const endpointBindings = ctx.model.bindings.filter((b) => b.name === 'endpointIdentificationAlgorithm' && b.kind === 'assignment');
  for (const call of endpointCalls) {
    if (!isNullOrEmpty(call.args[0])) continue;
    out.push({
      span: call.args[0],
      message: `setEndpointIdentificationAlgorithm(${call.args[0].text}) turns off the host-name check on this SSL engine or socket: ${IMPOSTOR}. Pass "HTTPS" (or "LDAPS").`,
      fix: replaceFix('Check the host name ("HTTPS")', call.args[0], '"HTTPS"', 'suggestion'),
    });
  }
  for (const b of endpointBindings) {
    if (!isNullOrEmpty(b.value)) continue;
    out.push({
      span: b.value,
      message: `endpointIdentificationAlgorithm = ${b.value.text} turns off the host-name check on this SSL engine or socket: ${IMPOSTOR}. Set it to "HTTPS".`,
      fix: replaceFix('Check the host name ("HTTPS")', b.value, '"HTTPS"', 'suggestion'),
    });
  }
  // A raw SSLSocket from an SSLSocketFactory checks the chain but never the host name unless asked to.
  const asksForIdentification =
    endpointCalls.length > 0 ||
    endpointBindings.length > 0 ||
    ctx.model.calls.some((c) => c.name === 'verify' && /HostnameVerifier|hostnameVerifier/.test(c.receiver?.text ?? ''));
  if (asksForIdentification) return out;
  const values = new ValueIndex(ctx.model);
  for (const call of ctx.model.calls) {
    if (call.name !== 'createSocket' || !call.receiver || !isSslSocketFactory(values, call, call.receiver)) continue;
    if (!call.args.some((a) => a.kind === 'string' || /host/i.test(a.text))) continue;
    out.push({
      span: call.calleeSpan,
      message: `An SSLSocket made by SSLSocketFactory.createSocket() verifies the certificate chain but not the host name, and nothing here turns endpoint identification on: ${IMPOSTOR}. Set sslParameters.endpointIdentificationAlgorithm = "HTTPS" on the socket before the handshake${language === 'java' ? ' (SSLParameters.setEndpointIdentificationAlgorithm)' : ''}.`,
      confidence: 'medium',
    });
  }
  return out;
}

function isSslSocketFactory(values: ValueIndex, at: Call, receiver: Expr): boolean {
  const text = (r: Expr | undefined): string => r?.text ?? '';
  const resolved = receiver.kind === 'name' ? values.resolve(receiver, at) : receiver;
  const t = `${text(receiver)} ${text(resolved)}`;
  return /\bSSLSocketFactory\b|\b(?:get)?[sS]ocketFactory\b/.test(t) && !/\bSocketFactory\.getDefault\b(?!.*SSL)/.test(t);
}
