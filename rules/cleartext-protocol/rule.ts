import { hasMarkWithin, matchOffsets } from '../_shared/call-marks';
import type { Call, Expr } from '../../server/src/core/model/types';
import type { Fix, LanguageId, Report, RuleContext, Span, TextEdit } from '../../server/src/core/types';
import { identifierWords } from '../_shared/identifier-words';
import { basicFtpInsecureSecure, CLEARTEXT_CLIENTS, NODE_TELNET } from './clients';
import { classifyHost, CLEARTEXT_SCHEMES, parseCleartextUrl, type HostKind, type ParsedUrl } from '../_shared/urls';
import { endpointEvidence, isEndpointSetting, type Evidence } from './evidence';
import { findPlainArduinoClients } from './arduino';
import { findHttpOnlySchemes } from './http-only-scheme';
import { findCleartextCredentialTransports } from './credential-transports';
import { findPlainWebServerAuth } from './plain-web-server-auth';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';
import { spanIndex } from '../../server/src/core/model/span-index';
import { matchesWildcard } from '../../server/src/core/wildcard';
import { pushAll } from '../../server/src/core/arrays';
import { isStringStatement } from '../_shared/python-docstrings';
import { templateHost } from './template-hosts';

export default defineRule({
  meta: {
    id: 'cleartext-protocol',
    title: 'Endpoint uses a cleartext protocol (http, mqtt, ws, coap, ftp, tftp, telnet)',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript', 'kconfig', 'dotenv'],
    cwe: [319, 311, 523],
    fda: ['app1.E.1', 'app1.A.1', 'app1.D.7', '524b.b2'],
    sees: {
      'app1.E.1': 'endpoints reached over cleartext protocols',
      'app1.A.1': 'endpoints reached over cleartext protocols (http, mqtt, ws, coap, ftp, telnet)',
      'app1.D.7': 'data received over cleartext protocols',
    },
    iec62443: ['CR 4.1', 'CR 3.1', 'CR 7.7'],
    fix: 'suggestion',
    presets: ['recommended'],
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allowedHosts: {
          description:
            'Host globs that may be reached in cleartext (`*` any characters, `?` one), e.g. an isolated test bench: `["*.bench.internal", "10.99.*"]`.',
          type: 'array',
          items: { type: 'string', minLength: 1 },
        },
      },
    },
    needs: (_, language) => NEEDS[language],
    docs,
  },

  check(ctx) {
    if (ctx.language === 'kconfig' || ctx.language === 'dotenv') {
      for (const entry of ctx.model.config) {
        const url = parseCleartextUrl(entry.value);
        if (!url || url.scheme.onlyInCalls || !isEndpointSetting(entry.key, url.scheme.scheme)) continue;
        checkUrl(ctx, entry.value, entry.valueSpan, { kind: 'config', key: entry.key }, () => entry.keySpan);
      }
      return;
    }
    // Most files hold no URL: the spans to ignore are collected only for one that does.
    let ignoredCache: Span[] | undefined;
    const ignored = () => (ignoredCache ??= ignoredSpans(ctx));
    for (const literal of ctx.model.strings) {
      if (literal.kind !== 'string' || literal.value === undefined || !literal.content) continue;
      const url = parseCleartextUrl(literal.value);
      if (!url || !inRequiredCall(ctx, literal, url)) continue;
      if (ignored().some((span) => within(literal, span))) continue;
      if (isNamespaceKey(keyBefore(ctx, literal.start))) continue;
      if (ctx.language === 'python' && isStringStatement(ctx, literal)) continue;
      checkUrl(ctx, literal.value, literal.content, { literal, expr: literal }, () => anchorOf(ctx, literal));
    }
    for (const template of interpolatedStrings(ctx)) {
      const url = parseCleartextUrl(template.raw);
      if (!url || !inRequiredCall(ctx, template.expr, url)) continue;
      if (ignored().some((span) => within(template.expr, span))) continue;
      const host = templateHost(ctx, template.expr, url, (name) => constantOfName(ctx, name));
      checkUrl(ctx, template.raw, template.content, { expr: template.expr, host }, () => anchorOf(ctx, template.expr));
    }
    checkClients(ctx);
    for (const hit of findPlainArduinoClients(ctx)) ctx.report({ span: hit.call.calleeSpan, message: hit.message });
    for (const hit of findCleartextCredentialTransports(ctx)) ctx.report(hit);
    for (const hit of findHttpOnlySchemes(ctx)) ctx.report(hit);
    for (const hit of findPlainWebServerAuth(ctx)) ctx.report(hit);
  },
});

