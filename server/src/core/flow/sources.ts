/**
 * Where values come from at run time: the APIs that read the environment, a key store, non-volatile
 * storage, preferences, files, the network, the user, or a random generator. The data-flow layer
 * classifies a call with this table, so a rule can tell a key read from the Android Keystore from one
 * written in the source, and a token made with `Math.random()` from one made with `crypto.randomBytes()`.
 * Matching is on the last one or two segments of the callee as written (`System.getenv`, `getenv`).
 */
import type { Call, Expr } from '../model/types';

export type SourceKind =
  | 'environment' // getenv, process.env, os.environ, BuildConfig
  | 'keystore' // Android/Java KeyStore, OS keyring, secure element
  | 'nvs' // device non-volatile storage: ESP-IDF NVS, Arduino Preferences/EEPROM, Zephyr settings
  | 'preferences' // app preferences: SharedPreferences, localStorage, DataStore
  | 'file' // files and configuration files read at run time
  | 'network' // data received from a peer: sockets, HTTP responses, MQTT/BLE payloads
  | 'input' // user or command-line input: argv, input(), scanf, request parameters, text fields
  | 'prng' // a non-cryptographic pseudo-random generator
  | 'secure-random'; // a cryptographically secure random generator

/** Methods of a generator object (Java's and Kotlin's `Random`, Python's `random.Random`): PRNG sources on one. */
const GENERATOR_METHODS = [
  'nextInt',
  'nextLong',
  'nextDouble',
  'nextFloat',
  'nextBytes',
  'nextBoolean',
  'choice',
  'choices',
  'sample',
  'shuffle',
  'uniform',
] as const;

/** Callee patterns (last segments) per source kind. */
const CALLS: Readonly<Record<SourceKind, readonly string[]>> = {
  environment: ['getenv', 'secure_getenv', 'System.getenv', 'os.getenv', 'environ.get', 'os.environ.get', 'getProperty', 'dotenv_values'],
  keystore: [
    'KeyStore.getKey',
    'getKey',
    'getEntry',
    'getSecretKey',
    'getPrivateKey',
    'keyring.get_password',
    'get_password',
    'SecItemCopyMatching',
    'getCredential',
    'retrieveCredentials',
    'atcab_read_zone',
    'se_read_key',
  ],
  nvs: [
    'nvs_get_str',
    'nvs_get_blob',
    'nvs_get_u32',
    'nvs_get_u8',
    'Preferences.getString',
    'preferences.getString',
    'EEPROM.read',
    'EEPROM.get',
    'settings_load_subtree',
    'settings_runtime_get',
    'flash_read',
    'esp_partition_read',
    'nrf_fstorage_read',
    'fds_record_open',
  ],
  preferences: [
    'getSharedPreferences',
    'getDefaultSharedPreferences',
    'prefs.getString',
    'sharedPreferences.getString',
    'localStorage.getItem',
    'sessionStorage.getItem',
    'AsyncStorage.getItem',
    'SecureStore.getItemAsync',
    'dataStore.data',
  ],
  file: [
    'fread',
    'fgets',
    'read',
    'readFileSync',
    'readFile',
    'readAllBytes',
    'readAllLines',
    'readText',
    'readBytes',
    'readLine',
    'load',
    'json.load',
    'yaml.safe_load',
    'configparser.get',
    'config.get',
    'Properties.getProperty',
    'open',
  ],
  network: [
    'recv',
    'recvfrom',
    'recv_into',
    'SSL_read',
    'mbedtls_ssl_read',
    'esp_http_client_read',
    'httpd_req_recv',
    'getInputStream',
    'response.json',
    'json',
    'text',
    'body',
    'readBytes',
    'getCharacteristicValue',
    'getValue',
    'payload',
    'esp_mqtt_client_subscribe',
  ],
  input: [
    'input',
    'raw_input',
    'scanf',
    'gets',
    'getchar',
    'readline',
    'prompt',
    'getText',
    'getStringExtra',
    'getQueryParameter',
    'getParameter',
    'getHeader',
    'Serial.readString',
    'Serial.readStringUntil',
    'Serial.read',
  ],
  prng: [
    'rand',
    'random',
    'rand_r',
    'drand48',
    'lrand48',
    'mrand48',
    'Math.random',
    ...GENERATOR_METHODS,
    'randint',
    'randrange',
    'getrandbits',
    'Random.nextInt',
    'Random.Default.nextInt',
    'ThreadLocalRandom.current',
    'qrand',
    'arc4random_uniform_insecure',
  ],
  'secure-random': [
    'randomBytes',
    'randomUUID',
    'getRandomValues',
    'crypto.randomInt',
    'urandom',
    'token_bytes',
    'token_hex',
    'token_urlsafe',
    'SystemRandom',
    'RAND_bytes',
    'RAND_priv_bytes',
    'mbedtls_ctr_drbg_random',
    'mbedtls_hmac_drbg_random',
    'psa_generate_random',
    'esp_fill_random',
    'esp_random',
    'sys_csrand_get',
    'wc_RNG_GenerateBlock',
    'BCryptGenRandom',
    'CryptGenRandom',
    'getrandom',
    'arc4random',
    'arc4random_buf',
    'arc4random_uniform',
    'SecRandomCopyBytes',
    'nrf_crypto_rng_vector_generate',
    'generateSeed',
  ],
};

