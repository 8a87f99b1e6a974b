/**
 * Credentials over a transport chosen without TLS, where no URL shows the scheme:
 * - ESP-IDF `esp_mqtt_client_config_t` with `transport = MQTT_TRANSPORT_OVER_TCP`/`_OVER_WS` (or host and port
 *   1883 and no transport) and a password, `esp_http_client_config_t` with `transport_type =
 *   HTTP_TRANSPORT_OVER_TCP` and a password or an auth type;
 * - Zephyr `client.transport.type = MQTT_TRANSPORT_NON_SECURE` with `client.password` set;
 * - paho-mqtt: `username_pw_set()` on a client that is connected without `tls_set()`;
 * - MQTT.js: `mqtt.connect({ host, port: 1883, username, password })` (or `protocol: 'mqtt'`/`'ws'`), no URL given.
 * A configuration that also names a URL is left to the URL check (the scheme decides the transport there), and
 * one that also selects the secure transport (an `#if` choosing by build configuration) is not reported.
 */
import type { Binding, Call, Expr } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';

export interface TransportHit {
  span: Span;
  message: string;
}

const PLAIN_TRANSPORTS: Readonly<Record<string, { protocol: 'MQTT' | 'HTTP'; secure: RegExp }>> = {
  MQTT_TRANSPORT_OVER_TCP: { protocol: 'MQTT', secure: /^MQTT_TRANSPORT_OVER_(?:SSL|WSS)$/ },
  MQTT_TRANSPORT_OVER_WS: { protocol: 'MQTT', secure: /^MQTT_TRANSPORT_OVER_(?:SSL|WSS)$/ },
  MQTT_TRANSPORT_NON_SECURE: { protocol: 'MQTT', secure: /^MQTT_TRANSPORT_SECURE(?:_WEBSOCKET)?$/ },
  HTTP_TRANSPORT_OVER_TCP: { protocol: 'HTTP', secure: /^HTTP_TRANSPORT_OVER_SSL$/ },
};
const TRANSPORT_KEYS = new Set(['transport', 'transport_type', 'type']);
const URL_KEYS = new Set(['uri', 'url']);
const NO_VALUE = /^(?:NULL|nullptr|0|None|null)$/;

export function findCleartextCredentialTransports(ctx: RuleContext): TransportHit[] {
  if (ctx.language === 'python') return pahoWithoutTls(ctx);
  if (ctx.language === 'javascript' || ctx.language === 'typescript') return mqttJsOptions(ctx);
  if (ctx.language !== 'c' && ctx.language !== 'cpp') return [];
  if (!/_TRANSPORT_|\b1883\b/.test(ctx.text.content)) return [];
  const hits: TransportHit[] = [];
  for (const group of configGroups(ctx)) {
    const hit = judgeGroup(group);
    if (hit) hits.push(hit);
  }
  return hits;
}

/** The fields set on one configuration: one initializer, or the assignments through one variable in a function. */
interface ConfigGroup {
  fields: Binding[];
}