/**
 * The pre-filters (meta.needs). A URL is reported from a value that starts `scheme://` (parseCleartextUrl): its
 * literal or configuration value holds the scheme and its colon, a unit no code splits (`<ws:` at a word's start,
 * where `news:` is not it). C and C++ add the Arduino clients (arduino.ts: `HTTPClient`, `PubSubClient`, Blynk's
 * calls) and the MQTT configurations (credential-transports.ts: `_TRANSPORT_` or port 1883). The other languages
 * find clients through their imports and calls, and run on every file.
 */
const URL_NEEDS = CLEARTEXT_SCHEMES.map(({ scheme }) => (scheme.length < 3 ? `<${scheme}:` : `${scheme}:`));
const NATIVE_NEEDS = [...URL_NEEDS, 'HTTPClient', 'PubSubClient', 'Blynk', '_TRANSPORT_', '1883', 'authenticate'];
const NEEDS: Partial<Record<LanguageId, readonly string[]>> = {
  c: NATIVE_NEEDS,
  cpp: NATIVE_NEEDS,
  kconfig: URL_NEEDS,
  dotenv: URL_NEEDS,
};

/** The `allowedHosts` option: host globs (`*.lab.internal`, `10.0.*`) the project accepts in cleartext. */
function isAllowedHost(host: string, patterns: unknown): boolean {
  if (!Array.isArray(patterns) || !host) return false;
  const name = host.toLowerCase().replace(/\.$/, '');
  return patterns.some((pattern) => matchesWildcard(String(pattern).toLowerCase(), name));
}

// ---- URL literals and config values -----------------------------------------------------------------

/**
 * Where a URL sits: the string literal (for `"http://" + host`), the expression whose flow is followed, and
 * the host an interpolated URL's host name was resolved to (template-hosts.ts).
 */
type UrlSource = { literal?: Expr; expr: Expr; host?: { kind: HostKind; host: string } } | Evidence;

/**
 * Reports `value` when it is a cleartext URL to a host off this machine that is an endpoint: it reaches a
 * network sink or is configured as one (see evidence.ts). `content` is where `value` sits; the finding is
 * shown at `anchor()` (anchorOf: worked out only for a finding), the fix rewrites the scheme in `content`.
 */
function checkUrl(ctx: RuleContext, value: string, content: Span, source: UrlSource, anchor: () => Span): void {
  const url = parseCleartextUrl(value);
  if (!url) return;
  // An endpoint IS a URL; a sentence that mentions one ("see http://... for help") is prose.
  if (/\s/.test(value)) return;
  let kind = classifyHost(url, value);
  let host = url.host;
  const literal = 'expr' in source ? source.literal : undefined;
  if (url.authority === '' && literal) ({ kind, host } = concatenatedHost(ctx, literal, url));
  else if ('expr' in source && source.host) ({ kind, host } = source.host);
  if (kind !== 'remote' && kind !== 'placeholder') return;
  if (isAllowedHost(host, ctx.options.allowedHosts)) return;
  const evidence = 'expr' in source ? endpointEvidence(ctx, source.expr, url.scheme.scheme) : source;
  if (!evidence) return;

  const { scheme } = url;
  const where = kind === 'remote' ? `endpoint ${scheme.scheme}://${host}` : `URL built on ${scheme.scheme}://`;
  const message = `Cleartext ${scheme.protocol} ${where} ${describeEvidence(evidence)}: commands, credentials and patient data sent over it can be read and altered by anyone on the network path; ${scheme.advice}.`;
  const report: Report = { span: anchor(), message };
  if (kind === 'placeholder') report.confidence = 'medium';
  if (url.password && url.password.length > 0) {
    report.message += ' The URL also carries a password, which travels in the clear.';
    report.secret = mapsVerbatim(ctx, value, content, url.password.offset + url.password.length)
      ? { start: content.start + url.password.offset, end: content.start + url.password.offset + url.password.length }
      : content;
  }
  const fix = schemeFix(ctx, value, content, url);
  if (fix) report.fixes = [fix];
  ctx.report(report);
}

/**
 * Where a URL's finding is shown: the name the URL is bound to (`#define OTA_URL`, `brokerUrl =`, `.uri =`) or
 * the call it is passed to, when that is on the URL's line; otherwise the literal with its quotes. Editors
 * draw a URL in the text as a link, underlined, and a squiggle on the URL itself sits under that line, where
 * it is hidden or taken for part of the link. The name or the call says what the endpoint is used for.
 */
