/**
 * What API semantics say about a value, beyond the data-flow layer's source table: a read of stored
 * configuration (preferences, settings stores, key-value stores), a write to one, a request header or
 * parameter and the name it is read under, and a keyed authenticator computed by an API (HMAC, CMAC, an
 * AEAD tag, a one-time code). Rules use these as corroboration for a name: a `pin` read from preferences
 * and compared with what a peer sent is a PIN check; a `pin` read from a pin map is a GPIO.
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import { sourceOfCall } from '../../server/src/core/flow/sources';
import { identifierWords } from './identifier-words';

const STORE_WORD = /pref|setting|config|store|storage|persist/i;
const STORE_NAME_END = /(?:^|[._])(?:cfg|keychain|keyring|datastore|nvs|eeprom|sp)$/i;

/**
 * Whether a receiver is a store of settings or secrets (`prefs`, `Pref`, `sharedPreferences`, `settingsStore`,
 * `nvs`): its last segment (after the last `.`, or the first `_` of its trailing word) holds a store word, or it
 * ends in a store name. A scan finds the segment: `(?:^|[._])\w*pref\w*$` retried at every `_` is quadratic.
 */
export function isStoreReceiver(name: string): boolean {
  let word = name.length;
  while (word > 0 && /\w/.test(name[word - 1])) word--;
  const segment = word === 0 || name[word - 1] === '.' ? word : name.indexOf('_', word) + 1;
  return (segment > 0 || word === 0 ? STORE_WORD.test(name.slice(segment)) : false) || STORE_NAME_END.test(name);
}

/** Getter names of key-value stores: `getString(KEY, "")`, `get(IntKey.X)`, `getItem("token")`. */
const STORE_GETTERS =
  /^(?:get|getString|getInt|getLong|getBoolean|getFloat|getDouble|getStringSet|getBytes|getBlob|getItem|getValue|getStringOrNull|read|load|fetch)$/;
/** Setter names of key-value stores: `putString(KEY, v)`, `setString(KEY, v)`, `put(KEY, v)`, `setItem`. */
const STORE_SETTERS =
  /^(?:put|set|putString|putInt|putLong|putBoolean|putFloat|putStringSet|putBytes|setString|setInt|setLong|setBoolean|setBytes|setItem|setValue|save|store|write)$/;

/** Whether `call` reads a stored setting or secret: preferences, a settings store, NVS, a key store, the environment. */
export function isStorageRead(call: Call): boolean {
  const kind = sourceOfCall(call);
  if (kind === 'preferences' || kind === 'nvs' || kind === 'keystore' || kind === 'environment') return true;
  return STORE_GETTERS.test(call.name) && isStoreReceiver(receiverName(call));
}

/** The argument positions of a key-value store write (`putString(KEY, value)`), when `call` is one. */
export function storageWriteOf(call: Call): { key: number; value: number } | undefined {
  if (!STORE_SETTERS.test(call.name) || call.args.length < 2) return undefined;
  return isStoreReceiver(receiverName(call)) ||
    /^(?:editor|edit|e)$/i.test(receiverName(call)) ||
    /edit\(\)$/.test(call.receiver?.text ?? '')
    ? { key: 0, value: 1 }
    : undefined;
}

/** ESP-IDF NVS reads and writes name their key after the handle: `nvs_get_str(handle, KEY, out, &len)`. */
const NVS_KEYED = /^nvs_(?:get|set)_(?:str|blob|[iu](?:8|16|32|64))$/;

/**
 * The key argument of a key-value store read or write (`getString(KEY, "")`, `putString(KEY, v)`,
 * `nvs_get_str(h, KEY, ...)`), if `call` is one.
 */
export function storageKeyOf(call: Call): Expr | undefined {
  if (NVS_KEYED.test(call.name)) return call.args[1];
  // The name test first: it is cheap, and most calls are no getter (isStorageRead asks the flow's source table).
  if (STORE_GETTERS.test(call.name) && isStorageRead(call)) return call.args[0];
  return storageWriteOf(call) ? call.args[0] : undefined;
}