/** `cfg.broker.address.transport` → `cfg`; a designated initializer's fields → the variable it initialises. */
function configGroups(ctx: RuleContext): ConfigGroup[] {
  const groups = new Map<string, ConfigGroup>();
  const containers = ctx.model.bindings.filter((b) => b.kind !== 'property' && b.value.kind === 'object');
  for (const b of ctx.model.bindings) {
    let key: string | undefined;
    if (b.kind === 'property') {
      const owner = containers.find((c) => c.value.start <= b.start && b.end <= c.value.end);
      key = owner ? `init:${owner.start}` : undefined;
    } else if (b.kind === 'assignment' && b.target.includes('.')) {
      key = `var:${b.fn?.start ?? -1}:${b.target.slice(0, b.target.indexOf('.'))}`;
    }
    if (!key) continue;
    const group = groups.get(key) ?? { fields: [] };
    group.fields.push(b);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function judgeGroup(group: ConfigGroup): TransportHit | undefined {
  const field = (name: string) => group.fields.filter((f) => f.name === name);
  if (group.fields.some((f) => URL_KEYS.has(f.name))) return undefined;
  const transports = group.fields.filter((f) => TRANSPORT_KEYS.has(f.name) && f.value.kind === 'name');
  const plain = transports.find((f) => PLAIN_TRANSPORTS[f.value.value ?? '']);
  const credential = [...field('password'), ...field('auth_type')].find((f) => hasValue(f.value));
  if (!credential) return undefined;
  if (plain) {
    const spec = PLAIN_TRANSPORTS[plain.value.value!];
    if (transports.some((f) => spec.secure.test(f.value.value ?? ''))) return undefined;
    return {
      span: plain.value,
      message: `Cleartext ${spec.protocol} with credentials: \`${plain.value.value}\` sends the ${spec.protocol === 'MQTT' ? 'broker' : 'server'} login set in \`${credential.target}\`, and every message after it, unencrypted, so anyone on the network path can read the password and then connect as this device or alter its traffic; use the TLS transport (${secureName(plain.value.value!)}) with the server's CA.`,
    };
  }
  // ESP-IDF MQTT without a URI or a transport speaks plain MQTT; port 1883 says so outright.
  const port = field('port').find((f) => f.value.kind === 'number' && /^1883[uUlL]*$/.test(f.value.text));
  if (port && !transports.length && field('password').length) {
    return {
      span: port.value,
      message: `Cleartext MQTT with credentials: port 1883 is plain MQTT, so the broker login set in \`${credential.target}\` and every message after it travel unencrypted and anyone on the network path can read the password and then connect as this device; use MQTT over TLS on port 8883 with the broker's CA.`,
    };
  }
  return undefined;
}

function secureName(plain: string): string {
  if (plain === 'MQTT_TRANSPORT_NON_SECURE') return '`MQTT_TRANSPORT_SECURE` with TLS credentials';
  if (plain === 'HTTP_TRANSPORT_OVER_TCP') return '`HTTP_TRANSPORT_OVER_SSL`, or an https:// URL';
  return '`MQTT_TRANSPORT_OVER_SSL`, or an mqtts:// URI';
}

/** A credential field that holds something: not NULL, not an empty string, not `HTTP_AUTH_TYPE_NONE`. */
function hasValue(value: Expr): boolean {
  if (value.kind === 'null') return false;
  if (value.kind === 'string') return (value.value ?? '') !== '';
  if (value.kind === 'number') return !/^0+$/.test(value.text);
  if (value.kind === 'name') return !NO_VALUE.test(value.value ?? '') && !/_NONE$/.test(value.value ?? '');
  return true;
}

/** paho-mqtt: `c.username_pw_set(user, pw)` then `c.connect(host, ...)` with no `tls_set`/`tls_set_context` on `c`. */
function pahoWithoutTls(ctx: RuleContext): TransportHit[] {
  if (!ctx.text.content.includes('username_pw_set')) return [];
  const byReceiver = new Map<string, Call[]>();
  for (const call of ctx.model.calls) {
    const receiver = call.receiver?.text;
    if (!receiver) continue;
    // A local client lives in its function; an attribute (`self.client`) is set up in one method, used in another.
    const key = /^self\./.test(receiver) ? receiver : `${call.fn?.start ?? -1}:${receiver}`;
    byReceiver.set(key, [...(byReceiver.get(key) ?? []), call]);
  }
  const hits: TransportHit[] = [];
  for (const calls of byReceiver.values()) {
    const receiver = calls[0].receiver!.text;
    const login = calls.find((c) => c.name === 'username_pw_set' && c.args.length + c.named.length >= 2);
    if (!login || calls.some((c) => /^tls_set(?:_context)?$/.test(c.name))) continue;
    // Without tls_set() paho never speaks TLS, whatever the port.
    const connect = calls.find((c) => /^connect(?:_async)?$/.test(c.name) && c.args.length >= 1);
    if (!connect || isLoopback(connect.args[0])) continue;
    hits.push({
      span: connect,
      message: `Cleartext MQTT with credentials: \`${receiver}\` logs in with \`username_pw_set()\` but never calls \`tls_set()\`, so the broker password and every message travel unencrypted and anyone on the network path can read the password and then connect as this device; call \`${receiver}.tls_set(ca_certs=...)\` and connect to port 8883.`,
    });
  }
  return hits;
}

/** A broker on this machine (`localhost`, `127.0.0.1`): the login never crosses a network. */
function isLoopback(host: Expr | undefined): boolean {
  return host?.kind === 'string' && /^(?:localhost|127\.\d+\.\d+\.\d+|::1)$/.test(host.value ?? '');
}

const MQTTJS_PLAIN = /^(?:mqtt|ws|tcp)$/;
const MQTTJS_SECURE = /^(?:mqtts|wss|ssl|tls|wxs|alis)$/;

/** MQTT.js options without a URL: the transport is `protocol`, or plain MQTT on port 1883. */
function mqttJsOptions(ctx: RuleContext): TransportHit[] {
  const mqttNames = new Set(ctx.model.imports.filter((i) => i.module === 'mqtt').map((i) => i.local ?? 'mqtt'));
  if (!mqttNames.size) return [];
  const hits: TransportHit[] = [];
  for (const call of ctx.model.calls) {
    const viaModule = call.name === 'connect' && mqttNames.has(call.callee.slice(0, -'.connect'.length));
    if (!(viaModule || mqttNames.has(call.callee)) || call.args[0]?.kind !== 'object') continue;
    const entries = call.args[0].entries ?? [];
    const get = (key: string) => entries.find((e) => e.key === key)?.value;
    const protocol = get('protocol');
    const port = get('port');
    const password = get('password');
    if (!password || !hasValue(password) || get('url') || get('href')) continue;
    if (protocol?.kind === 'string' && MQTTJS_SECURE.test(protocol.value ?? '')) continue;
    const plainProtocol = protocol?.kind === 'string' && MQTTJS_PLAIN.test(protocol.value ?? '');
    const plainPort = !protocol && port?.kind === 'number' && port.text === '1883';
    if (!plainProtocol && !plainPort) continue;
    hits.push({
      span: (plainProtocol ? protocol : port)!,
      message: `Cleartext MQTT with credentials: \`${call.callee}()\` connects ${plainProtocol ? `with protocol '${protocol!.value}'` : 'to port 1883'} and sends \`password\` in the clear, so anyone on the network path can read the broker login and then connect as this client; use \`protocol: 'mqtts'\` on port 8883 with the broker's CA.`,
    });
  }
  return hits;
}
