import type { Call, Expr } from '../../server/src/core/model/types';
import type { Fix, Report, Rule, RuleContext, Span, TextEdit } from '../../server/src/core/types';
import { identifierWords } from '../_shared/identifier-words';
import {
  basicFtpInsecureSecure, CLEARTEXT_CLIENTS, NODE_TELNET,
} from './clients';
import { classifyHost, parseCleartextUrl, type HostKind, type ParsedUrl } from '../_shared/urls';

/**
 * A device that talks HTTP, MQTT, CoAP, WebSocket, FTP, TFTP or Telnet without TLS exposes its commands,
 * credentials and patient data to anyone on the hospital or home network. The rule flags string literals
 * and config values that ARE such a URL with a host that leaves the machine, and the Telnet / FTP client
 * classes that are cleartext whatever they connect to.
 */
const rule: Rule = {
  meta: {
    id: 'cleartext-protocol',
    title: 'Endpoint uses a cleartext protocol (http, mqtt, ws, coap, ftp, tftp, telnet)',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript', 'kconfig', 'dotenv'],
    cwe: [319, 311, 523],
    fda: ['app1.E.1', 'app1.A.1', 'app1.D.7', '524b.b2'],
    iec62443: ['CR 4.1', 'CR 3.1', 'CR 7.7'],
    fix: 'suggestion',
    presets: ['recommended'],
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allowedHosts: { description: 'Host globs that may be reached in cleartext (`*` any characters, `?` one), e.g. an isolated test bench: `["*.bench.internal", "10.99.*"]`.', type: 'array', items: { type: 'string', minLength: 1 } },
      },
    },
    docs: {
      summary:
        'Finds endpoints that use a protocol without TLS/DTLS: a string literal or config value (`sdkconfig`, `prj.conf`, `.env`) that is an `http://`, `ws://`, `mqtt://`, `coap://`, `ftp://`, `tftp://` or `telnet://` URL, and the Telnet and plain-FTP clients (Python `telnetlib.Telnet`, `ftplib.FTP`; Apache Commons Net `TelnetClient`, `FTPClient`; Node `telnet-client`, `basic-ftp` without `secure`), and Eclipse Paho `tcp://` server URIs (`MqttClient`, `MqttAsyncClient`, `MQTTClient_create`, `MQTTAsync_create`, `setServerURIs`), which are cleartext MQTT. URLs whose host is built at run time (`"http://%s/api"`, `f"http://{host}"`, `"http://" + host`) are reported with medium confidence.\n\nNot reported: loopback and unspecified hosts (`localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]`, `0.0.0.0`, the Android emulator\'s `10.0.2.2`); the reserved documentation names (`example.com/.net/.org`, `*.example`, `*.test`, `*.invalid`), which cannot be deployed endpoints; identifiers written as URIs (XML namespaces and `xmlns`, `$schema`/`$id`, JSON-LD `@context`, HL7 FHIR canonical URLs and code systems such as `http://loinc.org`, licence URLs); URLs in comments and docstrings; strings that only mention a URL in prose; a bare scheme used as a prefix to test or replace (`url.startsWith("http://")`, `strncmp(url, "http://", 7)`); and URLs passed to logging, comparison, search and regex calls. Hosts on private networks (`192.168.x.x`, `*.local`) are reported: the hospital network is the threat model.',
      risk:
        'Cleartext traffic can be read and changed by anyone on the network path: a compromised workstation on the clinical LAN, a rogue access point, or malware on a home router. For a device that means therapy settings or alarm thresholds altered in transit, firmware swapped during download, credentials captured for later use, and patient data disclosed. FDA premarket guidance expects confidentiality and authenticity of data in transit (Appendix 1 E.1, A.1, D.7); IEC 62443-4-2 CR 4.1 and CR 3.1 ask for the same.',
      fix:
        'Use the TLS form of the protocol (`https`, `wss`, `mqtts` on 8883, `coaps` on 5684) with certificate verification and a trust anchor the device ships with (ESP-IDF certificate bundle, Zephyr TLS credentials, Android network security config). Replace Telnet with SSH and FTP/TFTP with SFTP, FTPS or HTTPS downloads whose payload is signed. Move endpoints to configuration that is itself protected, so a deployment cannot quietly fall back to cleartext.',
      examples: [
        {
          language: 'c',
          bad: 'const esp_mqtt_client_config_t mqtt_cfg = {\n    .broker.address.uri = "mqtt://broker.ward3.hospital.lan:1883",\n};\n',
          good: 'const esp_mqtt_client_config_t mqtt_cfg = {\n    .broker.address.uri = "mqtts://broker.ward3.hospital.lan:8883",\n    .broker.verification.crt_bundle_attach = esp_crt_bundle_attach,\n};\n',
        },
        {
          language: 'python',
          bad: 'resp = requests.post("http://gateway.clinic.lan/api/v1/vitals", json=reading, timeout=5)\n',
          good: 'resp = requests.post("https://gateway.clinic.lan/api/v1/vitals", json=reading, timeout=5)\n',
        },
        {
          language: 'kconfig',
          bad: 'CONFIG_BROKER_URL="mqtt://192.168.10.20"\n',
          good: 'CONFIG_BROKER_URL="mqtts://192.168.10.20"\n',
        },
      ],
      fixSafety:
        'Every fix is a suggestion, never applied in bulk: switching `http`→`https`, `ws`→`wss`, `mqtt`→`mqtts` or `coap`→`coaps` changes behaviour, because the server must offer TLS (often on another port) and the device needs a trust anchor to verify it; without both the connection fails, which on a device can mean lost telemetry or alarms. Paho `tcp://` becomes `ssl://` the same way. Only the scheme characters are rewritten, plus the port when it is written as the cleartext default (80→443, 1883→8883, 5683→5684), since keeping that port would certainly fail. FTP, TFTP and Telnet get no URL fix: FTPS on `ftps://` is implicit TLS on port 990, which most servers do not offer, and TFTP and Telnet have no TLS form. `ftplib.FTP`→`ftplib.FTP_TLS` and basic-ftp `secure: false`→`true` are offered as suggestions for the same reason.',
      references: [
        { title: 'CWE-319: Cleartext Transmission of Sensitive Information', url: 'https://cwe.mitre.org/data/definitions/319.html' },
        { title: 'CWE-523: Unprotected Transport of Credentials', url: 'https://cwe.mitre.org/data/definitions/523.html' },
        { title: 'FDA: Cybersecurity in Medical Devices (premarket guidance)', url: 'https://www.fda.gov/regulatory-information/search-fda-guidance-documents/cybersecurity-medical-devices-quality-system-considerations-and-content-premarket-submissions' },
        { title: 'OWASP MASVS-NETWORK: secure network communication', url: 'https://mas.owasp.org/MASVS/08-MASVS-NETWORK/' },
        { title: 'ESP-IDF ESP-MQTT: SSL/TLS transport', url: 'https://docs.espressif.com/projects/esp-idf/en/stable/esp32/api-reference/protocols/mqtt.html' },
      ],
    },
  },

  check(ctx) {
    if (ctx.language === 'kconfig' || ctx.language === 'dotenv') {
      for (const entry of ctx.model.config) {
        if (!parseCleartextUrl(entry.value)?.scheme.onlyInCalls) checkUrl(ctx, entry.value, entry.valueSpan);
      }
      return;
    }
    const ignored = ignoredSpans(ctx);
    for (const literal of ctx.model.strings) {
      if (literal.kind !== 'string' || literal.value === undefined || !literal.content) continue;
      const url = parseCleartextUrl(literal.value);
      if (!url || !inRequiredCall(ctx, literal, url)) continue;
      if (ignored.some((span) => within(literal, span))) continue;
      if (isNamespaceKey(keyBefore(ctx, literal.start))) continue;
      if (ctx.language === 'python' && isStringStatement(ctx, literal)) continue;
      checkUrl(ctx, literal.value, literal.content, literal);
    }
    for (const template of interpolatedStrings(ctx)) {
      const url = parseCleartextUrl(template.raw);
      if (!url || !inRequiredCall(ctx, template.expr, url)) continue;
      if (ignored.some((span) => within(template.expr, span))) continue;
      checkUrl(ctx, template.raw, template.content);
    }
    checkClients(ctx);
  },
};

