/**
 * `tls-verification-disabled` for Arduino-style firmware (ESP8266, ESP32, their BearSSL and mbedTLS clients):
 * - `setInsecure()` on a secure client: the handshake accepts any certificate;
 * - `allowSelfSignedCerts()` (ESP8266 BearSSL): any self-signed certificate passes, which anyone can make;
 * - a `WiFiClientSecure` that is connected, or handed to an HTTP, MQTT or update client, while nothing gives it
 *   a CA, a fingerprint, a known key or trust anchors: depending on the core the handshake then fails or
 *   (older ESP32 cores, some ports) accepts any server, and either way the server is never authenticated.
 * The client is judged by its declared type and by the calls made on it, never by its name.
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import type { TlsFinding } from '../_shared/syntax';
import { pushAll } from '../../server/src/core/arrays';

/** Trust configured for a client in some file: its name, so a client set up in another file is not reported. */
export const ARDUINO_TRUST_FACT = 'arduino-tls-trust';

/** Secure client classes that verify only what they are given (WiFiNINA's WiFiSSLClient has a built-in store). */
const SECURE_CLIENT_TYPE = /(?<![\w])(?:BearSSL::)?(?:WiFiClientSecure|NetworkClientSecure|WiFiClientSecureBearSSL)(?![\w])/;
/** Calls that give a secure client something to authenticate the server with. */
const TRUST_CALLS = new Set([
  'setCACert',
  'setCACert_P',
  'setCACertBundle',
  'loadCACert',
  'setTrustAnchors',
  'setTrustAnchor',
  'setFingerprint',
  'setKnownKey',
  'setCertStore',
  'setPreSharedKey',
  'setPSK',
  // Reported on their own: the missing-CA finding would only repeat them.
  'setInsecure',
  'allowSelfSignedCerts',
]);
/** APIs that take a client and open a connection through it (HTTPClient, ArduinoHttpClient, PubSubClient, updates). */
const CLIENT_CONSUMERS = new Set(['begin', 'setClient', 'update', 'updateSpiffs', 'updateFS', 'PubSubClient', 'HttpClient', 'MqttClient']);

export function findArduinoTlsBypass(ctx: RuleContext): TlsFinding[] {
  const text = ctx.text.content;
  const out: TlsFinding[] = [...esp32HttpsWithoutCa(ctx)];
  if (!text.includes('setInsecure') && !text.includes('allowSelfSignedCerts') && !SECURE_CLIENT_TYPE.test(text)) return out;
  for (const call of ctx.model.calls) {
    if (!call.receiver || call.args.length) continue;
    if (call.name === 'setInsecure') out.push(insecureFinding(call));
    else if (call.name === 'allowSelfSignedCerts') out.push(selfSignedFinding(call));
  }
  pushAll(out, clientsWithoutTrust(ctx));
  return out;
}

function insecureFinding(call: Call): TlsFinding {
  return {
    span: call,
    message: `\`${call.receiver!.text}.setInsecure()\` makes the secure client accept any server certificate, so anyone on the Wi-Fi or network path can pose as the server, read the traffic and send the device forged data or commands; give it the server's CA (\`setCACert\`, \`setTrustAnchors\`, or the CA bundle) instead.`,
  };
}

function selfSignedFinding(call: Call): TlsFinding {
  return {
    span: call,
    message: `\`${call.receiver!.text}.allowSelfSignedCerts()\` accepts any self-signed certificate, which anyone can make in a second, so an impostor server passes; trust the server's own certificate or CA with \`setTrustAnchors\` or \`setKnownKey\` instead.`,
  };
}

/** The receiver's name as a variable: `client` for `client`, `*client`, `this->client`, `client.get()`. */
function receiverName(call: Call): string | undefined {
  const text = call.receiver?.text.replace(/^\(?\s*\*\s*/, '').replace(/^this\s*->\s*/, '');
  const m = text ? /^([A-Za-z_]\w*)(?:\s*\)|\.get\(\s*\))?$/.exec(text) : null;
  return m?.[1];
}

/** Names of the secure clients this file declares or creates (`WiFiClientSecure c;`, `c = new WiFiClientSecure`). */
function secureClients(ctx: RuleContext): Set<string> {
  const names = new Set<string>();
  for (const v of ctx.model.variables) if (v.type && SECURE_CLIENT_TYPE.test(v.type)) names.add(v.name);
  for (const b of ctx.model.bindings) {
    const created = b.value.kind === 'call' && b.value.call?.isNew && SECURE_CLIENT_TYPE.test(b.value.call.callee.replace(/\./g, '::'));
    if (created && /^[A-Za-z_]\w*$/.test(b.name)) names.add(b.name);
  }
  return names;
}

/** The clients every declaration of which is a local of a function (`WiFiClientSecure client;` inside `fetch()`). */
function localClients(ctx: RuleContext, clients: ReadonlySet<string>): Set<string> {
  const declared = new Map<string, boolean>();
  for (const v of ctx.model.variables) {
    if (!clients.has(v.name)) continue;
    declared.set(v.name, (declared.get(v.name) ?? true) && !!v.fn);
  }
  for (const b of ctx.model.bindings) {
    if (!clients.has(b.name) || b.kind !== 'declaration') continue;
    declared.set(b.name, (declared.get(b.name) ?? true) && !!b.fn);
  }
  return new Set([...declared].filter(([, local]) => local).map(([name]) => name));
}