function anchorOf(ctx: RuleContext, literal: Expr): Span {
  const line = (span: Span) => ctx.text.positionAt(span.start).line;
  const same = (span: Span) => span.start === literal.start && span.end === literal.end;
  const binding = ctx.model.bindings.find((b) => same(b.value));
  if (binding && line(binding.targetSpan) === line(literal)) return binding.targetSpan;
  const call = ctx.model.calls.find((c) => c.args.some(same) || c.named.some((n) => same(n.value)));
  if (call && line(call.calleeSpan) === line(literal)) return call.calleeSpan;
  return { start: literal.start, end: literal.end };
}

/** "reaches `mqtt.connect()` (an MQTT connection) through `mqttServer`", "is configured as `BROKER_URL`". */
function describeEvidence(evidence: Evidence): string {
  if (evidence.kind === 'config') return `is configured as \`${evidence.key}\``;
  const callee = /^[\w$.]+$/.test(evidence.call.callee) ? evidence.call.callee : evidence.call.name;
  const through = [...new Set(evidence.steps.map((step) => step.label))].slice(0, 3);
  return `reaches \`${callee}()\` (${evidence.sink.what})${through.length ? ` through \`${through.join('`, `')}\`` : ''}`;
}

/**
 * Interpolated strings (`f"http://{host}/x"`, `` `ws://${host}` ``) are not in `model.strings` (they are
 * not constants), so they are collected from the places a URL is used: arguments, bindings and returns.
 * The raw text between the quotes stands in for the value; its `{...}` / `${...}` read as placeholders.
 */
function interpolatedStrings(ctx: RuleContext): { expr: Expr; raw: string; content: Span }[] {
  // A language without interpolated strings has none to find.
  if (!INTERPOLATED_OPENER[ctx.language]) return [];
  // A URL's scheme ends in `://`: only a call with one in its text can pass one, and most files hold no URL at
  // all, so most calls' arguments are never resolved here.
  const schemes = matchOffsets(ctx.text.content, /:\/\//g);
  if (!schemes.length) return [];
  const candidates: Expr[] = [];
  for (const call of ctx.model.calls) {
    if (hasMarkWithin(schemes, call))
      pushAll(
        candidates,
        call.args,
        call.named.map((n) => n.value),
      );
  }
  for (const binding of ctx.model.bindings) candidates.push(binding.value);
  for (const fn of ctx.model.functions) pushAll(candidates, fn.returns);
  const seen = new Set<number>();
  const out: { expr: Expr; raw: string; content: Span }[] = [];
  for (const expr of candidates) {
    if (expr.kind !== 'other' || seen.has(expr.start)) continue;
    const opener = INTERPOLATED_OPENER[ctx.language]?.exec(expr.text);
    if (!opener) continue;
    const close = closingQuote(expr.text, opener[0].length, opener[1], ctx.language);
    if (close === undefined) continue;
    // A URL written over several lines is a concatenation (`` `http://host/send?id=${id}&` + `to=${to}` ``):
    // its head holds the scheme and the host, and the whole expression is what reaches the call.
    const rest = expr.text.slice(close + opener[1].length);
    if (rest !== '' && !/^\s*\+/.test(rest)) continue;
    seen.add(expr.start);
    const start = expr.start + opener[0].length;
    const end = expr.start + close;
    out.push({ expr, raw: ctx.text.content.slice(start, end), content: { start, end } });
  }
  return out;
}

/**
 * Where the interpolated string opening `text` closes: the offset of its closing `quote`, found from `from` (past
 * the opener), skipping escapes and what sits inside its interpolations (`${...}`; in Python `{...}`, where
 * `{{` is a literal brace). Undefined when it does not close in `text`.
 */
function closingQuote(text: string, from: number, quote: string, language: string): number | undefined {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (depth > 0) depth += c === '{' ? 1 : c === '}' ? -1 : 0;
    else if (text.startsWith(quote, i)) return i;
    else if (c === '{' && language === 'python') {
      if (text[i + 1] === '{') i++;
      else depth = 1;
    } else if (c === '{' && text[i - 1] === '$') depth = 1;
  }
  return undefined;
}

