/**
 * URL reading for the cleartext-protocol rule: which schemes are cleartext, what their TLS counterpart is,
 * and which hosts are not network endpoints at all (loopback, reserved documentation names, and the
 * namespace / code-system identifiers that XML, JSON Schema and HL7 FHIR spell as `http://` URIs).
 */

export interface CleartextScheme {
  /** Lower-case scheme without `://`. */
  scheme: string;
  /** Human name for messages. */
  protocol: string;
  /** The TLS scheme a fix may switch to, when a plain scheme swap is a sensible suggestion. */
  secureScheme?: string;
  /** IANA default port of the cleartext protocol and of its TLS counterpart (the fix moves one to the other). */
  defaultPort?: string;
  secureDefaultPort?: string;
  /** What to do instead, for the message. */
  advice: string;
  /**
   * For a generic scheme that is cleartext only for one library (Eclipse Paho's `tcp://` MQTT URIs): the
   * calls whose arguments it must appear in.
   */
  onlyInCalls?: ReadonlySet<string>;
}

/** The table the rule is driven by. FTP, TFTP and Telnet have no same-URL TLS form, so they get no fix. */
export const CLEARTEXT_SCHEMES: readonly CleartextScheme[] = [
  {
    scheme: 'http',
    protocol: 'HTTP',
    secureScheme: 'https',
    defaultPort: '80',
    secureDefaultPort: '443',
    advice: 'use https:// with certificate verification',
  },
  {
    scheme: 'ws',
    protocol: 'WebSocket',
    secureScheme: 'wss',
    defaultPort: '80',
    secureDefaultPort: '443',
    advice: 'use wss:// with certificate verification',
  },
  {
    scheme: 'mqtt',
    protocol: 'MQTT',
    secureScheme: 'mqtts',
    defaultPort: '1883',
    secureDefaultPort: '8883',
    advice: 'use mqtts:// (port 8883) with the broker CA configured',
  },
  {
    scheme: 'coap',
    protocol: 'CoAP',
    secureScheme: 'coaps',
    defaultPort: '5683',
    secureDefaultPort: '5684',
    advice: 'use coaps:// (DTLS, port 5684) with PSK or certificate credentials',
  },
  { scheme: 'ftp', protocol: 'FTP', advice: 'use SFTP or FTPS' },
  { scheme: 'tftp', protocol: 'TFTP', advice: 'fetch the file over HTTPS or SFTP and verify its signature' },
  { scheme: 'telnet', protocol: 'Telnet', advice: 'use SSH' },
  {
    scheme: 'tcp',
    protocol: 'MQTT',
    secureScheme: 'ssl',
    defaultPort: '1883',
    secureDefaultPort: '8883',
    advice: 'use an ssl:// server URI (port 8883) with the broker CA in the connect options',
    onlyInCalls: new Set(['MqttClient', 'MqttAsyncClient', 'MQTTClient_create', 'MQTTAsync_create', 'setServerURIs']),
  },
];

const SCHEME_BY_NAME = new Map(CLEARTEXT_SCHEMES.map((s) => [s.scheme, s]));

export interface ParsedUrl {
  scheme: CleartextScheme;
  /** Offsets inside the string value. */
  schemeLength: number;
  /** Host as written (brackets kept for IPv6); '' when the string is only the scheme. */
  host: string;
  port?: { text: string; offset: number };
  /** Offset and length of the password in `user:password@`, when present. */
  password?: { offset: number; length: number };
  hasUserInfo: boolean;
  /** Host and path: what follows `scheme://` up to the first path separator, for messages. */
  authority: string;
}

const URL_START = /^([A-Za-z]+):\/\//;

/** Reads a string value that is (or starts) a cleartext URL; undefined when it is anything else. */
export function parseCleartextUrl(value: string): ParsedUrl | undefined {
  const m = URL_START.exec(value);
  if (!m) return undefined;
  const scheme = SCHEME_BY_NAME.get(m[1].toLowerCase());
  if (!scheme) return undefined;
  const afterScheme = m[0].length;
  const authorityEnd = indexOfAny(value, '/?#', afterScheme);
  const authority = value.slice(afterScheme, authorityEnd);
  const at = authority.lastIndexOf('@');
  let hostStart = afterScheme;
  let password: ParsedUrl['password'];
  if (at >= 0) {
    hostStart = afterScheme + at + 1;
    const colon = authority.indexOf(':');
    if (colon >= 0 && colon < at) password = { offset: afterScheme + colon + 1, length: at - colon - 1 };
  }
  const hostPort = value.slice(hostStart, authorityEnd);
  let host = hostPort;
  let port: ParsedUrl['port'];
  const portMatch = /^(\[[^\]]*\]|[^:]*):(\d+)$/.exec(hostPort);
  if (portMatch) {
    host = portMatch[1];
    port = { text: portMatch[2], offset: hostStart + portMatch[1].length + 1 };
  }
  return {
    scheme,
    schemeLength: m[1].length,
    host,
    port,
    password,
    hasUserInfo: at >= 0,
    authority: value.slice(afterScheme, authorityEnd),
  };
}

function indexOfAny(text: string, chars: string, from: number): number {
  for (let i = from; i < text.length; i++) if (chars.includes(text[i])) return i;
  return text.length;
}

