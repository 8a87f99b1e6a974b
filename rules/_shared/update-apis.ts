/**
 * The update and verification APIs the unsigned-firmware-update rule knows, as data. Each language family
 * (today: C/C++ firmware) gets one `UpdateApis` table; adding the app side (Python, TS, Java, Kotlin) means
 * adding a table, not changing the path analysis.
 */
import type { Call, FunctionDef } from '../../server/src/core/model/types';
import { identifierWords, isIdentifierShaped } from './identifier-words';
import { NameMemo } from './name-memo';
import { IMAGE_NOUNS } from './signature-apis';

export type Ecosystem = 'esp-idf' | 'arduino' | 'zephyr' | 'stm32';

/** How a sink is judged safe. */
export type SinkKind =
  /** Safe when a verification precedes it on a within-file call path (or the build enforces signing). */
  | 'path'
  /** `HAL_FLASH_Program`-like: a sink only inside an update path, then judged like `path`. */
  | 'update-path-write'
  /** ArduinoOTA: safe when the file sets an upload password (or installs a signature verifier). */
  | 'password-in-file'
  /** HTTP update server `.setup(&server[, path])`: safe with credentials arguments (or a verifier). */
  | 'credential-args';

export interface SinkSpec {
  ecosystem: Ecosystem;
  kind: SinkKind;
  /** Whether a call is this sink. */
  matches(call: Call): boolean;
  /** What the call does, after its name in the message: "activates a firmware image". */
  action: string;
  /** Skip this sink when the file also calls one of these (report at the later activation instead). */
  deferTo?: readonly string[];
  /** A use of the call that installs nothing (booting the factory app), given the enclosing function's text. */
  benign?(fn: FunctionDef, fnText: string): boolean;
}

const byName = (...names: string[]) => {
  const set = new Set(names);
  return (call: Call) => set.has(call.name) && !call.callee.includes('.');
};
const byCallee = (...callees: string[]) => {
  const set = new Set(callees);
  return (call: Call) => set.has(call.callee);
};

/** A function that boots the factory app (and writes nothing) is a factory reset, not an install. */
export const FACTORY_PARTITION = /\bESP_PARTITION_SUBTYPE_APP_FACTORY\b/;

/** Sinks in C and C++ firmware: where an image is committed, activated, or written by an update path. */
export const FIRMWARE_SINKS: readonly SinkSpec[] = [
  {
    ecosystem: 'esp-idf',
    kind: 'path',
    matches: byName('esp_ota_set_boot_partition'),
    action: 'activates a firmware image',
    benign: (fn, fnText) => FACTORY_PARTITION.test(fnText) && !fn.calls.some((c) => /^esp_ota_(begin|write)/.test(c.name)),
  },
  {
    ecosystem: 'esp-idf',
    kind: 'path',
    matches: byName('esp_ota_end'),
    action: 'commits a firmware image',
    deferTo: ['esp_ota_set_boot_partition'],
  },
  {
    ecosystem: 'esp-idf',
    kind: 'path',
    matches: byName('esp_https_ota', 'esp_https_ota_finish'),
    action: 'downloads and activates a firmware image (TLS authenticates the server, not the image)',
  },
  {
    ecosystem: 'arduino',
    kind: 'path',
    matches: byCallee('Update.end'),
    action: 'installs a firmware image',
  },
  {
    ecosystem: 'arduino',
    kind: 'path',
    matches: (call) => call.name === 'update' && /^(ESPhttpUpdate|httpUpdate)$/.test(call.receiver?.text ?? ''),
    action: 'downloads, installs and boots a firmware image',
  },
  {
    ecosystem: 'arduino',
    kind: 'password-in-file',
    matches: byCallee('ArduinoOTA.begin'),
    action: 'opens a network update endpoint with no upload password',
  },
  {
    ecosystem: 'arduino',
    kind: 'credential-args',
    matches: (call) => call.name === 'setup',
    action: 'starts an HTTP firmware upload endpoint without a username and password',
  },
  {
    ecosystem: 'zephyr',
    kind: 'path',
    matches: byName('boot_request_upgrade', 'boot_request_upgrade_multi'),
    action: 'marks a new firmware image for MCUboot to boot',
  },
  {
    ecosystem: 'stm32',
    kind: 'update-path-write',
    matches: byName('HAL_FLASH_Program', 'HAL_FLASH_Program_IT'),
    action: 'writes a firmware image to flash in an update path',
  },
];

/** Class names of Arduino HTTP update servers: `.setup()` on a variable of these types is a sink. */
export const UPDATE_SERVER_TYPES: readonly string[] = ['ESP8266HTTPUpdateServer', 'HTTPUpdateServer'];