/** The opening of an interpolated string literal; group 1 is the quote that closes it. */
const INTERPOLATED_OPENER: Partial<Record<string, RegExp>> = {
  python: /^(?:[fF][rR]?|[rR][fF])("""|'''|"|')/,
  typescript: /^(`)/,
  javascript: /^(`)/,
  kotlin: /^("""|")/,
};

/**
 * `"http://" + host`: the scheme-only literal starts a concatenation; the host is what the operands after it
 * fold to (string literals, and plain names bound to one constant in this file: `LOOPBACK_HOST`), with a
 * placeholder for anything known only at run time.
 */
function concatenatedHost(ctx: RuleContext, literal: Expr, url: ParsedUrl): { kind: HostKind; host: string } {
  const text = ctx.text.content;
  const prefix = `${url.scheme.scheme}://`;
  let joined = prefix;
  let at = literal.end;
  for (let operands = 0; operands < 8 && !/[/?#]/.test(joined.slice(prefix.length)); operands++) {
    const plus = /^\s*\+\s*/.exec(text.slice(at, at + 200));
    if (!plus) break;
    const start = at + plus[0].length;
    const next = spanIndex(ctx.model.strings).startingAt(start)[0];
    if (next?.kind === 'string' && next.value !== undefined) {
      joined += next.value;
      at = next.end;
      continue;
    }
    const operand = /^[A-Za-z_$][\w$.]*/.exec(text.slice(start, start + 200));
    const value = operand && constantOfName(ctx, operand[0]);
    // A run-time operand after a known host is its port or path (`"http://" + "10.0.0.4" + path`).
    if (value === undefined && hostKnown(joined.slice(prefix.length))) break;
    joined += value ?? '%s';
    if (!operand) break;
    at = start + operand[0].length;
  }
  if (joined === prefix) return { kind: 'invalid', host: '' };
  const parsed = parseCleartextUrl(prefix + joined.slice(prefix.length).replace(/:(?=$|[/?#])/, ''));
  return parsed && parsed.authority ? { kind: classifyHost(parsed, joined), host: parsed.host } : { kind: 'placeholder', host: '' };
}

/** Whether an authority so far (`user@host:`) already names its host. */
function hostKnown(authority: string): boolean {
  const host = authority.slice(authority.lastIndexOf('@') + 1).replace(/:\d*$/, '');
  return host !== '' && !host.includes('%s');
}

/** The one constant a plain name is bound to in this file (`LOOPBACK_HOST = "127.0.0.1"`), if it has one. */
function constantOfName(ctx: RuleContext, name: string): string | undefined {
  if (name.includes('.')) return undefined;
  const values = ctx.model.bindings.filter((b) => b.target === name && b.kind !== 'property').map((b) => ctx.flow.constant(b.value)?.value);
  if (!values.length || values.some((v) => v === undefined || v !== values[0])) return undefined;
  return values[0];
}

/** Whether the source text holds `value` verbatim (no escapes) from `content.start` for `length` units. */
function mapsVerbatim(ctx: RuleContext, value: string, content: Span, length: number): boolean {
  return ctx.text.content.slice(content.start, content.start + length) === value.slice(0, length);
}

function schemeFix(ctx: RuleContext, value: string, content: Span, url: ParsedUrl): Fix | undefined {
  const { scheme } = url;
  if (!scheme.secureScheme) return undefined;
  const written = value.slice(0, url.schemeLength);
  const secure = written === written.toUpperCase() ? scheme.secureScheme.toUpperCase() : scheme.secureScheme;
  const edits: TextEdit[] = [];
  if (!mapsVerbatim(ctx, value, content, url.schemeLength)) return undefined;
  edits.push({ span: { start: content.start, end: content.start + url.schemeLength }, newText: secure });
  let title = `Switch to ${scheme.secureScheme}://`;
  if (url.port && url.port.text === scheme.defaultPort && scheme.secureDefaultPort) {
    if (!mapsVerbatim(ctx, value, content, url.port.offset + url.port.text.length)) return undefined;
    const start = content.start + url.port.offset;
    edits.push({ span: { start, end: start + url.port.text.length }, newText: scheme.secureDefaultPort });
    title += ` on port ${scheme.secureDefaultPort}`;
  }
  return { title: `${title} (the server must offer TLS there)`, safety: 'suggestion', edits };
}

// ---- where a URL-shaped string is not an endpoint -------------------------------------------------------

/** Calls whose string arguments are prefixes, patterns or search terms, not destinations. */
const MATCHING_CALLS: ReadonlySet<string> = new Set([
  'startsWith',
  'startswith',
  'endsWith',
  'endswith',
  'indexOf',
  'lastIndexOf',
  'includes',
  'contains',
  'find',
  'rfind',
  'index',
  'count',
  'replace',
  'replaceAll',
  'replaceFirst',
  'removePrefix',
  'removeprefix',
  'removeSuffix',
  'removesuffix',
  'lstrip',
  'rstrip',
  'strip',
  'split',
  'partition',
  'equals',
  'equalsIgnoreCase',
  'regionMatches',
  'match',
  'matches',
  'test',
  'search',
  'fullmatch',
  'sub',
  'subn',
  'compile',
  'RegExp',
  'Regex',
  'strcmp',
  'strncmp',
  'strcasecmp',
  'strncasecmp',
  'strstr',
  'strcasestr',
  'memcmp',
  'sscanf',
  'scanf',
  'fscanf',
  'compare',
  'compareTo',
]);

/** Calls whose string arguments are XML namespace URIs or code-system identifiers. */
const NAMESPACE_CALLS: ReadonlySet<string> = new Set([
  'createElementNS',
  'createAttributeNS',
  'setAttributeNS',
  'getAttributeNS',
  'hasAttributeNS',
  'removeAttributeNS',
  'getElementsByTagNameNS',
  'lookupPrefix',
  'lookupNamespaceURI',
  'isDefaultNamespace',
  'getAttributeValue',
  'QName',
  'register_namespace',
  'setPrefix',
  'getNamespace',
  'addNamespace',
  'declareNamespace',
  'startPrefixMapping',
  'setNamespace',
  'setSystem',
]);

/** Logging and printing: a URL printed is not a URL contacted. */
const LOGGING_CALLS: ReadonlySet<string> = new Set([
  'printf',
  'fprintf',
  'puts',
  'printk',
  'print',
  'println',
  'LOG_INF',
  'LOG_DBG',
  'LOG_WRN',
  'LOG_ERR',
  'ESP_LOGI',
  'ESP_LOGD',
  'ESP_LOGW',
  'ESP_LOGE',
  'ESP_LOGV',
  'debug',
  'info',
  'warn',
  'warning',
  'error',
  'critical',
  'trace',
  'log',
  'exception',
]);
const ANDROID_LOG = /^(?:Log|Timber)\.[vdiwe]$/;

function ignoredSpans(ctx: RuleContext): Span[] {
  const spans: Span[] = [];
  for (const comparison of ctx.model.comparisons) spans.push(comparison.left, comparison.right);
  // A callback passed to such a call (`test('name', async () => { ... })`) is code, not a pattern or a message.
  const functionStarts = ctx.model.functions.map((fn) => fn.start).sort((a, b) => a - b);
  const holdsFunction = (arg: Span) => hasMarkWithin(functionStarts, arg);
  for (const call of ctx.model.calls) {
    if (MATCHING_CALLS.has(call.name) || NAMESPACE_CALLS.has(call.name) || LOGGING_CALLS.has(call.name) || ANDROID_LOG.test(call.callee)) {
      pushAll(
        spans,
        call.args.filter((arg) => !holdsFunction(arg)),
      );
      for (const named of call.named) if (!holdsFunction(named.value)) spans.push(named.value);
      if (MATCHING_CALLS.has(call.name) && call.receiver) spans.push(call.receiver);
    }
    for (const named of call.named) if (isNamespaceKey(named.key)) spans.push(named.value);
    // Package metadata (`setup(url=..., project_urls=...)`) names a home page; nothing connects to it.
    // `dependency_links` is different: pip downloads code from it, so it stays checked.
    if (PACKAGE_SETUP_CALLS.has(call.callee)) {
      for (const named of call.named) if (PACKAGE_METADATA_KEYS.has(named.key)) spans.push(named.value);
    }
  }
  for (const binding of ctx.model.bindings) {
    if (isNamespaceKey(binding.name)) spans.push(binding.value);
    // A URL that is a map key (`{ 'http://old': 'https://new' }`) is looked up, not contacted.
    if (binding.kind === 'property') spans.push(binding.targetSpan);
  }
  return spans;
}

const PACKAGE_SETUP_CALLS: ReadonlySet<string> = new Set(['setup', 'setuptools.setup', 'distutils.core.setup']);
const PACKAGE_METADATA_KEYS: ReadonlySet<string> = new Set(['url', 'download_url', 'project_urls', 'home_page', 'homepage']);

const NAMESPACE_KEYS: ReadonlySet<string> = new Set([
  '$schema',
  '$id',
  '$ref',
  '@context',
  '@id',
  '@type',
  '@vocab',
  'xmlns',
  'namespace',
  'namespaceuri',
  'targetnamespace',
  'schemalocation',
  'nsuri',
  'system',
  'codesystem',
]);

/** Keys whose value is an identifier URI: `xmlns:x`, `$schema`, `namespace`, `ANDROID_NS`, FHIR `system`. */
function isNamespaceKey(key: string | undefined): boolean {
  if (!key) return false;
  const lower = key.toLowerCase();
  if (NAMESPACE_KEYS.has(lower) || lower.startsWith('xmlns')) return true;
  const words = identifierWords(key);
  return words.includes('ns') || words.includes('namespace') || words.includes('xmlns');
}

/** The key written just before a literal on its line (`namespace = "..."`, `"$schema": "..."`), if any. */
function keyBefore(ctx: RuleContext, offset: number): string | undefined {
  const lineStart = ctx.text.content.lastIndexOf('\n', offset - 1) + 1;
  const before = ctx.text.content.slice(lineStart, offset);
  return assignedKey(before);
}

const SPACE = /\s/;
const KEY_CHAR = /[@$\w:.-]/;

/**
 * The key `text` ends by assigning (`namespace = `, `"$schema": `): what `(["']?)([@$\w:.-]+)\1\s*[=:]\s*$`
 * captures, read from the end (that regex retries at every character of a long key-like run: quadratic).
 */
export function assignedKey(text: string): string | undefined {
  let end = text.length;
  while (end > 0 && SPACE.test(text[end - 1])) end--;
  if (end === 0 || (text[end - 1] !== '=' && text[end - 1] !== ':')) return undefined;
  end--;
  while (end > 0 && SPACE.test(text[end - 1])) end--;
  const quote = end > 0 && (text[end - 1] === '"' || text[end - 1] === "'") ? text[--end] : '';
  let start = end;
  while (start > 0 && KEY_CHAR.test(text[start - 1])) start--;
  return start < end && (!quote || text[start - 1] === quote) ? text.slice(start, end) : undefined;
}

/** A library-specific scheme (`tcp://` for Paho MQTT) counts only as an argument of that library's calls. */
function inRequiredCall(ctx: RuleContext, literal: Span, url: ParsedUrl): boolean {
  const calls = url.scheme.onlyInCalls;
  if (!calls) return true;
  return ctx.model.calls.some((call) => calls.has(call.name) && call.args.some((arg) => within(literal, arg)));
}

function within(inner: Span, outer: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

// ---- Telnet and FTP clients ---------------------------------------------------------------------------

function checkClients(ctx: RuleContext): void {
  const file = { text: ctx.text.content, imports: ctx.model.imports };
  // The clients of this file's language, chosen once rather than per call.
  const clients = [...CLEARTEXT_CLIENTS, NODE_TELNET].filter((client) => client.languages.includes(ctx.language));
  for (const call of ctx.model.calls) {
    for (const client of clients) {
      if (!client.matches(call, file)) continue;
      ctx.report({ span: call.calleeSpan, message: client.message, fixes: calleeFix(ctx, call, client.secureCallee) });
    }
    if (ctx.language === 'typescript' || ctx.language === 'javascript') checkBasicFtp(ctx, call);
  }
}

function calleeFix(ctx: RuleContext, call: Call, rename: { from: string; to: string } | undefined): Fix[] | undefined {
  if (!rename || call.callee !== rename.from || ctx.text.slice(call.calleeSpan) !== rename.from) return undefined;
  return [
    {
      title: `Use ${rename.to} (then call prot_p() to protect transfers)`,
      safety: 'suggestion',
      edits: [{ span: call.calleeSpan, newText: rename.to }],
    },
  ];
}

function checkBasicFtp(ctx: RuleContext, call: Call): void {
  const insecure = basicFtpInsecureSecure(call, ctx.text.content);
  if (!insecure) return;
  const message =
    'basic-ftp connects with plain FTP unless `secure` is true: the login and the files can be read or swapped on the network path. Set `secure: true` (explicit FTPS) and keep certificate checks on, or use SFTP.';
  if (!insecure.secure) {
    ctx.report({ span: call.calleeSpan, message });
    return;
  }
  const value = insecure.secure;
  ctx.report({
    span: value,
    message,
    fixes: [
      {
        title: 'Set secure: true (the server must support FTPS)',
        safety: 'suggestion',
        edits: [{ span: { start: value.start, end: value.end }, newText: 'true' }],
      },
    ],
  });
}
