/**
 * The places where a random value must be unguessable, by API semantics rather than by name: the key and IV/nonce
 * parameters of cipher and MAC APIs (the tables static-iv and hardcoded-crypto-key use), cookie values, and the
 * password parameter of APIs that set a credential. A non-cryptographic PRNG value that the data-flow layer
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

/** The security role of the input `slot` of `call`, if the value there has to be unguessable. */
export function securitySinkOf(call: Call, slot: number | string): SecuritySink | undefined {
  const key = keyParameterOf(call);
  if (key && (slot === key.index || (key.keyword !== undefined && slot === key.keyword))) {
    const kind = key.purpose === 'key' ? 'key' : `${key.purpose} key`;
    return { role: `the ${kind} of \`${call.name}\`` };
  }
  if (ivArgumentOf(call) === slot) return { role: `the IV/nonce of \`${call.name}\`` };
  for (const p of VALUE_PARAMETERS) {
    if (!p.names.includes(call.name) || (p.receiver && !(call.receiver && p.receiver.test(call.receiver.text)))) continue;
    if (slot === p.index || (p.keyword !== undefined && slot === p.keyword)) return { role: `${p.role} of \`${call.name}\`` };
  }
  return undefined;
}
