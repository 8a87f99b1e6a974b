/**
 * Where a format string comes from, asked of the data-flow layer: a run-time source (data received, read,
 * typed or stored: the only formats an attacker can write) or a caller's argument. Literals never count,
 * nor does an integer formatted into a buffer with `%d` (it cannot carry a `%`), nor a value the file cannot
 * see (a global or a result defined in another file: a format table or a header constant, as a rule).
 */
import type { Call, Expr, FunctionDef } from '../../server/src/core/model/types';
import type { Origin } from '../../server/src/core/flow/value-flow';
import type { SourceKind } from '../../server/src/core/flow/sources';
import type { RuleContext } from '../../server/src/core/types';
import { pushAll } from '../../server/src/core/arrays';
import { afterOptionalCast } from '../_shared/expression-text';

export type FormatEvidence = { kind: 'source' | 'parameter'; where: string };

/** C calls that write data from outside into a buffer argument (the index of that argument). */
const FILLS: Readonly<Record<string, [number, SourceKind]>> = {
  recv: [1, 'network'],
  recvfrom: [1, 'network'],
  SSL_read: [1, 'network'],
  mbedtls_ssl_read: [1, 'network'],
  wolfSSL_read: [1, 'network'],
  esp_http_client_read: [1, 'network'],
  esp_http_client_read_response: [1, 'network'],
  httpd_req_recv: [1, 'network'],
  httpd_query_key_value: [2, 'network'],
  httpd_req_get_url_query_str: [1, 'network'],
  read: [1, 'file'],
  fread: [0, 'file'],
  fgets: [0, 'file'],
  getline: [0, 'file'],
  gets: [0, 'input'],
  uart_read_bytes: [1, 'input'],
  'Serial.readBytes': [0, 'input'],
  'Serial.readBytesUntil': [1, 'input'],
  nvs_get_str: [2, 'nvs'],
  nvs_get_blob: [2, 'nvs'],
};

const SOURCE_TEXT: Readonly<Record<SourceKind, string>> = {
  environment: 'the environment',
  keystore: 'a key store',
  nvs: 'non-volatile storage',
  preferences: 'stored preferences',
  file: 'a file or stream',
  network: 'the network',
  input: 'user or serial input',
  prng: 'a random generator',
  'secure-random': 'a random generator',
};

