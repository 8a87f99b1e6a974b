/**
 * open-wifi-access-point: where the firmware opens a Wi-Fi access point that anyone in range can join, and what
 * it serves there. An access point is open when its passphrase is missing, empty or shorter than WPA2's 8
 * characters (the value is followed through constants, `#define`s and helper parameters by the data-flow layer):
 * - Arduino `WiFi.softAP(ssid)` / `WiFi.softAP(ssid, pass)`;
 * - WiFiManager-style configuration portals: `autoConnect()`, `autoConnect(ssid)`, `startConfigPortal(ssid)`;
 * - ESP-IDF `wifi_config_t` with `.ap.authmode = WIFI_AUTH_OPEN`.
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { Origin } from '../../server/src/core/flow/value-flow';
import type { ProjectCondition, RuleContext, Span } from '../../server/src/core/types';
import { pushAll } from '../../server/src/core/arrays';
import { constantElsewhere } from './passphrase-macros';

export interface OpenApHit {
  span: Span;
  /** How the access point is opened, for the message. */
  how: string;
  /** The portal itself is a configuration interface. */
  portal: boolean;
  /** A passphrase under WPA2's minimum rather than none. */
  short?: boolean;
  /** The passphrase is a constant another file defines: the finding stands when that file defines it short. */
  elsewhere?: { when: ProjectCondition; unless: ProjectCondition };
  /** The portal is a member declared in another file (a class's header): the finding stands when it is a WiFiManager. */
  member?: ProjectCondition;
}

/** Names of variables and members declared as a WiFiManager portal, in any file of the project (its headers). */
export const PORTAL_MEMBER = 'wifimanager-portal';

/** Provides the names this file declares with a WiFiManager type (`WiFiManager wifiManager;` in a class). */
export function providePortalMembers(ctx: RuleContext): void {
  if (!ctx.text.content.includes('WiFiManager')) return;
  const names = ctx.model.variables.filter((v) => v.type && PORTAL_TYPE.test(v.type)).map((v) => v.name);
  if (names.length) ctx.provide(PORTAL_MEMBER, [...new Set(names)]);
}

/** Why a passphrase leaves the access point open; `elsewhere` when that depends on another file's constant. */
interface OpenPassphrase {
  how: string;
  elsewhere?: { when: ProjectCondition; unless: ProjectCondition };
}

const WPA2_MIN = 8;
const PORTAL_HEADER = /(?:^|\/)(?:ESPAsync_?|ESP_|Async)?WiFiManager(?:_Generic|_Lite)?\.h$/;
const PORTAL_TYPE = /(?:^|::)(?:ESPAsync_|ESP_|Async)?WiFiManager$/;

export function findOpenAccessPoints(ctx: RuleContext): OpenApHit[] {
  const text = ctx.text.content;
  const hits: OpenApHit[] = [];
  if (text.includes('softAP')) pushAll(hits, softAps(ctx));
  if (text.includes('WiFiManager') || text.includes('autoConnect') || text.includes('startConfigPortal')) pushAll(hits, portals(ctx));
  if (text.includes('WIFI_AUTH_OPEN')) pushAll(hits, espIdfOpenAuth(ctx));
  return hits;
}

function softAps(ctx: RuleContext): OpenApHit[] {
  const hits: OpenApHit[] = [];
  for (const call of ctx.model.calls) {
    if (call.name !== 'softAP' || !/(?:^|\.)WiFi$/.test(call.receiver?.text ?? '') || !call.args.length) continue;
    const open = openPassphrase(ctx, call.args[1]);
    if (open) hits.push({ span: call, how: `\`${call.callee}()\` ${open.how}`, portal: false, ...shortOrElsewhere(open) });
  }
  return hits;
}

function portals(ctx: RuleContext): OpenApHit[] {
  const portalNames = new Set(ctx.model.variables.filter((v) => v.type && PORTAL_TYPE.test(v.type)).map((v) => v.name));
  const included = ctx.model.imports.some((i) => PORTAL_HEADER.test(i.module));
  const hits: OpenApHit[] = [];
  for (const call of ctx.model.calls) {
    if (call.name !== 'autoConnect' && call.name !== 'startConfigPortal') continue;
    const receiver = call.receiver?.text
      .replace(/^\*/, '')
      .replace(/->$/, '')
      .replace(/^this(?:->|\.)/, '');
    if (!receiver) continue;
    // autoConnect/startConfigPortal are WiFiManager's API: the include or the receiver's declared type says so, or,
    // for a member of the class this method belongs to, its declaration in the class's header.
    const known = included || portalNames.has(receiver);
    const member: ProjectCondition | undefined =
      !known && /^[A-Za-z_]\w*$/.test(receiver) ? { fact: PORTAL_MEMBER, anyOf: [receiver] } : undefined;
    if (!known && !member) continue;
    const open = call.args.length === 0 ? { how: 'without an access point name or passphrase' } : openPassphrase(ctx, call.args[1]);
    if (!open || (member && open.elsewhere)) continue;
    hits.push({
      span: call,
      how: `the configuration portal \`${call.callee}()\` ${open.how}`,
      portal: true,
      ...shortOrElsewhere(open),
      ...(member ? { member } : {}),
    });
  }
  return hits;
}