/** Names (not calls) that are sources: `process.env.X`, `os.environ["X"]`, `sys.argv[1]`, `BuildConfig.X`. */
const NAMES: readonly [RegExp, SourceKind][] = [
  [/^process\.env\b/, 'environment'],
  [/^(?:os\.)?environ\b/, 'environment'],
  [/^import\.meta\.env\b/, 'environment'],
  [/^BuildConfig\./, 'environment'],
  [/^(?:sys\.)?argv\b/, 'input'],
  [/^(?:request|req)\.(?:args|form|json|body|query|params|headers|values|data|cookies)\b/, 'input'],
];

/** Receivers of `next*` whose generator is secure: `SecureRandom().nextInt()`, `secureRandom.nextBytes(b)`. */
const SECURE_GENERATOR = /secure|csprng|SystemRandom|(?:^|\.)rng$/i;
/** Receivers of `next*`/`random` that are a generator object, not a `Random` from an unknown place. */
const PRNG_RECEIVER =
  /(?:^|\W)(?:new\s+)?(?:java\.util\.)?Random\b|(?:^|\.)(?:random|rnd|rng|rand|prng|generator)$|ThreadLocalRandom|kotlin\.random|Random\.Default/i;
/** Method names that are a PRNG only on a PRNG receiver (`nextInt` of an iterator is not). */
const NEEDS_GENERATOR_RECEIVER = new Set<string>(GENERATOR_METHODS);
/** Methods that read a file, config, storage or stream only on a receiver that is one. */
const NEEDS_RECEIVER = new Set([
  'read',
  'getValue',
  'getKey',
  'getEntry',
  'get',
  'load',
  'json',
  'text',
  'body',
  'readBytes',
  'readLine',
  'getText',
  'payload',
  'getProperty',
]);

const BY_LAST = new Map<string, SourceKind[]>();
const BY_DOTTED = new Map<string, SourceKind>();
for (const [kind, patterns] of Object.entries(CALLS) as [SourceKind, readonly string[]][]) {
  for (const pattern of patterns) {
    if (pattern.includes('.')) BY_DOTTED.set(pattern, kind);
    else BY_LAST.set(pattern, [...(BY_LAST.get(pattern) ?? []), kind]);
  }
}

function lastTwo(callee: string): string {
  const parts = callee.split('.');
  return parts.slice(-2).join('.');
}

/** The kind of source a call reads, or undefined when it is not a known source. */
export function sourceOfCall(call: Call): SourceKind | undefined {
  const receiver = call.receiver?.text ?? call.callee.slice(0, Math.max(0, call.callee.lastIndexOf('.')));
  if (NEEDS_GENERATOR_RECEIVER.has(call.name) || call.name === 'random' || call.name === 'nextInt') {
    if (SECURE_GENERATOR.test(receiver)) return 'secure-random';
    if (call.name === 'random' && (receiver === '' || /^(?:random|Math)$/.test(receiver))) return 'prng';
    if (PRNG_RECEIVER.test(receiver)) return 'prng';
    if (NEEDS_GENERATOR_RECEIVER.has(call.name)) return undefined;
  }
  const dotted = BY_DOTTED.get(lastTwo(call.callee)) ?? BY_DOTTED.get(call.callee);
  if (dotted) return dotted;
  const kinds = BY_LAST.get(call.name);
  if (!kinds) return undefined;
  if (NEEDS_RECEIVER.has(call.name) && !receiver) return undefined;
  return kinds[0];
}

/** The kind of source a name reads (`process.env.TOKEN`), or undefined. */
export function sourceOfName(expr: Expr): SourceKind | undefined {
  const name = expr.kind === 'name' ? (expr.value ?? '') : expr.text;
  for (const [pattern, kind] of NAMES) if (pattern.test(name)) return kind;
  return undefined;
}
