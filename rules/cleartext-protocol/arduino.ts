/**
 * Cleartext with no URL to see, on Arduino-style firmware: PubSubClient talks MQTT over whatever client it
 * is given, so over a plain `WiFiClient` or `EthernetClient` the broker login and every message travel in the
 * clear; Blynk's non-SSL headers (`BlynkSimpleEsp32.h`, not `BlynkSimpleEsp32_SSL.h`) send the device's auth
 * token and all its data unencrypted; `HTTPClient.begin()` given a host and port instead of a URL speaks HTTP over a
 * plain client. All are judged by the types and headers the file uses, not by a port.
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';

/** Arduino network clients without TLS (their secure counterparts end in `Secure` or are `SSLClient`). */
const PLAIN_CLIENT_TYPES = /^(?:WiFiClient|EthernetClient|WiFiEspClient|TinyGsmClient|GSMClient|WiFiClientFixed)$/;

export interface ArduinoHit {
  call: Call;
  message: string;
}

export function findPlainArduinoClients(ctx: RuleContext): ArduinoHit[] {
  if (ctx.language !== 'cpp' && ctx.language !== 'c') return [];
  return [...plainPubSubClients(ctx), ...plainHttpClients(ctx), ...plainBlynk(ctx)];
}

/**
 * The host-and-port forms of the ESP32/ESP8266 `HTTPClient::begin`, which take no URL and so no scheme to read:
 * `http.begin(wifiClient, host, port, uri)` speaks whatever its client speaks, and over a plain `WiFiClient`
 * that is HTTP (ESP8266's fifth argument `true` asks for TLS); `http.begin(host, port, uri)` is HTTP, while the
 * same call with a CA certificate as a fourth argument is HTTPS.
 */
function plainHttpClients(ctx: RuleContext): ArduinoHit[] {
  // Only a receiver declared an `HTTPClient` counts: a file that never names the type needs no variable table.
  if (!ctx.text.content.includes('HTTPClient')) return [];
  const types = new Map(ctx.model.variables.map((v) => [v.name, v.type ?? '']));
  const hits: ArduinoHit[] = [];
  for (const call of ctx.model.calls) {
    const receiver = call.receiver?.text ?? '';
    if (call.name !== 'begin' || types.get(receiver) !== 'HTTPClient') continue;
    const [first, , , , https] = call.args;
    const client = first?.text.replace(/^&/, '') ?? '';
    const clientType = types.get(client) ?? '';
    const overPlainClient = PLAIN_CLIENT_TYPES.test(clientType) && call.args.length >= 4 && https?.text !== 'true';
    const hostAndPort = call.args.length === 3 && !/Client/.test(clientType) && isPortNumber(ctx, call.args[1]);
    if (!overPlainClient && !hostAndPort) continue;
    const over = overPlainClient ? `over \`${client}\`, a plain \`${clientType}\`` : 'to a host and port with no certificate';
    hits.push({
      call,
      message: `Cleartext HTTP: \`${receiver}.begin()\` connects ${over}, so every request and response (readings, settings, credentials in headers) can be read and altered on the network path. Use \`WiFiClientSecure\` with the server's CA (\`setCACert\`), or an \`https://\` URL.`,
    });
  }
  return hits;
}

/** `WiFiClient net; PubSubClient mqtt(net); mqtt.setServer(host, 1883)`: the setServer call is reported. */
function plainPubSubClients(ctx: RuleContext): ArduinoHit[] {
  const text = ctx.text.content;
  if (!text.includes('PubSubClient')) return [];
  const transports = new Map<string, string>();
  for (const v of ctx.model.variables) if (v.type && PLAIN_CLIENT_TYPES.test(v.type)) transports.set(v.name, v.type);
  for (const m of text.matchAll(/\b(WiFiClient|EthernetClient|WiFiEspClient|TinyGsmClient|GSMClient)\s+([A-Za-z_]\w*)\s*[;=(]/g)) {
    transports.set(m[2], m[1]);
  }
  const clients = new Map<string, string>();
  for (const m of text.matchAll(/\bPubSubClient\s+([A-Za-z_]\w*)\s*\(([^()]*)\)/g)) {
    const transport = m[2]
      .split(',')
      .map((a) => a.trim().replace(/^&/, ''))
      .find((a) => transports.has(a));
    if (transport) clients.set(m[1], transport);
  }
  for (const call of ctx.model.calls) {
    const receiver = call.receiver?.text;
    const transport = call.args[0]?.text.replace(/^&/, '');
    if (call.name === 'setClient' && receiver && transport && transports.has(transport)) clients.set(receiver, transport);
  }
  const hits: ArduinoHit[] = [];
  const message = (receiver: string, transport: string) =>
    `Cleartext MQTT: PubSubClient \`${receiver}\` runs over \`${transport}\`, a plain \`${transports.get(transport)}\`, so the broker login and every message (readings, commands) can be read and altered on the network path. Give it a \`WiFiClientSecure\` with the broker's CA (\`setCACert\`) and connect to port 8883.`;
  const served = new Set<string>();
  for (const call of ctx.model.calls) {
    const receiver = call.receiver?.text;
    if (call.name !== 'setServer' || !receiver || !clients.has(receiver)) continue;
    served.add(receiver);
    hits.push({ call, message: message(receiver, clients.get(receiver)!) });
  }
  // The server given to the constructor (`PubSubClient mqtt(host, 1883, net)`): the login `connect(id, user, pass)` is reported.
  for (const call of ctx.model.calls) {
    const receiver = call.receiver?.text;
    if (call.name !== 'connect' || call.args.length < 3 || !receiver || !clients.has(receiver) || served.has(receiver)) continue;
    served.add(receiver);
    hits.push({ call, message: message(receiver, clients.get(receiver)!) });
  }
  return hits;
}

/** `8086`, or a constant that holds a number (`influxPort`): the port of the host-and-port form. */
function isPortNumber(ctx: RuleContext, expr: Expr): boolean {
  if (expr.kind === 'number') return true;
  return /^\d+$/.test(ctx.flow.constant(expr)?.value ?? '');
}

/** Blynk's cleartext transport headers; each has an `_SSL` twin that speaks TLS. */
const BLYNK_PLAIN_HEADER = /^BlynkSimple(?:Esp32|Esp8266|Ethernet|WiFiNINA|WifiShield|Wifi|EthernetV2_0|WiFiShield101)\.h$/;

function plainBlynk(ctx: RuleContext): ArduinoHit[] {
  const header = ctx.model.imports.find((i) => BLYNK_PLAIN_HEADER.test(i.module.split('/').pop() ?? ''));
  if (!header) return [];
  return ctx.model.calls
    .filter((call) => call.callee === 'Blynk.begin' || call.callee === 'Blynk.config')
    .map((call) => ({
      call,
      message: `Cleartext Blynk connection: \`${header.module}\` is Blynk's transport without TLS, so \`${call.callee}()\` sends the device's auth token and all its data (readings, commands from the app) in the clear. Include the \`_SSL\` variant of the header (for example \`BlynkSimpleEsp32_SSL.h\`) and connect on port 443.`,
    }));
}
