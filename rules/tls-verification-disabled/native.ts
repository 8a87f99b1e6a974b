/**
 * `tls-verification-disabled` for C and C++ (OpenSSL/BoringSSL, wolfSSL, mbedTLS, libcurl, ESP-IDF, Qt,
 * Boost.Asio, WinHTTP/WinINet) and for ESP-IDF sdkconfig.
 */
import type { Call, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { identifierTokens, isOffLiteral, isOnLiteral, lastSegment, replaceFix, spanOfWord, type TlsFinding } from '../_shared/syntax';

const OPENSSL_SET_VERIFY = new Set(['SSL_CTX_set_verify', 'SSL_set_verify', 'wolfSSL_CTX_set_verify', 'wolfSSL_set_verify']);
const MBEDTLS_AUTHMODE = new Set(['mbedtls_ssl_conf_authmode', 'mbedtls_ssl_set_hs_authmode']);
const CURL_PEER = new Set(['CURLOPT_SSL_VERIFYPEER', 'CURLOPT_PROXY_SSL_VERIFYPEER']);
const CURL_HOST = new Set(['CURLOPT_SSL_VERIFYHOST', 'CURLOPT_PROXY_SSL_VERIFYHOST']);
/** ESP-IDF config fields (esp_http_client_config_t, esp_tls_cfg_t, esp_mqtt_client_config_t, websocket). */
const ESP_SKIP_CN = new Set(['skip_cert_common_name_check', 'skip_common_name']);
const WINDOWS_IGNORE_FLAGS = [
  'SECURITY_FLAG_IGNORE_UNKNOWN_CA',
  'SECURITY_FLAG_IGNORE_CERT_CN_INVALID',
  'SECURITY_FLAG_IGNORE_CERT_DATE_INVALID',
  'SECURITY_FLAG_IGNORE_CERT_WRONG_USAGE',
  'SECURITY_FLAG_IGNORE_ALL_CERT_ERRORS',
  'INTERNET_FLAG_IGNORE_CERT_CN_INVALID',
  'INTERNET_FLAG_IGNORE_CERT_DATE_INVALID',
];
const ESP_TLS_INSECURE_KEYS = new Set(['CONFIG_ESP_TLS_INSECURE', 'CONFIG_ESP_TLS_SKIP_SERVER_CERT_VERIFY']);

// A TLS server that does not ask for client certificates is ordinary (and SSL_VERIFY_NONE is its default):
// those calls are not this rule's business, and turning them into VERIFY_PEER would break every client.
const SERVER_CALL = /(?:^|_)server_method$|^(?:SSL|wolfSSL)_(?:accept|set_accept_state)$|^startServerEncryption$/;
const CLIENT_CALL =
  /(?:^|_)client_method$|^(?:SSL|wolfSSL)_(?:connect|set_connect_state)$|^SSL_set_tlsext_host_name$|^SSL_set1_host$|^wolfSSL_(?:check_domain_name|UseSNI)$|^mbedtls_ssl_set_hostname$|^connectToHostEncrypted$/;
const SERVER_ARG = /\b(?:MBEDTLS_SSL_IS_SERVER|context::(?:tls|tlsv1[0-3]?|sslv23)_server)\b/;
const CLIENT_ARG = /\b(?:MBEDTLS_SSL_IS_CLIENT|context::(?:tls|tlsv1[0-3]?|sslv23)_client)\b/;

function roleOf(calls: readonly Call[], text: string): 'server' | 'client' | undefined {
  const client = calls.some((c) => CLIENT_CALL.test(c.name)) || CLIENT_ARG.test(text);
  const server = calls.some((c) => SERVER_CALL.test(c.name)) || SERVER_ARG.test(text);
  if (client) return 'client';
  return server ? 'server' : undefined;
}

/** Whether the configured endpoint is a TLS server: judged in the enclosing function first, then the file. */
function isServerSide(ctx: RuleContext, call: Call): boolean {
  const fn = call.fn;
  if (fn) {
    const local = roleOf(fn.calls, ctx.text.content.slice(fn.start, fn.end));
    if (local) return local === 'server';
  }
  return roleOf(ctx.model.calls, ctx.text.content) === 'server';
}

function functionNamed(ctx: RuleContext, name: string | undefined): FunctionDef | undefined {
  if (!name) return undefined;
  return ctx.model.functions.find((fn) => fn.name === name && fn.body);
}

/** An OpenSSL/wolfSSL verify callback that accepts every certificate: every return is the literal 1. */
function acceptsEverything(fn: FunctionDef): boolean {
  return (
    fn.returns.length > 0 &&
    fn.returns.every((r) => (r.kind === 'number' && /^1[uUlL]*$/.test(r.text)) || (r.kind === 'boolean' && r.text === 'true'))
  );
}

/** An mbedTLS verify callback that clears the error flags unconditionally (`*flags = 0;` with no `if`). */
function clearsMbedtlsFlags(ctx: RuleContext, fn: FunctionDef): boolean {
  const flags = fn.params[3];
  if (!flags || !fn.body) return false;
  const body = ctx.text.content.slice(fn.body.start, fn.body.end);
  const clear = new RegExp(`\\*\\s*(?:\\(\\s*)?${flags}\\s*(?:\\)\\s*)?=\\s*0[uUlL]*\\s*;`);
  return clear.test(body) && !/\b(?:if|switch)\b|\?/.test(body);
}

function opensslVerify(ctx: RuleContext, call: Call, out: TlsFinding[]): void {
  const mode = call.args[1];
  if (!mode) return;
  const wolf = call.name.startsWith('wolfSSL');
  const peer = wolf ? 'WOLFSSL_VERIFY_PEER' : 'SSL_VERIFY_PEER';
  const none = identifierTokens(mode, ['WOLFSSL_VERIFY_NONE', 'SSL_VERIFY_NONE']);
  const verifiesPeer = identifierTokens(mode, ['WOLFSSL_VERIFY_PEER', 'SSL_VERIFY_PEER']).length > 0;
  if ((none.length || isOffLiteral(mode)) && !verifiesPeer) {
    if (isServerSide(ctx, call)) return;
    const span = none[0]?.span ?? mode;
    out.push({
      span,
      message: `${call.name} with ${none[0]?.name ?? 'mode 0'} accepts any server certificate, so anyone on the network can impersonate the server and read or alter device traffic; use ${peer}.`,
      fix: replaceFix(`Verify the peer certificate (${peer})`, span, peer),
    });
    return;
  }
  const callbackArg = call.args[2];
  const callback = callbackArg?.kind === 'name' ? functionNamed(ctx, callbackArg.value) : undefined;
  if (callback && acceptsEverything(callback)) {
    out.push({
      span: callbackArg!,
      message: `Verify callback ${callback.name} always returns 1, overriding every certificate error, so any server certificate is accepted; return the preverify result (and add checks) instead.`,
    });
  }
}

function verifyCallbacks(ctx: RuleContext, call: Call, out: TlsFinding[]): void {
  if (call.name === 'SSL_CTX_set_cert_verify_callback' || call.name === 'wolfSSL_CTX_set_cert_verify_callback') {
    const arg = call.args[1];
    const callback = arg?.kind === 'name' ? functionNamed(ctx, arg.value) : undefined;
    if (callback && acceptsEverything(callback)) {
      out.push({
        span: arg!,
        message: `Certificate verify callback ${callback.name} replaces chain verification and always returns 1, so any server certificate is accepted; call X509_verify_cert() in it or remove it.`,
      });
    }
  }
  if (call.name === 'mbedtls_ssl_conf_verify' || call.name === 'mbedtls_ssl_set_verify') {
    const arg = call.args[1];
    const callback = arg?.kind === 'name' ? functionNamed(ctx, arg.value) : undefined;
    if (callback && clearsMbedtlsFlags(ctx, callback)) {
      out.push({
        span: arg!,
        message: `mbedTLS verify callback ${callback.name} clears every verification flag, so expired, untrusted and mismatched certificates are all accepted; only clear flags you have checked yourself.`,
      });
    }
  }
}

function mbedtlsAuthmode(ctx: RuleContext, call: Call, checksResult: boolean, out: TlsFinding[]): void {
  const mode = call.args[1];
  if (!mode || isServerSide(ctx, call)) return;
  for (const token of identifierTokens(mode, ['MBEDTLS_SSL_VERIFY_NONE', 'MBEDTLS_SSL_VERIFY_OPTIONAL'])) {
    const fix = replaceFix('Require a valid peer certificate (MBEDTLS_SSL_VERIFY_REQUIRED)', token.span, 'MBEDTLS_SSL_VERIFY_REQUIRED');
    if (token.name === 'MBEDTLS_SSL_VERIFY_NONE') {
      out.push({
        span: token.span,
        message:
          'MBEDTLS_SSL_VERIFY_NONE skips server certificate verification, so anyone on the network can impersonate the server; use MBEDTLS_SSL_VERIFY_REQUIRED.',
        fix,
      });
    } else if (!checksResult) {
      out.push({
        span: token.span,
        message:
          'MBEDTLS_SSL_VERIFY_OPTIONAL completes the handshake with an invalid certificate and nothing here calls mbedtls_ssl_get_verify_result(), so verification is effectively off; use MBEDTLS_SSL_VERIFY_REQUIRED.',
        fix,
        confidence: 'medium',
      });
    }
  }
}

function curlOption(call: Call, out: TlsFinding[]): void {
  const option = call.args[1];
  const value = call.args[2];
  if (option?.kind !== 'name' || !isOffLiteral(value)) return;
  const name = option.value ?? '';
  if (CURL_PEER.has(name)) {
    out.push({
      span: value!,
      message: `${name} set to 0 makes libcurl accept any server certificate, so the device would talk to an impostor; set it to 1L and give libcurl a CA bundle.`,
      fix: replaceFix('Verify the peer certificate (1L)', value!, '1L'),
    });
  } else if (CURL_HOST.has(name)) {
    out.push({
      span: value!,
      message: `${name} set to 0 makes libcurl accept a certificate issued for any host name, so a valid certificate for another site passes; set it to 2L.`,
      fix: replaceFix('Check the host name in the certificate (2L)', value!, '2L'),
    });
  }
}

function qtAndBoost(ctx: RuleContext, call: Call, out: TlsFinding[]): void {
  // Arguments are resolved on first use: only for the three calls this looks at.
  if (call.name !== 'setPeerVerifyMode' && call.name !== 'ignoreSslErrors' && call.name !== 'set_verify_mode') return;
  const arg = call.args[0];
  if (call.name === 'setPeerVerifyMode' && arg?.kind === 'name' && /^(VerifyNone|QueryPeer)$/.test(lastSegment(arg.value ?? ''))) {
    if (isServerSide(ctx, call)) return;
    const mode = lastSegment(arg.value ?? '');
    const span = spanOfWord(ctx, arg, mode);
    out.push({
      span,
      message: `QSslSocket::${mode} does not verify the server certificate, so anyone on the network can impersonate the server; use QSslSocket::VerifyPeer.`,
      fix: replaceFix('Verify the peer certificate (VerifyPeer)', span, 'VerifyPeer'),
    });
  }
  if (call.name === 'ignoreSslErrors' && call.args.length === 0 && call.receiver) {
    out.push({
      span: call,
      message:
        'ignoreSslErrors() without a list ignores every certificate error on this connection, so an impostor server is accepted; handle the errors, or pass only the specific expected QSslError.',
    });
  }
  if (call.name === 'set_verify_mode' && arg) {
    if (isServerSide(ctx, call)) return;
    const none = identifierTokens(arg, ['verify_none']);
    if (none.length && !identifierTokens(arg, ['verify_peer']).length) {
      out.push({
        span: none[0].span,
        message:
          'ssl::verify_none skips server certificate verification, so anyone on the network can impersonate the server; use ssl::verify_peer.',
        fix: replaceFix('Verify the peer certificate (verify_peer)', none[0].span, 'verify_peer'),
      });
    }
  }
}

/** A flag name preceded by `~` is being cleared, not set. */
function isCleared(ctx: RuleContext, start: number): boolean {
  return /~\s*(?:\(\s*)?$/.test(ctx.text.content.slice(Math.max(0, start - 8), start));
}

function windowsFlags(ctx: RuleContext, out: TlsFinding[], seen: Set<number>): void {
  const report = (span: { start: number; end: number }, flag: string) => {
    if (seen.has(span.start) || isCleared(ctx, span.start)) return;
    seen.add(span.start);
    out.push({
      span,
      message: `${flag} tells WinHTTP/WinINet to accept a certificate it would reject, so a workstation talking to the device back end can be served by an impostor; remove the flag and fix the certificate instead.`,
    });
  };
  // Every finding is one of the flags' names: a file that never writes one has no argument to look at.
  if (!WINDOWS_IGNORE_FLAGS.some((flag) => ctx.text.content.includes(flag))) return;
  for (const call of ctx.model.calls) {
    for (const arg of call.args) for (const token of identifierTokens(arg, WINDOWS_IGNORE_FLAGS)) report(token.span, token.name);
  }
  // `flags = SECURITY_FLAG_IGNORE_UNKNOWN_CA | ...;` followed by a call that is passed `flags` or `&flags`.
  for (const binding of ctx.model.bindings) {
    if (binding.kind !== 'declaration' && binding.kind !== 'assignment') continue;
    const tokens = identifierTokens(binding.value, WINDOWS_IGNORE_FLAGS);
    if (!tokens.length) continue;
    const scope = binding.fn ? binding.fn.calls : ctx.model.calls;
    const passed = scope.some(
      (call) => call.start > binding.end && call.args.some((arg) => arg.kind === 'name' && arg.value === binding.target),
    );
    if (passed) for (const token of tokens) report(token.span, token.name);
  }
}

function espSkipCommonName(ctx: RuleContext, out: TlsFinding[]): void {
  for (const binding of ctx.model.bindings) {
    if (!ESP_SKIP_CN.has(binding.name) || !isOnLiteral(binding.value)) continue;
    const off = binding.value.kind === 'number' ? '0' : 'false';
    out.push({
      span: binding.value,
      message: `${binding.name} turns off the host-name check, so a valid certificate issued for any other host is accepted; leave it false and set common_name if the host name differs from the URL.`,
      fix: replaceFix(`Check the server host name (${off})`, binding.value, off, 'suggestion'),
    });
  }
}

/**
 * The pre-filter of a C file (meta.needs): each finding is on a call of one of these APIs (the OpenSSL, wolfSSL
 * and mbed TLS verify settings and callbacks, curl's options, Qt's and Boost's modes), a Windows flag, or an
 * ESP-TLS common-name field.
 */
export const NATIVE_NEEDS: readonly string[] = [
  'set_verify', // SSL_CTX_set_verify, wolfSSL_set_verify, mbedtls_ssl_set_verify, set_verify_mode
  'cert_verify_callback',
  'conf_verify',
  ...MBEDTLS_AUTHMODE,
  'curl_easy_setopt',
  'setPeerVerifyMode',
  'ignoreSslErrors',
  ...WINDOWS_IGNORE_FLAGS,
  ...ESP_SKIP_CN,
];

/** The pre-filter of a Kconfig fragment: the ESP-TLS options that switch verification off. */
export const KCONFIG_NEEDS: readonly string[] = [...ESP_TLS_INSECURE_KEYS].map((key) => key.replace(/^CONFIG_/, ''));

export function findNativeTlsBypass(ctx: RuleContext): TlsFinding[] {
  const out: TlsFinding[] = [];
  const checksMbedtlsResult = ctx.model.calls.some((c) => c.name === 'mbedtls_ssl_get_verify_result');
  for (const call of ctx.model.calls) {
    if (OPENSSL_SET_VERIFY.has(call.name)) opensslVerify(ctx, call, out);
    else if (MBEDTLS_AUTHMODE.has(call.name)) mbedtlsAuthmode(ctx, call, checksMbedtlsResult, out);
    else if (call.name === 'curl_easy_setopt') curlOption(call, out);
    else {
      verifyCallbacks(ctx, call, out);
      qtAndBoost(ctx, call, out);
    }
  }
  windowsFlags(ctx, out, new Set());
  espSkipCommonName(ctx, out);
  return out;
}

export function findKconfigTlsBypass(ctx: RuleContext): TlsFinding[] {
  const out: TlsFinding[] = [];
  for (const entry of ctx.model.config) {
    if (!ESP_TLS_INSECURE_KEYS.has(entry.key) || entry.value !== 'y') continue;
    const what =
      entry.key === 'CONFIG_ESP_TLS_INSECURE'
        ? 'enables ESP-TLS options that bypass server certificate checks'
        : 'makes ESP-TLS skip server certificate verification for every connection';
    out.push({
      span: entry,
      message: `${entry.key}=y ${what}, so the device can be served by an impostor; disable it and provision the server CA (or the certificate bundle).`,
      fix: replaceFix(`Disable ${entry.key}`, entry, `# ${entry.key} is not set`, 'suggestion'),
    });
  }
  return out;
}