export type HostKind =
  | 'remote' // a literal host name or address: a real endpoint
  | 'placeholder' // built at run time (`%s`, `{}`, `${host}`, `$host`): probably an endpoint, host unknown
  | 'local' // loopback, unspecified address or *.localhost: never leaves the machine
  | 'reserved' // RFC 2606 / 6761 documentation and test names: cannot be a deployed endpoint
  | 'identifier' // namespace / schema / code-system URI: an identifier, never fetched
  | 'invalid'; // not a host at all (regex pieces, prose, empty)

/** A placeholder other than `${...}` at a given index: printf (a width starts at 1-9), `{name}`, `$NAME`. */
const PLACEHOLDER_AT = /%[-+ #0]*(?:[1-9]\d*)?(?:\.\d+)?(?:hh|h|ll|l|z)?[sdiuxX]|\{[A-Za-z0-9_.]*\}|\$[A-Za-z_]\w*/y;

/**
 * `text` without its placeholders (`%s`, `{name}`, `${expr}`, `$NAME`), or undefined when it has none. A scan:
 * `\$\{[^}]*\}` in a global regex rereads the text from every `${` when no `}` follows (quadratic).
 */
export function withoutPlaceholders(text: string): string | undefined {
  let rest = '';
  let last = 0;
  let closed = true; // false once no `}` is left after some `${`
  for (let i = 0; i < text.length; i++) {
    let end = -1;
    if (text[i] === '$' && text[i + 1] === '{' && closed) {
      end = text.indexOf('}', i + 2) + 1;
      closed = end > 0;
    }
    if (end <= 0 && '%{$'.includes(text[i])) {
      PLACEHOLDER_AT.lastIndex = i;
      end = PLACEHOLDER_AT.test(text) ? PLACEHOLDER_AT.lastIndex : -1;
    }
    if (end <= 0) continue;
    rest += text.slice(last, i);
    last = end;
    i = end - 1;
  }
  return last === 0 ? undefined : rest + text.slice(last);
}
const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;

/** Hosts whose `http://` URIs are identifiers (XML namespaces, schema ids, code systems, licence texts). */
const IDENTIFIER_HOSTS: ReadonlySet<string> = new Set([
  'w3.org',
  'www.w3.org',
  'schemas.android.com',
  'schemas.microsoft.com',
  'schemas.xmlsoap.org',
  'schemas.openxmlformats.org',
  'json-schema.org',
  'purl.org',
  'ns.adobe.com',
  'xmlns.com',
  'xmlns.jcp.org',
  'java.sun.com',
  'schema.org',
  'docs.oasis-open.org',
  'relaxng.org',
  'www.opengis.net',
  // HL7 FHIR canonical URLs and the code systems FHIR identifies by URI (LOINC, SNOMED CT, UCUM, DICOM).
  'hl7.org',
  'terminology.hl7.org',
  'loinc.org',
  'snomed.info',
  'unitsofmeasure.org',
  'dicom.nema.org',
]);

/** Host + path prefixes that are identifiers on hosts that also serve real content. */
const IDENTIFIER_PREFIXES: readonly string[] = [
  'www.apache.org/licenses',
  'apache.org/licenses',
  'www.gnu.org/licenses',
  'gnu.org/licenses',
  'opensource.org/licenses',
  'www.springframework.org/schema',
  'maven.apache.org/pom',
  'maven.apache.org/xsd',
  'www.nlm.nih.gov/research/umls',
];

const RESERVED_TLDS = ['.example', '.test', '.invalid'];
const RESERVED_DOMAINS = ['example.com', 'example.net', 'example.org'];

/** Classifies the host of a parsed URL; `value` is the whole string, for path-prefixed identifiers. */
export function classifyHost(url: ParsedUrl, value: string): HostKind {
  const raw = url.host;
  if (!raw) return 'invalid';
  const rest = withoutPlaceholders(raw);
  if (rest !== undefined) {
    if (/localhost|127\.0\.0\.1/i.test(rest)) return 'local';
    return /^[A-Za-z0-9.:-]*$/.test(rest) ? 'placeholder' : 'invalid';
  }
  const host = raw.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[')) return isLocalIpv6(host.slice(1, -1)) ? 'local' : /^\[[0-9a-f:.]+\]$/.test(host) ? 'remote' : 'invalid';
  if (!HOST_NAME.test(host)) return 'invalid';
  if (host === 'localhost' || host.endsWith('.localhost') || host === 'ip6-localhost' || host === 'ip6-loopback') return 'local';
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '0.0.0.0') return 'local';
  // The Android emulator's alias for the development machine's loopback: never reachable from a real device.
  if (host === '10.0.2.2') return 'local';
  if (RESERVED_TLDS.some((tld) => host.endsWith(tld)) || RESERVED_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`)))
    return 'reserved';
  if (IDENTIFIER_HOSTS.has(host)) return 'identifier';
  const hostAndPath = value.slice(value.indexOf('://') + 3).toLowerCase();
  if (IDENTIFIER_PREFIXES.some((prefix) => hostAndPath.startsWith(prefix))) return 'identifier';
  return 'remote';
}

function isLocalIpv6(address: string): boolean {
  const a = address.toLowerCase();
  return a === '::1' || a === '::' || /^(0{1,4}:){7}0{0,3}1$/.test(a) || a === '0:0:0:0:0:0:0:0';
}