/** What to do, per ecosystem: the second half of the message. */
export const REMEDY: Readonly<Record<Ecosystem, string>> = {
  'esp-idf':
    'Verify a signature over the image with a trusted key before activation: enable signed app images (Secure Boot v2 or CONFIG_SECURE_SIGNED_ON_UPDATE) or call mbedtls_pk_verify/psa_verify_hash first.',
  arduino: 'Require signed images (Update.installSignature with a BearSSL verifier, or a signed build) and authenticated uploads.',
  zephyr:
    'Verify the image signature (e.g. psa_verify_hash) before requesting the upgrade, and build MCUboot with a signature type other than CONFIG_BOOT_SIGNATURE_TYPE_NONE.',
  stm32:
    'Verify a signature over the received image (e.g. mbedtls_pk_verify or uECC_verify with a public key in protected flash) before programming it.',
};

/**
 * Preprocessor symbols whose `#error` guard shows the build enforces signed updates (the ROM or bootloader
 * then verifies the image inside esp_ota_end / MCUboot / the Arduino Updater).
 */
export const SIGNED_BUILD_SYMBOL =
  /\b(CONFIG_SECURE_SIGNED_ON_UPDATE\w*|CONFIG_SECURE_BOOT_V2_ENABLED|CONFIG_SECURE_SIGNED_APPS\w*|CONFIG_SECURE_BOOT|CONFIG_BOOT_SIGNATURE_TYPE_\w+|ARDUINO_SIGNING)\b/;

/** The text every SIGNED_BUILD_SYMBOL starts with: a file holding none of it names none (most files). */
const SIGNED_BUILD_STEMS = ['CONFIG_SECURE_', 'CONFIG_BOOT_SIGNATURE_TYPE_', 'ARDUINO_SIGNING'];

export function mayNameSignedBuildSymbol(text: string): boolean {
  return SIGNED_BUILD_STEMS.some((stem) => text.includes(stem));
}

/** File-wide calls that set up signed or authenticated updates, per ecosystem. */
export const FILE_MITIGATIONS: Readonly<Partial<Record<Ecosystem, ReadonlySet<string>>>> = {
  arduino: new Set(['Update.installSignature', 'ArduinoOTA.setPassword', 'ArduinoOTA.setPasswordHash']),
};

/**
 * Signature and MAC verification in C crypto libraries (mbedTLS, PSA, micro-ecc, wolfSSL, OpenSSL, ...). The
 * lookahead checks once that the name is all word characters, so no `\w*` is followed by another (polynomial).
 */
const LIBRARY_VERIFY =
  /^(?=\w*$)(?:mbedtls_(?:pk_verify|rsa_\w*verify|ecdsa_verify|ecdsa_read_signature)|psa_(?:verify_(?:hash|message)|mac_verify)|wc_(?:SignatureVerify|ecc_verify_hash|RsaSSL_Verify|ed25519_verify|ed448_verify)|EVP_(?:DigestVerify|PKEY_verify)|br_\w+_vrfy|(?:uECC_verify|ECDSA_(?:do_)?verify|EVP_VerifyFinal|RSA_verify|esp_secure_boot_verify_(?:sbv2_)?signature|bootutil_img_validate|crypto_sign_(?:verify_detached|open)|installSignature)$)/;

/** Calls with verify-like names that only check integrity (a digest or CRC), not authenticity. */
const INTEGRITY_ONLY = new Set(['esp_image_verify', 'esp_image_verify_bootloader', 'flash_img_check', 'esp_partition_check_identity']);

/** Constant-time comparisons: after an HMAC they complete a MAC check. */
const CONSTANT_TIME_COMPARE =
  /^(mbedtls_ct_memcmp|CRYPTO_memcmp|timingsafe_(bcmp|memcmp)|consttime_memequal|ConstantCompare|sodium_memcmp|mbedtls_ssl_safer_memcmp|constant_time_(compare|memcmp|equals?))$/;

/** Verbs of checking a signature or a MAC over data. */
const VERIFY_WORDS = new Set(['verify', 'verifies', 'verified', 'verification', 'vrfy', 'authenticity']);
/**
 * Verbs of logging in: `client.authenticate()`, `server.authenticate(user, pass)`, `isAuthenticated` check a
 * user or a peer, not the bytes of an image. They count only when the name also says what is checked is the
 * image or its signature (`authenticate_image`, `fwAuthenticateSignature`).
 */
const AUTHENTICATE_WORDS = new Set(['authenticate', 'authenticates', 'authenticated', 'authentication', 'auth']);
/** MAC and signature nouns: with any check verb they name a signature or MAC check (`check_sig`, `hmacOk`). */
const SIGNATURE_WORDS = new Set(['signature', 'signatures', 'sig', 'hmac', 'cmac']);
/**
 * Signature algorithms: with a verify verb they name a signature check (`ecdsa_verify`), but with a generic
 * check verb they usually check a key (`mbedtls_rsa_check_pubkey`), hence only with VERIFY_WORDS.
 */