export default rule;

/** The `allowedHosts` option: host globs (`*.lab.internal`, `10.0.*`) the project accepts in cleartext. */
function isAllowedHost(host: string, patterns: unknown): boolean {
  if (!Array.isArray(patterns) || !host) return false;
  const name = host.toLowerCase().replace(/\.$/, '');
  return patterns.some((pattern) => new RegExp(`^${String(pattern).toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(name));
}

// ---- URL literals and config values -----------------------------------------------------------------

/** Reports `value` when it is a cleartext URL to a host off this machine. `content` is where `value` sits. */
function checkUrl(ctx: RuleContext, value: string, content: Span, literal?: Expr): void {
  const url = parseCleartextUrl(value);
  if (!url) return;
  // An endpoint IS a URL; a sentence that mentions one ("see http://... for help") is prose.
  if (/\s/.test(value)) return;
  let kind = classifyHost(url, value);
  let host = url.host;
  if (url.authority === '' && literal) ({ kind, host } = concatenatedHost(ctx, literal, url));
  if (kind !== 'remote' && kind !== 'placeholder') return;
  if (isAllowedHost(host, ctx.options.allowedHosts)) return;

  const { scheme } = url;
  const where = kind === 'remote' ? `endpoint ${scheme.scheme}://${host}` : `URL built on ${scheme.scheme}://`;
  let message = `Cleartext ${scheme.protocol} ${where}: commands, credentials and patient data sent over it can be read and altered by anyone on the network path; ${scheme.advice}.`;
  const report: Report = { span: content, message };
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
 * Interpolated strings (`f"http://{host}/x"`, `` `ws://${host}` ``) are not in `model.strings` (they are
 * not constants), so they are collected from the places a URL is used: arguments, bindings and returns.
 * The raw text between the quotes stands in for the value; its `{...}` / `${...}` read as placeholders.
 */
function interpolatedStrings(ctx: RuleContext): { expr: Expr; raw: string; content: Span }[] {
  // Most files hold no URL at all: spare resolving every call's arguments for them.
  if (!ctx.text.content.includes('://')) return [];
  const candidates: Expr[] = [];
  for (const call of ctx.model.calls) candidates.push(...call.args, ...call.named.map((n) => n.value));
  for (const binding of ctx.model.bindings) candidates.push(binding.value);
  for (const fn of ctx.model.functions) candidates.push(...fn.returns);
  const seen = new Set<number>();
  const out: { expr: Expr; raw: string; content: Span }[] = [];
  for (const expr of candidates) {
    if (expr.kind !== 'other' || seen.has(expr.start)) continue;
    const opener = INTERPOLATED_OPENER[ctx.language]?.exec(expr.text);
    if (!opener || !expr.text.endsWith(opener[1])) continue;
    seen.add(expr.start);
    const start = expr.start + opener[0].length;
    const end = expr.end - opener[1].length;
    out.push({ expr, raw: ctx.text.content.slice(start, end), content: { start, end } });
  }
  return out;
}

/** The opening of an interpolated string literal; group 1 is the quote that closes it. */
const INTERPOLATED_OPENER: Partial<Record<string, RegExp>> = {
  python: /^(?:[fF][rR]?|[rR][fF])("""|'''|"|')/,
  typescript: /^(`)/,
  javascript: /^(`)/,
  kotlin: /^("""|")/,
};

/** `"http://" + host`: the scheme-only literal starts a concatenation; judge the host by what follows. */
function concatenatedHost(ctx: RuleContext, literal: Expr, url: ParsedUrl): { kind: HostKind; host: string } {
  const after = ctx.text.content.slice(literal.end, literal.end + 200);
  const plus = /^\s*\+\s*/.exec(after);
  if (!plus) return { kind: 'invalid', host: '' };
  const nextStart = literal.end + plus[0].length;
  const next = ctx.model.strings.find((s) => s.start === nextStart);
  if (next && next.kind === 'string' && next.value !== undefined) {
    const joined = `${url.scheme.scheme}://${next.value}`;
    const parsed = parseCleartextUrl(joined);
    return parsed && parsed.authority ? { kind: classifyHost(parsed, joined), host: parsed.host } : { kind: 'invalid', host: '' };
  }
  const operand = /^[A-Za-z_$][\w$.]*/.exec(after.slice(plus[0].length));
  if (!operand) return { kind: 'placeholder', host: '' };
  const words = identifierWords(operand[0]);
  return { kind: words.includes('localhost') || words.includes('loopback') ? 'local' : 'placeholder', host: '' };
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
  'startsWith', 'startswith', 'endsWith', 'endswith', 'indexOf', 'lastIndexOf', 'includes', 'contains',
  'find', 'rfind', 'index', 'count', 'replace', 'replaceAll', 'replaceFirst', 'removePrefix', 'removeprefix',
  'removeSuffix', 'removesuffix', 'lstrip', 'rstrip', 'strip', 'split', 'partition', 'equals', 'equalsIgnoreCase',
  'regionMatches', 'match', 'matches', 'test', 'search', 'fullmatch', 'sub', 'subn', 'compile', 'RegExp', 'Regex',
  'strcmp', 'strncmp', 'strcasecmp', 'strncasecmp', 'strstr', 'strcasestr', 'memcmp', 'sscanf', 'scanf', 'fscanf',
  'compare', 'compareTo',
]);

/** Calls whose string arguments are XML namespace URIs or code-system identifiers. */
const NAMESPACE_CALLS: ReadonlySet<string> = new Set([
  'createElementNS', 'createAttributeNS', 'setAttributeNS', 'getAttributeNS', 'hasAttributeNS', 'removeAttributeNS',
  'getElementsByTagNameNS', 'lookupPrefix', 'lookupNamespaceURI', 'isDefaultNamespace', 'getAttributeValue',
  'QName', 'register_namespace', 'setPrefix', 'getNamespace', 'addNamespace', 'declareNamespace',
  'startPrefixMapping', 'setNamespace', 'setSystem',
]);

/** Logging and printing: a URL printed is not a URL contacted. */
const LOGGING_CALLS: ReadonlySet<string> = new Set([
  'printf', 'fprintf', 'puts', 'printk', 'print', 'println', 'LOG_INF', 'LOG_DBG', 'LOG_WRN', 'LOG_ERR',
  'ESP_LOGI', 'ESP_LOGD', 'ESP_LOGW', 'ESP_LOGE', 'ESP_LOGV', 'debug', 'info', 'warn', 'warning', 'error',
  'critical', 'trace', 'log', 'exception',
]);
const ANDROID_LOG = /^(?:Log|Timber)\.[vdiwe]$/;

function ignoredSpans(ctx: RuleContext): Span[] {
  const spans: Span[] = [];
  for (const comparison of ctx.model.comparisons) spans.push(comparison.left, comparison.right);
  for (const call of ctx.model.calls) {
    if (MATCHING_CALLS.has(call.name) || NAMESPACE_CALLS.has(call.name) || LOGGING_CALLS.has(call.name) || ANDROID_LOG.test(call.callee)) {
      spans.push(...call.args);
      for (const named of call.named) spans.push(named.value);
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
  '$schema', '$id', '$ref', '@context', '@id', '@type', '@vocab', 'xmlns', 'namespace', 'namespaceuri',
  'targetnamespace', 'schemalocation', 'nsuri', 'system', 'codesystem',
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
  return /(["']?)([@$\w:.-]+)\1\s*[=:]\s*$/.exec(before)?.[2];
}

/** A Python string that is a statement by itself (a docstring or a bare string): documentation, not data. */
function isStringStatement(ctx: RuleContext, literal: Expr): boolean {
  const text = ctx.text.content;
  const lineStart = text.lastIndexOf('\n', literal.start - 1) + 1;
  if (text.slice(lineStart, literal.start).trim() !== '') return false;
  const lineEnd = text.indexOf('\n', literal.end);
  const rest = text.slice(literal.end, lineEnd < 0 ? text.length : lineEnd).trim();
  if (rest !== '' && !rest.startsWith('#')) return false;
  const inside = (span: Span) => span.start < literal.start && literal.end <= span.end;
  return !ctx.model.calls.some(inside) && !ctx.model.bindings.some((b) => inside(b.value));
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
  const text = ctx.text.content;
  for (const call of ctx.model.calls) {
    for (const client of [...CLEARTEXT_CLIENTS, NODE_TELNET]) {
      if (!client.languages.includes(ctx.language) || !client.matches(call, text)) continue;
      ctx.report({ span: call.calleeSpan, message: client.message, fixes: calleeFix(ctx, call, client.secureCallee) });
    }
    if (ctx.language === 'typescript' || ctx.language === 'javascript') checkBasicFtp(ctx, call);
  }
}

function calleeFix(ctx: RuleContext, call: Call, rename: { from: string; to: string } | undefined): Fix[] | undefined {
  if (!rename || call.callee !== rename.from || ctx.text.slice(call.calleeSpan) !== rename.from) return undefined;
  return [{ title: `Use ${rename.to} (then call prot_p() to protect transfers)`, safety: 'suggestion', edits: [{ span: call.calleeSpan, newText: rename.to }] }];
}

function checkBasicFtp(ctx: RuleContext, call: Call): void {
  const insecure = basicFtpInsecureSecure(call, ctx.text.content);
  if (!insecure) return;
  const message = 'basic-ftp connects with plain FTP unless `secure` is true: the login and the files can be read or swapped on the network path. Set `secure: true` (explicit FTPS) and keep certificate checks on, or use SFTP.';
  if (!insecure.secure) {
    ctx.report({ span: call.calleeSpan, message });
    return;
  }
  const value = insecure.secure;
  ctx.report({
    span: value, message,
    fixes: [{ title: 'Set secure: true (the server must support FTPS)', safety: 'suggestion', edits: [{ span: { start: value.start, end: value.end }, newText: 'true' }] }],
  });
}
