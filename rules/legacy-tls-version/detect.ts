/**
 * `legacy-tls-version` detectors: protocol methods, minimum/maximum version settings and protocol lists that
 * enable SSL 2/3, TLS 1.0 or TLS 1.1, per language family (C/C++ TLS stacks, Python ssl and pyOpenSSL,
 * Node tls options, JSSE and OkHttp).
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { Confidence, Fix, ProjectCondition, RuleContext, Span } from '../../server/src/core/types';
import { ValueIndex } from '../_shared/values';
import { identifierTokens, lastSegment, replaceFix } from '../_shared/syntax';
import { pushAll } from '../../server/src/core/arrays';

export interface LegacyTlsFinding {
  span: Span;
  message: string;
  fix?: Fix;
  confidence?: Confidence;
  unless?: ProjectCondition;
}

/** The fact an `AndroidManifest.xml` provides to the project: the Java/Kotlin code is built for Android. */
export const ANDROID_APP: ProjectCondition = { fact: 'android-app', anyOf: ['AndroidManifest.xml'] };

const WHY = 'known attacks (POODLE, BEAST, weak MACs) let a network attacker read or alter the session';

// ---------------------------------------------------------------- C and C++

/** OpenSSL, BoringSSL and wolfSSL fixed-version method constructors. */
const FIXED_METHOD = /^(?:wolf)?(SSLv2|SSLv3|TLSv1|TLSv1_1|DTLSv1)_(?:client_|server_)?method(?:_ex)?$/;
const OPENSSL_VERSION_FIX: Record<string, string> = {
  SSL3_VERSION: 'TLS1_2_VERSION',
  TLS1_VERSION: 'TLS1_2_VERSION',
  TLS1_1_VERSION: 'TLS1_2_VERSION',
  DTLS1_VERSION: 'DTLS1_2_VERSION',
};
const OPENSSL_MIN = new Set(['SSL_CTX_set_min_proto_version', 'SSL_set_min_proto_version']);
const OPENSSL_MAX = new Set(['SSL_CTX_set_max_proto_version', 'SSL_set_max_proto_version']);
const WOLF_VERSION_FIX: Record<string, string> = {
  WOLFSSL_SSLV3: 'WOLFSSL_TLSV1_2',
  WOLFSSL_TLSV1: 'WOLFSSL_TLSV1_2',
  WOLFSSL_TLSV1_1: 'WOLFSSL_TLSV1_2',
};
const WOLF_MIN = new Set(['wolfSSL_CTX_SetMinVersion', 'wolfSSL_SetMinVersion']);
const MBEDTLS_MIN = new Set(['mbedtls_ssl_conf_min_version']);
const MBEDTLS_MAX = new Set(['mbedtls_ssl_conf_max_version']);
/** mbedTLS 2.x minor version → protocol name (major 3 is TLS). */
const MBEDTLS_MINOR: Record<string, string> = {
  MBEDTLS_SSL_MINOR_VERSION_0: 'SSL 3.0',
  MBEDTLS_SSL_MINOR_VERSION_1: 'TLS 1.0',
  MBEDTLS_SSL_MINOR_VERSION_2: 'TLS 1.1',
  0: 'SSL 3.0',
  1: 'TLS 1.0',
  2: 'TLS 1.1',
};
/** Windows SChannel protocol bits for SSL 2/3, TLS 1.0 and TLS 1.1. */
const SCHANNEL_OLD = /^SP_PROT_(?:SSL2|SSL3|TLS1|TLS1_0|TLS1_1|PCT1|SSL3TLS1)(?:_CLIENT|_SERVER)?$/;
const SCHANNEL_FIELDS = new Set(['grbitEnabledProtocols']);

function protocolOfOpenssl(name: string): string {
  return name
    .replace(/^SSL3_VERSION$/, 'SSL 3.0')
    .replace(/^TLS1_VERSION$/, 'TLS 1.0')
    .replace(/^TLS1_1_VERSION$/, 'TLS 1.1')
    .replace(/^DTLS1_VERSION$/, 'DTLS 1.0');
}

function methodName(match: string): string {
  return { SSLv2: 'SSL 2.0', SSLv3: 'SSL 3.0', TLSv1: 'TLS 1.0', TLSv1_1: 'TLS 1.1', DTLSv1: 'DTLS 1.0' }[match] ?? match;
}