const ALGORITHM_WORDS = new Set(['ecdsa', 'ed25519', 'eddsa', 'rsa']);
/** What an update installs: with `signed` or an authenticate verb, the name is about the image. */
const IMAGE_WORDS = new Set<string>([...IMAGE_NOUNS, 'binary', 'blob', 'payload']);
/** Generic check verbs; `is` is not one (`isSignedIn`, `is_signed` of an integer type). */
const CHECK_WORDS = new Set(['check', 'checks', 'validate', 'validated', 'valid', 'ok', 'good', 'matches', 'authentic', ...VERIFY_WORDS]);
/** `signed` after these is a login state (`isSignedIn`, `signedUp`), not a signature. */
const SIGNED_IN = new Set(['in', 'out', 'up']);
/**
 * With a verify word but no signature word, these say what is checked is not the image's authenticity: an
 * integrity or transport check, or a user, a session or a peer (`verifyToken`, `verify_user`, `verifyOtp`).
 */
const NOT_AUTHENTICITY = new Set([
  'crc',
  'crc16',
  'crc32',
  'checksum',
  'hash',
  'sha',
  'sha1',
  'sha256',
  'sha2',
  'md5',
  'digest',
  'header',
  'version',
  'size',
  'length',
  'len',
  'magic',
  'format',
  'cert',
  'certificate',
  'x509',
  'crt',
  'ssl',
  'tls',
  'peer',
  'hostname',
  'host',
  'rollback',
  'confirm',
  'confirmed',
  'mac',
  'addr',
  'address',
  'pin',
  'password',
  'passcode',
  'user',
  'username',
  'account',
  'login',
  'credentials',
  'credential',
  'token',
  'jwt',
  'otp',
  'code',
  'email',
  'phone',
  'session',
  'client',
  'server',
  'connection',
  'pairing',
  'bond',
  'identity',
  'license',
  'captcha',
]);

/** Whether a name says "this verifies a signature or MAC" (library API or project function). */
export function isVerificationName(name: string): boolean {
  return VERIFICATION_NAMES.get(name, judgeVerificationName);
}

/**
 * Memoised: four rules ask it of every call, and a codebase repeats a few thousand callee names. A NameMemo
 * keeps its own copy of each name: keyed by the callee as sliced from a file, the memo held the whole text
 * of every file the language server's document worker had checked (a Map of up to 50,000 names).
 */
const VERIFICATION_NAMES = new NameMemo<boolean>(16_000);

function judgeVerificationName(name: string): boolean {
  if (!isIdentifierShaped(name) || INTEGRITY_ONLY.has(name)) return false;
  if (LIBRARY_VERIFY.test(name)) return true;
  const words = identifierWords(name);
  const has = (set: ReadonlySet<string>) => words.some((w) => set.has(w));
  const verifies = has(VERIFY_WORDS);
  const aboutImage = has(IMAGE_WORDS);
  if (has(SIGNATURE_WORDS) && has(CHECK_WORDS)) return true;
  if (has(ALGORITHM_WORDS) && verifies) return true;
  if (signedImage(words) && (has(CHECK_WORDS) || aboutImage)) return true;
  if (has(AUTHENTICATE_WORDS)) return aboutImage || has(SIGNATURE_WORDS);
  return verifies && !has(NOT_AUTHENTICITY);
}

/** `signed` as in a signed image (`check_signed_image`, `verifySigned`), not `isSignedIn` or `is_signed`. */
function signedImage(words: readonly string[]): boolean {
  const at = words.indexOf('signed');
  return at >= 0 && !SIGNED_IN.has(words[at + 1] ?? '');
}

export function isMacComputation(name: string): boolean {
  // Either word holds `mac` (in any case): most names are rejected without being split.
  return /mac/i.test(name) && identifierWords(name).some((w) => w === 'hmac' || w === 'cmac');
}

export function isConstantTimeCompare(name: string): boolean {
  return CONSTANT_TIME_COMPARE.test(name);
}

/** Function-name words that put a function on a firmware update path (for flash writes). */
const UPDATE_WORDS = new Set(['update', 'updater', 'upgrade', 'ota', 'fw', 'firmware', 'dfu', 'bootloader', 'image', 'img', 'iap']);
/** Function-name words of settings storage: flash writes there are not firmware, even if an updater calls them. */
const SETTINGS_WORDS = new Set([
  'settings',
  'setting',
  'config',
  'cfg',
  'conf',
  'param',
  'params',
  'parameter',
  'parameters',
  'calib',
  'calibration',
  'eeprom',
  'nvm',
  'nvs',
  'log',
  'logs',
  'record',
  'prefs',
  'preferences',
  'counter',
  'stats',
]);

/** `fw_update_apply`, `IAP_WriteImage`: an update path, unless it is named for settings (`ota_config_save`). */
export function isUpdateFunctionName(name: string): boolean {
  return identifierWords(name).some((w) => UPDATE_WORDS.has(w)) && !isSettingsFunctionName(name);
}

export function isSettingsFunctionName(name: string): boolean {
  return identifierWords(name).some((w) => SETTINGS_WORDS.has(w));
}