function shortOrElsewhere(open: OpenPassphrase): Pick<OpenApHit, 'short' | 'elsewhere'> {
  return open.elsewhere ? { elsewhere: open.elsewhere } : { short: open.how.includes('-character') };
}

/**
 * Why a passphrase argument leaves the access point open, or undefined when it is a real passphrase or unknown.
 * A literal in this file decides; failing that, a constant this file names but does not define is looked up in
 * the rest of the project (passphrase-macros.ts).
 */
function openPassphrase(ctx: RuleContext, arg: Expr | undefined): OpenPassphrase | undefined {
  if (!arg) return { how: 'has no passphrase' };
  const origins = ctx.flow.origins(arg);
  for (const origin of origins) {
    // A literal formatted into the buffer is one input of its text, not the passphrase: `sprintf(pw, "%08d", id)`
    // from `id = 0` holds eight digits, not a null pointer. The text is judged whole, when it is a constant.
    if (throughFormat(origin)) continue;
    const why = openLiteral(origin);
    if (why) return { how: why };
  }
  const formatted = origins.find(throughFormat);
  if (formatted) {
    const text = ctx.flow.constant(arg);
    const why = text && shortText(text.value);
    return why ? { how: `${why}${throughLabel(formatted)}` } : undefined;
  }
  // Only when the passphrase has one origin: a name that may also be a real value at run time proves nothing.
  const elsewhere = origins.length === 1 ? constantElsewhere(origins[0]) : undefined;
  if (!elsewhere) return undefined;
  const through = origins[0].steps.length ? ` (through \`${origins[0].steps[origins[0].steps.length - 1].label}\`)` : '';
  return {
    how: `takes its passphrase from \`${elsewhere.name}\`${through}, which another file of the project defines empty or shorter than 8 characters`,
    elsewhere: { when: elsewhere.when, unless: elsewhere.unless },
  };
}

function openLiteral(origin: Origin): string | undefined {
  if (origin.kind !== 'literal') return undefined;
  const through = throughLabel(origin);
  const { expr } = origin;
  if (expr.kind === 'null' || (expr.kind === 'name' && /^(?:NULL|nullptr)$/.test(expr.value ?? '')))
    return `has a null passphrase${through}`;
  if (expr.kind === 'number' && /^0+$/.test(expr.text)) return `has a null passphrase${through}`;
  if (expr.kind !== 'string' || expr.value === undefined) return undefined;
  const why = shortText(expr.value);
  return why && `${why}${through}`;
}

function shortText(value: string): string | undefined {
  if (value === '') return 'has an empty passphrase';
  if (value.length < WPA2_MIN) return `has a ${value.length}-character passphrase`;
  return undefined;
}

function throughLabel(origin: Origin): string {
  return origin.steps.length ? ` (through \`${origin.steps[origin.steps.length - 1].label}\`)` : '';
}

/** The origin reached the passphrase as an input of a `printf`-family copy into the buffer (a flow step is that call). */
function throughFormat(origin: Origin): boolean {
  return origin.steps.some((step) => step.format);
}

/** `.ap = { ..., .authmode = WIFI_AUTH_OPEN }` or `cfg.ap.authmode = WIFI_AUTH_OPEN` outside a fallback for an empty password. */
function espIdfOpenAuth(ctx: RuleContext): OpenApHit[] {
  const hits: OpenApHit[] = [];
  const apBlocks = ctx.model.bindings.filter((b) => b.kind === 'property' && b.name === 'ap' && b.value.kind === 'object');
  for (const b of ctx.model.bindings) {
    if (b.name !== 'authmode' || b.value.kind !== 'name' || b.value.value !== 'WIFI_AUTH_OPEN') continue;
    const inAp =
      (b.kind === 'property' && apBlocks.some((ap) => ap.value.start <= b.start && b.end <= ap.value.end)) ||
      (b.kind === 'assignment' && /(?:^|\.)ap\.authmode$/.test(b.target));
    if (!inAp || isEmptyPasswordFallback(ctx, b)) continue;
    hits.push({ span: b.value, how: 'sets the access point to `WIFI_AUTH_OPEN`', portal: false });
  }
  return hits;
}

