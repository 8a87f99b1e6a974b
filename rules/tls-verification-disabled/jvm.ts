/**
 * `tls-verification-disabled` for Java and Kotlin: trust-all X509TrustManagers, always-true HostnameVerifiers
 * (classes, anonymous classes, lambdas, OkHttp), Apache HttpClient's no-op verifiers and trust-all strategy,
 * Android's insecure socket factory and WebView SSL-error bypass.
 */
import { hasMarkWithin, matchOffsets } from '../_shared/call-marks';
import type { Call, ClassDef, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { alwaysReturnsTrue, spanOfWord, type TlsFinding } from '../_shared/syntax';
import { replaceQuoted } from '../../server/src/core/string-literals';

const TRUST_MANAGERS = new Set(['X509TrustManager', 'X509ExtendedTrustManager']);
const HOSTNAME_SINKS = new Set(['setHostnameVerifier', 'setDefaultHostnameVerifier', 'hostnameVerifier', 'HostnameVerifier']);
const TRUST_STRATEGY_SINKS = new Set(['loadTrustMaterial']);
const ACCEPT_ALL_NAMES = new Set(['NoopHostnameVerifier', 'AllowAllHostnameVerifier', 'ALLOW_ALL_HOSTNAME_VERIFIER', 'TrustAllStrategy']);
/** Where one of ACCEPT_ALL_NAMES can be mentioned. */
const ACCEPT_ALL_MENTION = /NoopHostnameVerifier|AllowAllHostnameVerifier|ALLOW_ALL_HOSTNAME_VERIFIER|TrustAllStrategy/g;
const LOGGER_ROOTS = new Set(['Log', 'Timber', 'log', 'logger', 'LOG', 'LOGGER', 'Logger', 'logging']);

function isLoggingCall(call: Call): boolean {
  const root = call.callee.split('.')[0];
  return (
    LOGGER_ROOTS.has(root) ||
    /^System\.(?:out|err)\./.test(call.callee) ||
    (call.callee === call.name && (call.name === 'println' || call.name === 'print'))
  );
}

function lineBefore(ctx: RuleContext, offset: number): string {
  const content = ctx.text.content;
  return content.slice(content.lastIndexOf('\n', offset - 1) + 1, offset);
}

function stripComments(text: string): string {
  return withoutBlockComments(text).replace(/\/\/[^\n]*/g, ' ');
}

/** `text` with each `/* … *\/` replaced by a space, by a scan: a lazy regex rereads from every `/*` when none closes. */
export function withoutBlockComments(text: string): string {
  let out = '';
  let last = 0;
  for (let open = text.indexOf('/*'); open >= 0; open = text.indexOf('/*', last)) {
    const close = text.indexOf('*/', open + 2);
    if (close < 0) break; // no later comment closes either
    out += `${text.slice(last, open)} `;
    last = close + 2;
  }
  return out + text.slice(last);
}

/**
 * Kotlin methods: the model records no `returns` for `fun f() = true` or `{ return true }`, so read the
 * declaration text (see the report: a model addition would make this unnecessary).
 */
function kotlinAlwaysReturnsTrue(ctx: RuleContext, fn: FunctionDef): boolean {
  const text = stripComments(ctx.text.content.slice(fn.start, fn.end)).trim();
  return /\)\s*(?::\s*Boolean\s*)?=\s*true$/.test(text) || /\{\s*return\s+true\s*(?:;\s*)?\}$/.test(text);
}

/** Kotlin: the model leaves `throws` false, so look for a `throw` in the body (comments and strings removed). */
function mayThrow(ctx: RuleContext, fn: FunctionDef): boolean {
  if (fn.throws) return true;
  if (ctx.language !== 'kotlin' || !fn.body) return false;
  const body = replaceQuoted(stripComments(ctx.text.content.slice(fn.body.start, fn.body.end)), '"', '""', true);
  return /\bthrow\b/.test(body);
}

function verifyAlwaysTrue(ctx: RuleContext, fn: FunctionDef): boolean {
  if (mayThrow(ctx, fn) || fn.calls.length) return false;
  if (alwaysReturnsTrue(fn)) return true;
  return ctx.language === 'kotlin' && fn.returns.length === 0 && kotlinAlwaysReturnsTrue(ctx, fn);
}

function trustManagerFindings(ctx: RuleContext, cls: ClassDef, out: TlsFinding[]): void {
  const kind = cls.supertypes.find((s) => TRUST_MANAGERS.has(s));
  if (!kind) return;
  const who = cls.name ? `${kind} ${cls.name}` : `anonymous ${kind}`;
  for (const method of cls.methods) {
    if (method.name !== 'checkServerTrusted' || mayThrow(ctx, method)) continue;
    const span = spanOfWord(ctx, method, 'checkServerTrusted');
    const realCalls = method.calls.filter((call) => !isLoggingCall(call));
    const body = method.body ? stripComments(ctx.text.content.slice(method.body.start, method.body.end)) : '';
    if (realCalls.length === 0) {
      out.push({
        span,
        message: `checkServerTrusted in ${who} never throws, so every server certificate is trusted and an impostor can take over the connection; delegate to the platform TrustManager (or pin) and throw CertificateException on failure.`,
      });
    } else if (/\bcatch\b/.test(body)) {
      out.push({
        span,
        message: `checkServerTrusted in ${who} catches the verification failure and never throws, so a rejected certificate is trusted anyway; let the CertificateException propagate.`,
        confidence: 'medium',
      });
    }
  }
}