function receiverName(call: Call): string {
  const receiver = call.receiver?.text ?? call.callee.slice(0, Math.max(0, call.callee.lastIndexOf('.')));
  return receiver.replace(/\(\)$/, '').replace(/^this\.|^self\./, '');
}

/** Header and parameter names that carry a credential (`Authorization`, `api-secret`, `X-API-Key`, `token`). */
const CREDENTIAL_FIELD =
  /^(?:(?:proxy-)?authorization|x-?api-?key|api[-_]?key|api[-_]?secret|x-?auth-?token|auth[-_]?token|access[-_]?token|token|key|secret|password|passwd|pass|pin|otp|session[-_]?id|session|cookie)$/i;

/** Calls that read a request header, parameter or cookie, by method name. */
const REQUEST_READERS = /^(?:getHeader|header|getParameter|getQueryParameter|getParam|arg|getCookie|cookie|queryParameter)$/;
/** Receivers of `get(...)` that are the request's headers or parameters (`request.headers.get`, `req.query.get`). */
const REQUEST_MAPS = /(?:^|\.)(?:headers|header|args|form|query|params|parameters|queryParameters|cookies|values)$/;

/**
 * A read of a request header, parameter or cookie, with the name it is read under (`getHeader("Authorization")`,
 * `headers.get('api-secret')`, `getQueryParameter(uri, "key")`, `server.arg("password")`).
 */
export function requestInputOf(call: Call): { field?: string } | undefined {
  const receiver = receiverName(call);
  const isReader =
    (REQUEST_READERS.test(call.name) &&
      (!!receiver || call.name === 'getQueryParameter' || call.name === 'getParameter' || call.name === 'getHeader')) ||
    (call.name === 'get' && REQUEST_MAPS.test(receiver));
  if (!isReader && sourceOfCall(call) !== 'input') return undefined;
  const field = call.args.find((a) => a.kind === 'string')?.value;
  return { field };
}

/** Whether a header or parameter name carries a credential. */
export function isCredentialField(field: string | undefined): boolean {
  return !!field && CREDENTIAL_FIELD.test(field.trim());
}

/** A subscripted read of request headers or parameters: `call.request.headers["api-secret"]`, `req.query['token']`. */
export function requestFieldOf(expr: Expr, text: string): string | undefined {
  const m = /(?:^|\.)(?:request|req)\??\.(?:headers|query|params|cookies|args|form|queryParameters)\s*\[\s*["']([^"']+)["']\s*\]$/.exec(
    text.trim(),
  );
  return expr.kind !== 'string' && m ? m[1] : undefined;
}

/** Words of an API name that compute a keyed authenticator: HMAC, CMAC, a MAC object, a one-time code. */
const AUTHENTICATOR_WORDS = /^(?:hmac\w*|cmac\w*|mac|totp|hotp|otp)$/;
/** Words that make `mac` a hardware address or an identifier made from one (`getMacAddress`, `serialToMacID`). */
const HARDWARE_ADDRESS_WORDS = new Set([
  'address',
  'addr',
  'bssid',
  'id',
  'serial',
  'bt',
  'ble',
  'wifi',
  'eth',
  'hw',
  'device',
  'peer',
  'str',
  'string',
  'bluetooth',
]);
/** With `tag`, words that make it an AEAD or MAC tag (`produceCCMTag`, `computeAuthTag`, `gcm_tag`). */
const TAG_CONTEXT = new Set(['ccm', 'gcm', 'auth', 'aead', 'produce', 'compute', 'calc', 'calculate', 'expected']);

/** Verbs that make an argument-less call a computation over its receiver's state (`frame.computeMac()`). */
const COMPUTING_VERBS = new Set(['compute', 'calc', 'calculate', 'generate', 'make', 'create', 'derive', 'produce', 'sign', 'build']);

/** Method names that compute with the object or module they are called on (`hmac.new`, `mac.doFinal`, `Mac.update`). */
const COMPUTING_METHODS = /^(?:new|digest|hexdigest|doFinal|update|final|finish|compute|calculate|calc|sign|generate|init)$/;