/** printf-style copies the flow layer follows (`snprintf(buf, n, fmt, ...)`) and the index of their format. */
const FORMAT_COPIES: Readonly<Record<string, number>> = { sprintf: 1, snprintf: 2, vsnprintf: 2, vsprintf: 1 };
// A width starts at 1-9 (a leading 0 is a flag): with `\d+` a run of zeros split two ways, polynomially.
const CONVERSION = /%%|%[-+ #0]*(\*|[1-9]\d*)?(?:\.(\*|\d+))?(?:hh|h|ll|l|L|q|j|z|t)?([diouxXeEfgGaAcspnSC])/g;
const MAX_DEPTH = 4;

/** Why a format is not the program's own text, or undefined when it is (or when the file cannot tell). */
export function formatEvidence(ctx: RuleContext, format: Expr, call: Call): FormatEvidence | undefined {
  const origins = externalOrigins(ctx, format, 0);
  const source = origins.find((o) => o.kind === 'source');
  if (source?.kind === 'source') {
    return { kind: 'source', where: `comes from ${SOURCE_TEXT[source.source]}${source.call ? ` (\`${source.call.callee}\`)` : ''}` };
  }
  const filled = origins.map((o) => filledBy(ctx, o)).find(Boolean);
  if (filled) return { kind: 'source', where: `comes from ${SOURCE_TEXT[filled[1]]} (\`${filled[0].callee}\` fills it)` };
  const parameter = origins.find(
    (o) => o.kind === 'parameter' && !isVariadic(ctx, o.fn) && !forwardsPack(ctx, o.fn, call) && !onlyLiteralCallers(ctx, o.fn, o.index),
  );
  if (parameter?.kind === 'parameter') {
    return {
      kind: 'parameter',
      where: `is handed in by the caller (parameter \`${parameter.name}\` of \`${parameter.fn.name || 'a function'}()\`)`,
    };
  }
  return undefined;
}

/**
 * The origins of a format that are not literals. A value that reaches the format through a printf copy
 * (`snprintf(buf, n, "%s:%d", a, b)`) counts only through the arguments printed with `%s`.
 */
function externalOrigins(ctx: RuleContext, expr: Expr, depth: number): Origin[] {
  const out: Origin[] = [];
  const viaCopy = new Map<Call, Origin[]>();
  for (const origin of ctx.flow.origins(expr)) {
    if (origin.kind === 'literal') continue;
    const copy = firstFormatCopy(ctx, origin);
    if (copy) viaCopy.set(copy, [...(viaCopy.get(copy) ?? []), origin]);
    else out.push(origin);
  }
  for (const [copy, origins] of viaCopy) {
    const strings = depth < MAX_DEPTH ? stringArguments(ctx, copy) : undefined;
    if (!strings) pushAll(out, origins);
    else for (const arg of strings) pushAll(out, externalOrigins(ctx, arg, depth + 1));
  }
  return out;
}

/** The first printf copy a value passed through on its way to the format (`buf (snprintf)`). */
function firstFormatCopy(ctx: RuleContext, origin: Origin): Call | undefined {
  for (const step of origin.steps) {
    const m = /\((\w+)\)$/.exec(step.label);
    if (!m || FORMAT_COPIES[m[1]] === undefined) continue;
    return ctx.model.calls.find((c) => c.start === step.span.start && c.end === step.span.end && c.name === m[1]);
  }
  return undefined;
}

/** The arguments a printf copy prints as strings (`%s`), or undefined when its format is not a known literal. */
function stringArguments(ctx: RuleContext, copy: Call): Expr[] | undefined {
  const at = FORMAT_COPIES[copy.name];
  const format = copy.args[at] && ctx.flow.constant(copy.args[at])?.value;
  if (format === undefined || copy.name.startsWith('v')) return undefined;
  const values = copy.args.slice(at + 1);
  const out: Expr[] = [];
  let i = 0;
  for (const m of format.matchAll(CONVERSION)) {
    if (m[0] === '%%') continue;
    if (m[1] === '*') i++;
    if (m[2] === '*') i++;
    const value = values[i++];
    if (value && /^[sS]$/.test(m[3])) out.push(value);
  }
  return out;
}

/** A local buffer that a read or receive call filled before the format used it: `recv(s, buf, ...); printf(buf)`. */
function filledBy(ctx: RuleContext, origin: Origin): [Call, SourceKind] | undefined {
  if (origin.kind !== 'unknown' || origin.expr.kind !== 'name' || !origin.expr.value) return undefined;
  const name = origin.expr.value;
  const fn = ctx.flow.functionAt(origin.expr.start);
  if (!fn) return undefined;
  for (const call of fn.calls) {
    if (call.start >= origin.expr.start) break;
    const fill = FILLS[call.callee] ?? (call.callee === call.name ? FILLS[call.name] : undefined);
    const target = fill && call.args[fill[0]];
    if (target && bufferName(target) === name) return [call, fill[1]];
  }
  return undefined;
}

/** `buf`, `&buf[0]`, `(char *)buf`. */
function bufferName(expr: Expr): string | undefined {
  return /^\s*(?:&\s*)?([A-Za-z_]\w*)\s*(?:\[\s*0\s*\])?$/.exec(afterOptionalCast(expr.text.trim(), 'one'))?.[1];
}

/**
 * A function only this file can call (`static`, or `inline` defined in a source file) whose calls here all pass a
 * literal at the format's position, or that nothing calls: its format is always the program's own text.
 */
function onlyLiteralCallers(ctx: RuleContext, fn: FunctionDef, index: number): boolean {
  if (!fn.name) return onlyLiteralLambdaCalls(ctx, fn, index);
  if (!fn.body || !SOURCE_FILE.test(ctx.path)) return false;
  if (!/\b(?:static|inline)\b/.test(ctx.text.content.slice(fn.start, fn.body.start))) return false;
  // Taken by address (`register_trace(trace)`): called from places this file does not show.
  if (ctx.flow.addressEscapes(fn)) return false;
  return ctx.model.calls.every((call) => {
    if (call.name !== fn.name || (call.start >= fn.start && call.end <= fn.end)) return true;
    const arg = call.args[index];
    return !!arg && (arg.kind === 'string' || ctx.flow.constant(arg)?.value !== undefined);
  });
}
const SOURCE_FILE = /\.(?:c|cc|cpp|cxx|ino)$/i;

/**
 * A C++ lambda bound to a local (`auto num = [&](const char *fmt, double v) {…}`) is called only through that
 * local, inside the function that declares it: when every mention of the local there is a call passing a literal
 * at the format's position, the format is always the program's own text. A mention that is not a call
 * (`register_formatter(num)`) hands the lambda away, to callers this function does not show.
 */
function onlyLiteralLambdaCalls(ctx: RuleContext, lambda: FunctionDef, index: number): boolean {
  const local = ctx.model.bindings.find((b) => b.kind !== 'property' && b.value.start === lambda.start && b.value.end === lambda.end);
  const owner = local && ctx.flow.functionAt(local.start);
  if (!local || !owner || !/^[A-Za-z_]\w*$/.test(local.target)) return false;
  const name = local.target;
  const calls = owner.calls.filter((call) => call.callee === name && (call.start < lambda.start || call.start >= lambda.end));
  const text = ctx.text.content.slice(lambda.end, owner.end);
  const mentions = [...text.matchAll(new RegExp(`(?<![\\w.>])${name}\\b`, 'g'))].length;
  if (mentions !== calls.filter((call) => call.start >= lambda.end).length || calls.length === 0) return false;
  return calls.every((call) => {
    const arg = call.args[index];
    return !!arg && (arg.kind === 'string' || ctx.flow.constant(arg)?.value !== undefined);
  });
}

/**
 * A C++ variadic template handing its parameter pack to the same call as the format
 * (`template <typename... Args> void logf(const char *f, Args... args) { Serial.printf(f, args...); }`): a
 * printf-like wrapper, as with `...`, whose callers supply the format.
 */
function forwardsPack(ctx: RuleContext, fn: FunctionDef, call: Call): boolean {
  if (!fn.body || call.start < fn.body.start || call.end > fn.end) return false;
  const pack = /\.\.\.\s*([A-Za-z_]\w*)\s*\)\s*$/.exec(signatureOf(ctx, fn))?.[1];
  if (!pack) return false;
  const expanded = new RegExp(`^(?:${pack}|std::forward\\s*<[^<>]*>\\s*\\(\\s*${pack}\\s*\\))\\s*\\.\\.\\.$`);
  return call.args.some((arg) => expanded.test(arg.text.trim()));
}

/** A `(const char *fmt, ...)` function: a printf-like wrapper whose callers supply the format. */
function isVariadic(ctx: RuleContext, fn: { start: number; body?: { start: number } }): boolean {
  return !!fn.body && /\.\.\.\s*\)\s*$/.test(signatureOf(ctx, fn));
}

/** A function's text up to its body, without comments (`f(const char *fmt, ...)  // printf-like` before the `{`). */
function signatureOf(ctx: RuleContext, fn: { start: number; body?: { start: number } }): string {
  const end = fn.body?.start ?? fn.start;
  let text = ctx.text.content.slice(fn.start, end);
  for (const comment of ctx.model.comments) {
    if (comment.start < fn.start || comment.end > end) continue;
    text = text.slice(0, comment.start - fn.start) + ' '.repeat(comment.end - comment.start) + text.slice(comment.end - fn.start);
  }
  return text;
}