function hostnameVerifierClass(ctx: RuleContext, cls: ClassDef, out: TlsFinding[]): void {
  if (!cls.supertypes.includes('HostnameVerifier')) return;
  for (const method of cls.methods) {
    if (method.name !== 'verify' || !verifyAlwaysTrue(ctx, method)) continue;
    out.push({
      span: spanOfWord(ctx, method, 'verify'),
      message: `HostnameVerifier${cls.name ? ` ${cls.name}` : ''} returns true for every host, so a valid certificate for any other site is accepted; use the default verifier (or compare the host name).`,
    });
  }
}

/** Lambdas `(h, s) -> true` / `{ _, _ -> true }` passed where a HostnameVerifier or TrustStrategy goes. */
function acceptAllLambdas(ctx: RuleContext, out: TlsFinding[]): void {
  const lambdas = ctx.model.functions.filter((fn) => fn.name === '' && fn.params.length === 2 && alwaysReturnsTrue(fn) && !fn.calls.length);
  for (const fn of lambdas) {
    const inside = (span: { start: number; end: number }) => span.start <= fn.start && fn.end <= span.end;
    const sink = ctx.model.calls.find(
      (call) => (HOSTNAME_SINKS.has(call.name) || TRUST_STRATEGY_SINKS.has(call.name)) && call.args.some(inside),
    );
    // The model has no declared types: read the declaration's line up to the variable name.
    const declaredVerifier = ctx.model.bindings.some(
      (b) => b.kind === 'declaration' && inside(b.value) && /\bHostnameVerifier\s*$/.test(lineBefore(ctx, b.targetSpan.start)),
    );
    if (sink && TRUST_STRATEGY_SINKS.has(sink.name)) {
      out.push({
        span: fn,
        message:
          'This TrustStrategy returns true for every chain, so any server certificate is trusted; drop it and load the CA into the trust store instead.',
      });
    } else if (sink || declaredVerifier) {
      out.push({
        span: fn,
        message:
          'This HostnameVerifier returns true for every host, so a valid certificate for any other site is accepted; use the default verifier (or compare the host name).',
      });
    }
  }
}

function acceptAllLibraries(ctx: RuleContext, out: TlsFinding[]): void {
  const report = (span: { start: number; end: number }, name: string) =>
    out.push({
      span,
      message: `${name} accepts ${name === 'TrustAllStrategy' ? 'any certificate chain' : 'a certificate for any host name'}, so an impostor server passes; use the library's default verification.`,
    });
  // An argument naming one of them has the name in its text: the other calls' arguments stay unresolved.
  const marks = matchOffsets(ctx.text.content, ACCEPT_ALL_MENTION);
  for (const call of ctx.model.calls) {
    if (ACCEPT_ALL_NAMES.has(call.name)) report(call, call.name);
    for (const arg of hasMarkWithin(marks, call) ? call.args : []) {
      const hit = arg.kind === 'name' && (arg.value ?? '').split('.').find((part) => ACCEPT_ALL_NAMES.has(part));
      if (hit) report(arg, hit);
    }
    if (call.name === 'getInsecure' && call.callee.endsWith('SSLCertificateSocketFactory.getInsecure')) {
      out.push({
        span: call,
        message:
          'SSLCertificateSocketFactory.getInsecure() returns sockets that verify nothing, so anyone on the network can impersonate the server; use getDefault().',
      });
    }
  }
  for (const binding of ctx.model.bindings) {
    const value = binding.value;
    const hit = value.kind === 'name' && (value.value ?? '').split('.').find((part) => ACCEPT_ALL_NAMES.has(part));
    if (hit) report(value, hit);
  }
}

/** Android WebView: `onReceivedSslError` that calls `handler.proceed()` and never `cancel()`. */
function webViewSslErrors(ctx: RuleContext, out: TlsFinding[]): void {
  for (const fn of ctx.model.functions) {
    if (fn.name !== 'onReceivedSslError') continue;
    const proceed = fn.calls.find((call) => call.name === 'proceed');
    if (!proceed || fn.calls.some((call) => call.name === 'cancel')) continue;
    out.push({
      span: proceed,
      message:
        'onReceivedSslError proceeds past every certificate error, so the WebView loads pages from an impostor server; call handler.cancel() instead.',
    });
  }
}

export function findJvmTlsBypass(ctx: RuleContext): TlsFinding[] {
  const out: TlsFinding[] = [];
  for (const cls of ctx.model.classes) {
    trustManagerFindings(ctx, cls, out);
    hostnameVerifierClass(ctx, cls, out);
  }
  acceptAllLambdas(ctx, out);
  acceptAllLibraries(ctx, out);
  webViewSslErrors(ctx, out);
  return out;
}