function isAuthenticatorName(words: readonly string[]): boolean {
  if (words.some((w) => AUTHENTICATOR_WORDS.test(w))) return !words.some((w) => HARDWARE_ADDRESS_WORDS.has(w));
  if (words.includes('tag') && words.some((w) => TAG_CONTEXT.has(w))) return true;
  return /one time password/.test(words.join(' '));
}

/** Whether one call of a chain computes an authenticator: by its own name, or as a computing method of a MAC object. */
function computesAuthenticator(call: Call): boolean {
  const words = identifierWords(call.name);
  // `getMac()`, `getPersistentAuthMac()`: an accessor of stored state, not a computation.
  if (/^(?:get|is|has|read|load|fetch)$/.test(words[0] ?? '') && !call.args.length) return false;
  // `prefs.pairedPumpMac()`: Kotlin and Swift accessors drop the `get`. A MAC is computed over a message, so a call
  // with no argument and no computing verb reads stored state (`mac.doFinal()` is a computing method, kept below).
  if (!call.args.length && !COMPUTING_METHODS.test(call.name) && !words.some((w) => COMPUTING_VERBS.has(w))) return false;
  if (isAuthenticatorName(words)) return true;
  if (!COMPUTING_METHODS.test(call.name)) return false;
  const receiver = call.callee.slice(0, Math.max(0, call.callee.lastIndexOf('.')));
  return /^[\w.]+$/.test(receiver) && receiver.split('.').some((segment) => isAuthenticatorName(identifierWords(segment)));
}

/**
 * The authenticator API a call (or a call it is chained on) computes: `hmac.new(k, m, sha256).hexdigest()`,
 * `mac.doFinal(frame)`, `Cryptograph.produceCCMTag(...)`, `createHmac('sha256', k).update(b).digest('hex')`,
 * `generateOneTimePassword(counter)`. Undefined for plain digests and everything else.
 */
export function authenticatorApiOf(call: Call): string | undefined {
  for (let link: Call | undefined = call, hops = 0; link && hops < 6; link = link.receiver?.call, hops++) {
    if (computesAuthenticator(link)) return link.callee.includes('(') ? link.name : link.callee;
  }
  return undefined;
}

/** Words that say a value is a fresh challenge made here: a timing oracle on it yields nothing reusable. */
const CHALLENGE_WORDS = new Set(['challenge']);

/** Whether a call computes over a challenge this side made (`calculateChallengeHash(...)`, `calculateHash(msg.singleUseToken)`). */
export function computesOverChallenge(call: Call): boolean {
  const words = [call.callee, ...call.args.map((a) => a.text)].flatMap((t) => identifierWords(t.replace(/\W+/g, '_')));
  return words.some((w) => CHALLENGE_WORDS.has(w)) || /single_?use|one_?shot/i.test(call.args.map((a) => a.text).join(' '));
}

/** Calls that use a credential: BLE pairing, HTTP auth headers, log-ins, Wi-Fi and broker credentials. */
const CREDENTIAL_SINKS =
  /^(?:setPin|setPasskey|passkeyEntry|bt_conn_auth_passkey_entry|esp_ble_passkey_reply|setPassword|setPasswd|setToken|setAccessToken|setApiKey|setApiSecret|setSecret|setCredentials?|setAuth\w*|login|logIn|signIn|authenticate|basicAuth|setBasicAuth|username_pw_set|setRequestProperty|addRequestProperty|setHeader|addHeader|putHeader|header)$/;

/** Whether `call` takes a credential: `device.setPin(pin)`, `conn.setRequestProperty("api-secret", s)`, `WiFi.begin(ssid, pass)`. */
export function isCredentialSink(call: Call): boolean {
  if (CREDENTIAL_SINKS.test(call.name)) return true;
  const receiver = receiverName(call);
  if (/(?:^|\.)WiFi$/.test(receiver) && /^(?:begin|softAP)$/.test(call.name)) return call.args.length >= 2;
  return call.name === 'connect' && call.args.length >= 3;
}