/** ESP-IDF's softAP example: `if (strlen(PASS) == 0) { cfg.ap.authmode = WIFI_AUTH_OPEN; }` serves a build with no password configured. */
function isEmptyPasswordFallback(ctx: RuleContext, at: Span): boolean {
  const from = Math.max(0, at.start - 240);
  let before = ctx.text.content.slice(from, at.start);
  // Comments between the test and the assignment do not change what it guards.
  for (const c of ctx.model.comments) {
    if (c.end <= from || c.start >= at.start) continue;
    const start = Math.max(c.start, from) - from;
    const end = Math.min(c.end, at.start) - from;
    before = before.slice(0, start) + ' '.repeat(end - start) + before.slice(end);
  }
  return /\bif\s*\(\s*strlen\s*\([^()]*\)\s*==\s*0\s*\)\s*(?:\{\s*)?$/.test(before);
}

/** What the program serves to whoever joins: a web server, OTA, a socket server. Judged from this file. */
export function servedInterface(ctx: RuleContext): string | undefined {
  for (const i of ctx.model.imports) {
    const served = SERVER_HEADERS.find(([pattern]) => pattern.test(i.module));
    if (served) return served[1];
  }
  for (const v of ctx.model.variables) {
    const served = SERVER_TYPES.find(([pattern]) => pattern.test(v.type ?? ''));
    if (served) return served[1];
  }
  const call = ctx.model.calls.find((c: Call) => SERVER_CALLS.has(c.callee) || SERVER_CALLS.has(c.name));
  return call ? `\`${call.callee}()\`` : undefined;
}

/** Names of variables and members declared with a server type (`WebServer server{80};` in a class), in any file. */
export const SERVER_MEMBER = 'served-interface-member';

/** Provides the names this file declares with a server type: a class's header declares what its methods start. */
export function provideServerMembers(ctx: RuleContext): void {
  if (!ctx.text.content.includes('Server')) return;
  const names = ctx.model.variables.filter((v) => SERVER_TYPES.some(([pattern]) => pattern.test(v.type ?? ''))).map((v) => v.name);
  if (names.length) ctx.provide(SERVER_MEMBER, [...new Set(names)]);
}

/**
 * A server this file starts but does not declare: `server.begin()` in a method of a class whose header declares
 * `WebServer server`. The finding stands when another file of the project declares that name with a server type.
 */
export function servedByMember(ctx: RuleContext): { label: string; when: ProjectCondition } | undefined {
  const declared = new Set(ctx.model.variables.map((v) => v.name));
  const names = new Set<string>();
  for (const call of ctx.model.calls) {
    if (call.name !== 'begin' || call.args.length > 1) continue;
    const receiver = call.receiver?.text.replace(/^this(?:->|\.)/, '');
    if (receiver && /^[A-Za-z_]\w*$/.test(receiver) && !declared.has(receiver)) names.add(receiver);
  }
  if (!names.size) return undefined;
  return { label: 'a server this file starts (declared in another file)', when: { fact: SERVER_MEMBER, anyOf: [...names] } };
}

const SERVER_HEADERS: readonly [RegExp, string][] = [
  [/(?:^|\/)(?:ESP8266|ESP32|)WebServer\.h$/, 'a web server'],
  [/(?:^|\/)ESPAsyncWebServer\.h$/, 'a web server'],
  [/(?:^|\/)(?:ArduinoOTA|ElegantOTA|AsyncElegantOTA|ESP8266HTTPUpdateServer|HTTPUpdateServer)\.h$/, 'an over-the-air update service'],
  [/(?:^|\/)WebSocketsServer\.h$/, 'a WebSocket server'],
  [/(?:^|\/)esp_http_server\.h$/, 'a web server'],
];
const SERVER_TYPES: readonly [RegExp, string][] = [
  [/^(?:ESP8266WebServer|WebServer|AsyncWebServer|ESP8266WebServerSecure)$/, 'a web server'],
  [/^(?:WiFiServer|EthernetServer|AsyncServer)$/, 'a socket server'],
  [/^WebSocketsServer$/, 'a WebSocket server'],
];
const SERVER_CALLS = new Set(['ArduinoOTA.begin', 'ElegantOTA.begin', 'AsyncElegantOTA.begin', 'httpd_start', 'httpd_ssl_start', 'listen']);
