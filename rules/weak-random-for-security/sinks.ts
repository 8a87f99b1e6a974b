/**
 * The places where a random value must be unguessable, by API semantics rather than by name: the key and IV/nonce
 * parameters of cipher and MAC APIs (the tables static-iv and hardcoded-crypto-key use), cookie values, the value
 * of a header that carries a credential (`Set-Cookie`, `Authorization`, `X-Session-Token`), and the password
 * parameter of APIs that set a credential. A non-cryptographic PRNG value that the data-flow layer
 * follows into one of them is a weakness whatever the variables on the way are called.
 */
import type { Call } from '../../server/src/core/model/types';
import { keyParameterOf } from '../_shared/crypto-key-apis';
import { ivArgumentOf } from '../_shared/iv-apis';

export interface SecuritySink {
  /** What the value becomes there, for the message: "the key of `SecretKeySpec`". */
  role: string;
}

interface ValueParameter {
  names: readonly string[];
  /** The receiver as written must match (for common method names such as `cookie` or `begin`). */
  receiver?: RegExp;
  index: number;
  keyword?: string;
  role: string;
}

const VALUE_PARAMETERS: readonly ValueParameter[] = [
  // Servlet `new Cookie(name, value)`, Express `res.cookie(name, value)`, Flask/Django `set_cookie(key, value)`.
  { names: ['Cookie', 'HttpCookie'], index: 1, role: 'the cookie value' },
  { names: ['cookie'], receiver: /^(?:res|resp|response|reply|ctx)$/, index: 1, role: 'the cookie value' },
  { names: ['set_cookie', 'set_signed_cookie'], index: 1, keyword: 'value', role: 'the cookie value' },
  // Credentials a device or app sets up: the Wi-Fi passphrase of an access point, an account password.
  { names: ['softAP', 'begin'], receiver: /^WiFi$/, index: 1, role: 'the Wi-Fi passphrase' },
  { names: ['setPassword', 'setPasswd', 'setPassKey', 'setPasskey', 'setStaticPIN', 'setPin'], index: 0, role: 'the password or PIN' },
  { names: ['PasswordAuthentication', 'UsernamePasswordCredentials'], index: 1, role: 'the password' },
];

/** Calls that set a header, with the index of its name and of its value. */
interface HeaderSetter {
  names: readonly string[];
  receiver?: RegExp;
  name: number;
  value: number;
}

const HEADER_SETTERS: readonly HeaderSetter[] = [
  // Servlet and Node `setHeader`/`addHeader`, Express `res.set`/`res.header`, Fetch `Headers.set`/`append`,
  // `URLConnection.setRequestProperty`, urllib `add_header`, Arduino `WebServer.sendHeader`.
  { names: ['setHeader', 'addHeader', 'header', 'set', 'append', 'setRequestProperty', 'add_header', 'sendHeader'], name: 0, value: 1 },
  // Werkzeug `resp.headers.add(name, value)`.
  { names: ['add'], receiver: /headers$/i, name: 0, value: 1 },
  // ESP-IDF HTTP server and client.
  { names: ['httpd_resp_set_hdr', 'esp_http_client_set_header'], name: 1, value: 2 },
];

/** Header words that say its value authenticates: `X-Session-Token`, `X-CSRF-Token`, `X-Auth`, `X-Api-Key`. */
const SECRET_HEADER_WORDS = new Set(['token', 'session', 'sid', 'auth', 'csrf', 'xsrf', 'secret', 'nonce', 'otp', 'apikey']);
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** Whether a header of this name carries a credential: the standard ones, or a custom `X-…` header naming one. */
function isSecretHeader(name: string): boolean {
  const lower = name.trim().toLowerCase();
  if (CREDENTIAL_HEADERS.has(lower)) return true;
  const words = lower.split(/[-_]/);
  if (words[0] !== 'x') return false;
  return words.some((w) => SECRET_HEADER_WORDS.has(w)) || (words.includes('api') && words.includes('key'));
}

/** The header whose value the input `slot` of `call` is, when that header carries a credential. */
function secretHeaderOf(call: Call, slot: number | string): string | undefined {
  for (const setter of HEADER_SETTERS) {
    if (!setter.names.includes(call.name) || (setter.receiver && !(call.receiver && setter.receiver.test(call.receiver.text)))) continue;
    const name = call.args[setter.name];
    if (slot !== setter.value || name?.kind !== 'string' || name.value === undefined) continue;
    return isSecretHeader(name.value) ? name.value : undefined;
  }
  return undefined;
}

/** The security role of the input `slot` of `call`, if the value there has to be unguessable. */
export function securitySinkOf(call: Call, slot: number | string): SecuritySink | undefined {
  const key = keyParameterOf(call);
  if (key && (slot === key.index || (key.keyword !== undefined && slot === key.keyword))) {
    const kind = key.purpose === 'key' ? 'key' : `${key.purpose} key`;
    return { role: `the ${kind} of \`${call.name}\`` };
  }
  if (ivArgumentOf(call) === slot) return { role: `the IV/nonce of \`${call.name}\`` };
  const header = secretHeaderOf(call, slot);
  if (header) return { role: `the \`${header}\` header of \`${call.name}\`` };
  for (const p of VALUE_PARAMETERS) {
    if (!p.names.includes(call.name) || (p.receiver && !(call.receiver && p.receiver.test(call.receiver.text)))) continue;
    if (slot === p.index || (p.keyword !== undefined && slot === p.keyword)) return { role: `${p.role} of \`${call.name}\`` };
  }
  return undefined;
}