/** A version argument as a token: directly (with a fix) or through a same-file `#define`/constant (no fix). */
function versionToken(
  values: ValueIndex,
  call: Call,
  arg: Expr | undefined,
): { name: string; shown: string; span: Span; direct: boolean } | undefined {
  if (!arg) return undefined;
  if (arg.kind === 'name' && arg.value) {
    const resolved = values.resolve(arg, call);
    const name = resolved?.kind === 'name' ? (resolved.value ?? arg.value) : resolved?.kind === 'number' ? resolved.text : arg.value;
    const direct = resolved === arg;
    return { name, shown: direct ? name : `${arg.value} (${name})`, span: arg, direct };
  }
  if (arg.kind === 'number') {
    const name = arg.text.replace(/(?<![uUlL])[uUlL]+$/, '');
    return { name, shown: name, span: arg, direct: true };
  }
  return undefined;
}

/**
 * A prototype the parser read as a call: `const SSL_METHOD *TLSv1_method(void)`, also inside a
 * `DEPRECATEDIN_1_1_0(...)` macro of a vendored `ssl.h`. A declaration enables nothing.
 */
function isDeclaration(ctx: RuleContext, call: Call): boolean {
  if (call.args.length === 1 && call.args[0].text.trim() === 'void') return true;
  return /\*\s*$/.test(ctx.text.content.slice(Math.max(0, call.start - 40), call.start));
}

function nativeCall(ctx: RuleContext, values: ValueIndex, call: Call, out: LegacyTlsFinding[]): void {
  const method = FIXED_METHOD.exec(call.name);
  if (method) {
    if (isDeclaration(ctx, call)) return;
    const version = methodName(method[1]);
    out.push({
      span: call.calleeSpan,
      message: `${call.name}() speaks only ${version}, which is deprecated (RFC 8996/7568): ${WHY}. Use TLS_client_method()/TLS_server_method() and set the minimum version to TLS 1.2.`,
    });
    return;
  }
  if (OPENSSL_MIN.has(call.name) || OPENSSL_MAX.has(call.name)) {
    const token = versionToken(values, call, call.args[1]);
    if (!token || !OPENSSL_VERSION_FIX[token.name]) return;
    const version = protocolOfOpenssl(token.name);
    if (OPENSSL_MIN.has(call.name)) {
      out.push({
        span: token.span,
        message: `${call.name}() with ${token.shown} lets the handshake fall back to ${version}: ${WHY}. Require ${OPENSSL_VERSION_FIX[token.name]} or later.`,
        fix: token.direct
          ? replaceFix(`Require ${OPENSSL_VERSION_FIX[token.name]} as the minimum`, token.span, OPENSSL_VERSION_FIX[token.name])
          : undefined,
      });
    } else {
      out.push({
        span: token.span,
        message: `${call.name}() with ${token.shown} caps the connection at ${version}, so it never uses a current protocol: ${WHY}. Remove the cap or set it to TLS1_3_VERSION.`,
      });
    }
    return;
  }
  if (WOLF_MIN.has(call.name)) {
    const token = versionToken(values, call, call.args[1]);
    if (!token || !WOLF_VERSION_FIX[token.name]) return;
    out.push({
      span: token.span,
      message: `${call.name}() with ${token.shown} accepts ${token.name.replace('WOLFSSL_', '').replace('SSLV3', 'SSL 3.0').replace('TLSV1_1', 'TLS 1.1').replace('TLSV1', 'TLS 1.0')}: ${WHY}. Use WOLFSSL_TLSV1_2 or later.`,
      fix: token.direct ? replaceFix('Require TLS 1.2 as the minimum (WOLFSSL_TLSV1_2)', token.span, 'WOLFSSL_TLSV1_2') : undefined,
    });
    return;
  }
  if (MBEDTLS_MIN.has(call.name) || MBEDTLS_MAX.has(call.name)) {
    const major = versionToken(values, call, call.args[1]);
    const minor = versionToken(values, call, call.args[2]);
    if (!major || !minor || !(major.name === 'MBEDTLS_SSL_MAJOR_VERSION_3' || major.name === '3')) return;
    const version = MBEDTLS_MINOR[minor.name];
    if (!version) return;
    if (MBEDTLS_MIN.has(call.name)) {
      const replacement = /^\d+$/.test(minor.name) ? '3' : 'MBEDTLS_SSL_MINOR_VERSION_3';
      out.push({
        span: minor.span,
        message: `mbedtls_ssl_conf_min_version() with ${minor.shown} lets the handshake fall back to ${version}: ${WHY}. Use MBEDTLS_SSL_MINOR_VERSION_3 (TLS 1.2).`,
        fix: minor.direct ? replaceFix('Require TLS 1.2 as the minimum (MBEDTLS_SSL_MINOR_VERSION_3)', minor.span, replacement) : undefined,
      });
    } else {
      out.push({
        span: minor.span,
        message: `mbedtls_ssl_conf_max_version() with ${minor.shown} caps the connection at ${version}: ${WHY}. Remove the cap or allow TLS 1.2 and later.`,
      });
    }
  }
}