/** Whether `arg` is the client itself (`c`, `&c`, `*c`). */
function isClientArg(text: string, name: string): boolean {
  return text.replace(/^[&*]\s*/, '') === name;
}

/** `PubSubClient mqtt(net);` declares an object, which tree-sitter reads as a declaration, not a call. */
function constructedWith(ctx: RuleContext, name: string): { start: number; end: number; how: string } | undefined {
  const pattern = /\b(PubSubClient|HttpClient|MqttClient)\s+([A-Za-z_]\w*)\s*\(\s*(?:&\s*)?([A-Za-z_]\w*)/g;
  for (const m of ctx.text.content.matchAll(pattern)) {
    if (ctx.model.comments.some((c) => c.start <= m.index! && m.index! < c.end)) continue;
    if (m[3] === name) return { start: m.index!, end: m.index! + m[0].length, how: `\`${m[1]} ${m[2]}\`` };
  }
  return undefined;
}

/**
 * Secure clients that connect with nothing to verify the server against. A client passed to any other call (a
 * helper that may configure it) is left alone, and so is a global one whose name another file gives trust to; a
 * local of a function here is out of every other file's reach, so a name elsewhere says nothing about it.
 */
function clientsWithoutTrust(ctx: RuleContext): TlsFinding[] {
  const clients = secureClients(ctx);
  if (!clients.size) return [];
  const locals = localClients(ctx, clients);
  const trusted = new Set<string>();
  const connected = new Map<string, { start: number; end: number; how: string }>();
  const unknown = new Set<string>();
  for (const call of ctx.model.calls) {
    const receiver = receiverName(call);
    if (receiver && clients.has(receiver)) {
      if (TRUST_CALLS.has(call.name)) trusted.add(receiver);
      else if (call.name === 'connect' && !connected.has(receiver))
        connected.set(receiver, { ...spanOf(call), how: `\`${call.callee}()\`` });
    }
    for (const arg of call.args) {
      const name = [...clients].find((c) => isClientArg(arg.text, c));
      if (!name) continue;
      if (CLIENT_CONSUMERS.has(call.name) && !connected.has(name)) connected.set(name, { ...spanOf(call), how: `\`${call.callee}()\`` });
      else if (!CLIENT_CONSUMERS.has(call.name)) unknown.add(name);
    }
  }
  const trustedGlobals = [...trusted].filter((name) => !locals.has(name));
  if (trustedGlobals.length) ctx.provide(ARDUINO_TRUST_FACT, trustedGlobals);
  const out: TlsFinding[] = [];
  for (const name of clients) {
    if (trusted.has(name) || unknown.has(name)) continue;
    const site = connected.get(name) ?? constructedWith(ctx, name);
    if (!site) continue;
    out.push({
      span: { start: site.start, end: site.end },
      message: `Secure client \`${name}\` is connected through ${site.how} but nothing gives it the server's CA, fingerprint or trust anchors, so the server is never authenticated (some cores then accept any certificate, others refuse the connection); call \`${name}.setCACert(...)\` (or \`setTrustAnchors\`, \`setCACertBundle\`) before connecting.`,
      confidence: 'medium',
      ...(locals.has(name) ? {} : { unless: { fact: ARDUINO_TRUST_FACT, anyOf: [name] } }),
    });
  }
  return out;
}

function spanOf(call: Call): { start: number; end: number } {
  return { start: call.start, end: call.end };
}

/**
 * ESP32 `HTTPClient.begin(url)` (or `begin(url, NULL)`) with an https:// URL: the client builds its own secure
 * client and, given no CA certificate, does not verify the server (`setInsecure()` in current cores, a NULL CA in
 * 1.0.x). The ESP8266 core's HTTPClient refuses https in this form, so only ESP32's `<HTTPClient.h>` counts.
 */
function esp32HttpsWithoutCa(ctx: RuleContext): TlsFinding[] {
  if (!ctx.model.imports.some((i) => i.module.split('/').pop() === 'HTTPClient.h')) return [];
  if (ctx.model.imports.some((i) => /ESP8266HTTPClient\.h$/.test(i.module))) return [];
  const httpClients = new Set(ctx.model.variables.filter((v) => v.type === 'HTTPClient').map((v) => v.name));
  const out: TlsFinding[] = [];
  for (const call of ctx.model.calls) {
    if (call.name !== 'begin' || !httpClients.has(receiverName(call) ?? '')) continue;
    const [url, ca] = call.args;
    if (!url || call.args.length > 2 || (ca && !/^(?:NULL|nullptr|0)$/.test(ca.text))) continue;
    if (url.kind === 'name' && httpClients.size && isClientVariable(ctx, url)) continue;
    const https = ctx.flow.origins(url).find((o) => o.kind === 'literal' && /^https:\/\//i.test(o.expr.value ?? ''));
    if (!https) continue;
    out.push({
      span: call,
      message: `\`${call.callee}()\` is given an https:// URL but no CA certificate, so the ESP32 HTTPClient opens its own secure client without verifying the server (it calls \`setInsecure()\`): anyone on the network path can pose as the server; pass the server's root CA (\`${call.callee}(url, rootCA)\`) or a \`WiFiClientSecure\` with \`setCACert\`.`,
      confidence: 'medium',
    });
  }
  return out;
}

/** `http.begin(client)`-style first arguments that are a network client, not a URL. */
function isClientVariable(ctx: RuleContext, expr: Expr): boolean {
  const name = expr.value ?? expr.text;
  return ctx.model.variables.some((v) => v.name === name && !!v.type && /Client/.test(v.type));
}