function schannel(ctx: RuleContext, out: LegacyTlsFinding[]): void {
  for (const binding of ctx.model.bindings) {
    if (!SCHANNEL_FIELDS.has(binding.name)) continue;
    const tokens = binding.value.text.match(/\bSP_PROT_\w+/g) ?? [];
    const old = [...new Set(tokens.filter((t) => SCHANNEL_OLD.test(t)))];
    for (const token of identifierTokens(binding.value, old)) {
      if (/~\s*(?:\(\s*)?$/.test(ctx.text.content.slice(Math.max(0, token.span.start - 8), token.span.start))) continue;
      out.push({
        span: token.span,
        message: `${token.name} in grbitEnabledProtocols enables a deprecated protocol on this SChannel connection: ${WHY}. Enable only SP_PROT_TLS1_2_* and SP_PROT_TLS1_3_*.`,
      });
    }
  }
}

export function findNativeLegacyTls(ctx: RuleContext): LegacyTlsFinding[] {
  const out: LegacyTlsFinding[] = [];
  const values = new ValueIndex(ctx.model);
  for (const call of ctx.model.calls) nativeCall(ctx, values, call, out);
  schannel(ctx, out);
  return out;
}

// ---------------------------------------------------------------- Python

const PY_PROTOCOL = /^PROTOCOL_(SSLv2|SSLv3|TLSv1|TLSv1_1)$/;
const PYOPENSSL_METHOD = /^(SSLv2|SSLv3|TLSv1|TLSv1_1)_METHOD$/;
const PY_TLSVERSION = /^(?:TLSVersion\.)?(SSLv3|TLSv1|TLSv1_1)$/;
const PY_SERVER = /\bserver_side\s*=\s*True\b|\bPROTOCOL_TLS_SERVER\b|\bPurpose\.CLIENT_AUTH\b/;

function pyVersionName(v: string): string {
  return { SSLv2: 'SSL 2.0', SSLv3: 'SSL 3.0', TLSv1: 'TLS 1.0', TLSv1_1: 'TLS 1.1' }[v] ?? v;
}

/** Every name-valued expression a call or binding passes: positional and keyword arguments, assigned values. */
function pythonNameExprs(ctx: RuleContext): Expr[] {
  const exprs: Expr[] = [];
  for (const call of ctx.model.calls) {
    pushAll(
      exprs,
      call.args,
      call.named.map((p) => p.value),
    );
  }
  for (const b of ctx.model.bindings) exprs.push(b.value);
  const seen = new Set<number>();
  return exprs.filter((e) => e.kind === 'name' && !seen.has(e.start) && seen.add(e.start) !== undefined);
}

export function findPythonLegacyTls(ctx: RuleContext): LegacyTlsFinding[] {
  const out: LegacyTlsFinding[] = [];
  const server = PY_SERVER.test(ctx.text.content);
  const versionTargets = new Set<number>();
  for (const b of ctx.model.bindings) {
    if ((b.name !== 'minimum_version' && b.name !== 'maximum_version') || b.value.kind !== 'name') continue;
    const m = PY_TLSVERSION.exec((b.value.value ?? '').replace(/^ssl\./, ''));
    if (!m) continue;
    versionTargets.add(b.value.start);
    const span = { start: b.value.end - m[1].length, end: b.value.end };
    if (b.name === 'minimum_version') {
      out.push({
        span: b.value,
        message: `minimum_version = TLSVersion.${m[1]} lets the handshake fall back to ${pyVersionName(m[1])}: ${WHY}. Use ssl.TLSVersion.TLSv1_2 or later.`,
        fix: replaceFix('Require TLS 1.2 as the minimum (TLSVersion.TLSv1_2)', span, 'TLSv1_2'),
      });
    } else {
      out.push({
        span: b.value,
        message: `maximum_version = TLSVersion.${m[1]} caps the connection at ${pyVersionName(m[1])}: ${WHY}. Remove the cap.`,
      });
    }
  }
  for (const expr of pythonNameExprs(ctx)) {
    if (versionTargets.has(expr.start)) continue;
    const last = lastSegment(expr.value ?? '');
    const protocol = PY_PROTOCOL.exec(last);
    if (protocol) {
      const span = { start: expr.end - last.length, end: expr.end };
      const replacement = server ? 'PROTOCOL_TLS_SERVER' : 'PROTOCOL_TLS_CLIENT';
      out.push({
        span: expr,
        message: `ssl.${last} fixes the protocol at ${pyVersionName(protocol[1])}: ${WHY}. Use ssl.${replacement} (or ssl.create_default_context()) with minimum_version TLSv1_2.`,
        // `from ssl import PROTOCOL_TLSv1` would leave the replacement unimported: only fix the qualified form.
        fix: (expr.value ?? '').includes('.')
          ? replaceFix(`Negotiate a current protocol (${replacement})`, span, replacement, 'suggestion')
          : undefined,
      });
      continue;
    }
    const method = PYOPENSSL_METHOD.exec(last);
    if (method && /^(?:OpenSSL\.)?SSL\./.test(expr.value ?? '')) {
      out.push({
        span: expr,
        message: `pyOpenSSL ${last} fixes the protocol at ${pyVersionName(method[1])}: ${WHY}. Use SSL.TLS_METHOD (or TLS_CLIENT_METHOD) with set_min_proto_version(SSL.TLS1_2_VERSION).`,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------- Node

const NODE_METHOD = /^(SSLv2|SSLv3|TLSv1|TLSv1_1)_(?:client_|server_)?method$/;
const NODE_OLD_VERSION: Record<string, string> = { SSLv3: 'SSL 3.0', TLSv1: 'TLS 1.0', 'TLSv1.1': 'TLS 1.1' };

export function findNodeLegacyTls(ctx: RuleContext): LegacyTlsFinding[] {
  const out: LegacyTlsFinding[] = [];
  for (const b of ctx.model.bindings) {
    const property = b.kind === 'property' || (b.kind === 'assignment' && b.target.includes('.'));
    if (!property || b.value.kind !== 'string' || !b.value.content) continue;
    const value = b.value.value ?? '';
    if (b.name === 'secureProtocol') {
      const m = NODE_METHOD.exec(value);
      if (!m) continue;
      out.push({
        span: b.value,
        message: `secureProtocol '${value}' pins the connection to ${methodName(m[1])}: ${WHY}. Remove secureProtocol and set minVersion: 'TLSv1.2'.`,
        fix: replaceFix("Negotiate the best protocol (secureProtocol 'TLS_method')", b.value.content, 'TLS_method', 'suggestion'),
      });
    } else if (b.name === 'minVersion' || b.name === 'DEFAULT_MIN_VERSION') {
      const version = NODE_OLD_VERSION[value];
      if (!version) continue;
      out.push({
        span: b.value,
        message: `${b.name} '${value}' lets the handshake fall back to ${version}: ${WHY}. Use 'TLSv1.2' or later.`,
        fix: replaceFix("Require TLS 1.2 as the minimum ('TLSv1.2')", b.value.content, 'TLSv1.2'),
      });
    } else if (b.name === 'maxVersion' || b.name === 'DEFAULT_MAX_VERSION') {
      const version = NODE_OLD_VERSION[value];
      if (!version) continue;
      out.push({
        span: b.value,
        message: `${b.name} '${value}' caps the connection at ${version}: ${WHY}. Remove the cap.`,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------- Java and Kotlin

const JVM_OLD_PROTOCOL: Record<string, string> = {
  SSLv2: 'SSL 2.0',
  SSLv2Hello: 'the SSL 2.0 hello format',
  SSLv3: 'SSL 3.0',
  TLSv1: 'TLS 1.0',
  'TLSv1.1': 'TLS 1.1',
};
const OKHTTP_OLD: Record<string, string> = { SSL_3_0: 'SSL 3.0', TLS_1_0: 'TLS 1.0', TLS_1_1: 'TLS 1.1' };
const PROTOCOL_PROPERTIES = new Set(['https.protocols', 'jdk.tls.client.protocols', 'jdk.tls.server.protocols']);
const ARRAY_BUILDERS = new Set(['arrayOf', 'listOf', 'asList', 'of', 'mutableListOf', 'setOf']);

/** The string elements of an array argument: `new String[]{...}`, `arrayOf(...)`, `Arrays.asList(...)`, a same-file constant. */
function stringElements(values: ValueIndex, call: Call, arg: Expr | undefined): Expr[] {
  const resolved = arg?.kind === 'name' ? values.resolve(arg, call) : arg;
  if (!resolved) return [];
  if (resolved.kind === 'array') return (resolved.elements ?? []).filter((e) => e.kind === 'string');
  if (resolved.call && ARRAY_BUILDERS.has(resolved.call.name)) return resolved.call.args.filter((e) => e.kind === 'string');
  if (resolved.kind === 'string') return [resolved];
  return [];
}

function reportProtocolList(elements: Expr[], where: string, out: LegacyTlsFinding[]): void {
  for (const element of elements) {
    const version = JVM_OLD_PROTOCOL[element.value ?? ''];
    if (!version) continue;
    out.push({
      span: element,
      message: `"${element.value}" in ${where} enables ${version}: ${WHY}. Enable only "TLSv1.3" and "TLSv1.2".`,
    });
  }
}

/** A file of an Android app: on Android the name of an SSLContext does not choose the protocol versions. */
function isAndroidCode(ctx: RuleContext): boolean {
  return ctx.model.imports.some((i) => /^androidx?\./.test(i.module));
}

export function findJvmLegacyTls(ctx: RuleContext): LegacyTlsFinding[] {
  const out: LegacyTlsFinding[] = [];
  const values = new ValueIndex(ctx.model);
  const android = isAndroidCode(ctx);
  for (const call of ctx.model.calls) {
    if (call.name === 'getInstance' && /(?:^|\.)SSLContext$/.test(call.callee.slice(0, -'.getInstance'.length))) {
      const arg = values.stringOf(call.args[0], call);
      if (!arg) continue;
      const version = JVM_OLD_PROTOCOL[arg.value];
      const direct = call.args[0].kind === 'string' && call.args[0].content;
      if (version) {
        out.push({
          span: call.args[0],
          message: `SSLContext.getInstance("${arg.value}") builds a context for ${version}: ${WHY}. Use SSLContext.getInstance("TLS") (the runtime then negotiates TLS 1.2/1.3).`,
          fix: direct ? replaceFix('Negotiate a current protocol ("TLS")', call.args[0].content!, 'TLS', 'suggestion') : undefined,
        });
      } else if ((arg.value === 'SSL' || arg.value === 'SSLv2Hello') && !android) {
        // Android's providers (Conscrypt, and the OpenSSL-based one before it) map "SSL" to the same context as
        // "TLS" at every API level: a project with an AndroidManifest.xml answers this finding.
        out.push({
          span: call.args[0],
          message: `SSLContext.getInstance("${arg.value}") asks for the SSL protocol family; the JDK and Android treat it as "TLS", but some third-party JSSE providers enable SSL 3.0 with it: ${WHY}. Ask for "TLS".`,
          fix: direct ? replaceFix('Ask for a TLS context ("TLS")', call.args[0].content!, 'TLS', 'suggestion') : undefined,
          confidence: 'low',
          unless: ANDROID_APP,
        });
      }
    } else if (call.name === 'setEnabledProtocols') {
      reportProtocolList(stringElements(values, call, call.args[0]), 'setEnabledProtocols()', out);
    } else if (call.name === 'tlsVersions') {
      for (const arg of call.args) {
        const last = lastSegment(arg.kind === 'name' ? (arg.value ?? '') : '');
        const version = OKHTTP_OLD[last] ?? (arg.kind === 'string' ? JVM_OLD_PROTOCOL[arg.value ?? ''] : undefined);
        if (!version) continue;
        out.push({
          span: arg,
          message: `${arg.text} in the OkHttp ConnectionSpec enables ${version}: ${WHY}. List only TlsVersion.TLS_1_3 and TlsVersion.TLS_1_2.`,
        });
      }
    } else if (call.name === 'setProperty' && call.args.length >= 2) {
      const key = values.stringOf(call.args[0], call);
      if (!key || !PROTOCOL_PROPERTIES.has(key.value)) continue;
      const list = call.args[1];
      if (list.kind !== 'string' || !list.content) continue;
      const old = (list.value ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => JVM_OLD_PROTOCOL[s]);
      if (old.length) {
        out.push({
          span: list,
          message: `${key.value} = "${list.value}" enables ${old.map((s) => JVM_OLD_PROTOCOL[s]).join(', ')} for every connection in the process: ${WHY}. List only TLSv1.3,TLSv1.2.`,
        });
      }
    }
  }
  // Kotlin property syntax: `socket.enabledProtocols = arrayOf("TLSv1", ...)`.
  for (const b of ctx.model.bindings) {
    if (b.name !== 'enabledProtocols' || b.kind !== 'assignment') continue;
    const fake = { fn: b.fn } as Call;
    reportProtocolList(stringElements(values, fake, b.value), 'enabledProtocols', out);
  }
  return out;
}
