/**
 * Issue 12, item 1: every regular expression in the rules and the engine runs on hostile text, so each must
 * be linear: recheck (the ReDoS checker that guards custom rules) must call it safe. recheck's verdict depends
 * on its wall-time budget, so verdicts are cached in regex-verdicts.json by `npm run regex-verdicts`; this test
 * finds every regex by parsing the source (test/helpers/builtin-regexes.ts) and fails for one with no cached
 * verdict (run the script) or a cached verdict other than "safe" (rewrite it).
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { allBuiltinRegexes, regexesOfFile, regexKey, regexSourceFiles, type FoundRegex } from '../helpers/builtin-regexes';

const ROOT = path.resolve(__dirname, '..', '..');
const VERDICTS: Record<string, string> = JSON.parse(fs.readFileSync(path.join(__dirname, 'regex-verdicts.json'), 'utf8'));

/**
 * Regexes that stay although recheck does not call them safe: key → why (ideally empty). The entries marked
 * "not yet rewritten" are the polynomial regexes this test found when it became strict: a ratchet, to be emptied.
 */
const ALLOWED: Record<string, string> = {
  '/"((?:[^"\\\\]|\\\\.)*)"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"/g': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/"(?:[^"\\\\\\n]|\\\\.)*"/g': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/%%|%[-+ #0]*(\\*|\\d+)?(?:\\.(\\*|\\d+))?(?:hh|h|ll|l|L|q|j|z|t)?([diouxXeEfgGaAcspnSC])/g':
    'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/%%|%[-+ #0]*(\\*|\\d+)?(?:\\.(\\*|\\d+))?(?:hh|h|ll|l|L|q|j|z|t)?([diouxXeEfgGcspn])/g':
    'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/%%|%[-+ #0]*\\d*(?:\\.\\d+)?[hlLqjzt]*[diouxXeEfgGcsp]|\\{[^{}]*\\}/g':
    'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/%(?:%|([-+ #0]*)(\\d*|\\*)(?:\\.(\\d*|\\*))?(hh|h|ll|l|j|z|t|L|q)?([diouxXcspeEfFgGaAn]))/g':
    'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/%[-+ #0]*\\d*(?:\\.\\d+)?(?:hh|h|ll|l|z)?[sdiuxX]|\\{[A-Za-z0-9_.]*\\}|\\$\\{[^}]*\\}|\\$[A-Za-z_]\\w*/':
    'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/%[-+ #0]*\\d*(?:\\.\\d+)?(?:hh|h|ll|l|z)?[sdiuxX]|\\{[A-Za-z0-9_.]*\\}|\\$\\{[^}]*\\}|\\$[A-Za-z_]\\w*/g':
    'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/(&&|\\|\\||\\band\\b|\\bor\\b)\\s*[!(\\s]*(not\\s+)?$/': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/(?:(?:\\.|\\?\\.)(?:c_str|toString|decode|encode|toCharArray|getBytes|toByteArray|hex|toHex|toHexString|data|strip|trim|value|get|orEmpty))+$/':
    'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/(?:\\(\\s*\\w+(?:\\s+\\w+)*(?:\\s*\\*+)?\\s*\\)\\s*)+$/': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/(?:\\b(?:L|u8|u|U))?"(?:[^"\\\\\\n]|\\\\.)*"/g': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/(?:\\b(?:strlen|strnlen|len|sizeof|size|length|count|bool|Boolean|typeof|type|isEmpty|isBlank|isset|empty|hash\\w*|sha\\d*\\w*|md5\\w*|\\w*[mM]ask\\w*|\\w*[rR]edact\\w*|\\w*[oO]bfuscate\\w*|\\w*[fF]ingerprint\\w*|\\w*[pP]review\\w*)\\s*\\(\\s*|!!?\\s*|\\bnot\\s+)$/':
    'vulnerable: 2nd degree polynomial (fuzz); not yet rewritten (issue 12)',
  '/(?:^|[._])(?:\\w*pref\\w*|\\w*setting\\w*|\\w*config\\w*|cfg|\\w*store\\w*|\\w*storage\\w*|\\w*persist\\w*|keychain|keyring|datastore|nvs|eeprom|sp)$/i':
    'vulnerable: 2nd degree polynomial (fuzz); not yet rewritten (issue 12)',
  '/(?:^|\\b(?:origins|value|originPatterns)\\s*=\\s*)[[{]?\\s*"\\*"/': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/(["\'])(?:\\\\.|(?!\\1)[^\\\\\\n\\r\\u2028\\u2029])*\\1/g': 'vulnerable: 3rd degree polynomial (fuzz); not yet rewritten (issue 12)',
  '/(["\']?)([@$\\w:.-]+)\\1\\s*[=:]\\s*$/': 'vulnerable: 3rd degree polynomial (fuzz); not yet rewritten (issue 12)',
  '/(["\'`])(?:\\\\.|(?!\\1)[^\\\\\\n\\r\\u2028\\u2029])*\\1/g': 'vulnerable: 3rd degree polynomial (fuzz); not yet rewritten (issue 12)',
  '/([A-Za-z_$][\\w$]*)\\s*(?:<[^<>()]*>)?\\s*$/': 'vulnerable: 3rd degree polynomial; not yet rewritten (issue 12)',
  '/[?#].*$/': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/[\\w.]*BuildConfig\\.DEBUG\\b/': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/\\$\\{([^}]*)\\}/g': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/\\$\\{([^}]*)\\}|\\$([A-Za-z_]\\w*)/g': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/\\*\\s*\\(?\\s*x\\s*\\)?\\s*=\\s*0[uUlL]*\\s*;/': 'vulnerable: 3rd degree polynomial; not yet rewritten (issue 12)',
  '/\\/((?:[^/\\\\\\]]|\\\\.)+)\\/([imsu]*)/g': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/\\/\\*[\\s\\S]*?\\*\\//g': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/\\[[^\\]]*\\]$/': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/\\[[^\\]]*\\]/g': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/\\b(?:ESP8266HTTPUpdateServer|HTTPUpdateServer)\\s*\\*?\\s*([A-Za-z_]\\w*)\\s*[;=({,]/g':
    'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/\\b(?:ESP_GATT_UUID_CHAR_CLIENT_CONFIG|\\w*client_config\\w*|\\w*_ccc\\w*|\\w*cccd\\w*)\\b/i':
    'vulnerable: 2nd degree polynomial (fuzz); not yet rewritten (issue 12)',
  '/\\b(?:strlen|strnlen|strcpy|strncpy|strlcpy)\\s*\\([^)]*\\bx\\b/': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/\\b(PubSubClient|HttpClient|MqttClient)\\s+([A-Za-z_]\\w*)\\s*\\(\\s*&?\\s*([A-Za-z_]\\w*)/g':
    'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/\\b\\w*(?:auth|login|logged_?in|is_?admin|has_?role|check_?role|require_?role|role_?check|roles_?required|permission|privilege|verify_?pin|check_?pin|pin_?ok|pin_?verified|password|passcode|session|access_?level|security_?level|credential|token|challenge|signature_?ok|is_?unlocked)\\w*\\b/i':
    'vulnerable: 2nd degree polynomial (fuzz); not yet rewritten (issue 12)',
  '/\\bif\\s*\\(\\s*strlen\\s*\\([^()]*\\)\\s*==\\s*0\\s*\\)\\s*\\{?\\s*$/':
    'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/\\bimport\\s+(?:\\*\\s+as\\s+)?([A-Za-z_$][\\w$]*)\\s*(?:,\\s*\\{[^}]*\\}\\s*)?from\\s*([\'"])([^\'"]+)\\2/g':
    'vulnerable: 3rd degree polynomial (fuzz); not yet rewritten (issue 12)',
  '/\\bopen\\([^)\\n]*\\)\\s+as\\s+(\\w+)/g': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/\\bpip3?\\b[\\s\\S]*\\binstall\\b/': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/\\bx\\s*=\\s*(?:requests\\.Session|httpx\\.(?:Async)?Client|aiohttp\\.ClientSession)\\(|(?:requests\\.Session|httpx\\.(?:Async)?Client|aiohttp\\.ClientSession)\\([^)]*\\)\\s+as\\s+x\\b/':
    'vulnerable: 2nd degree polynomial (fuzz); not yet rewritten (issue 12)',
  '/\\bx\\s*[*&]?\\s*[A-Za-z_]\\w*\\s*(?:[;=({,\\[])/g': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/\\s+as\\s+\\w+[?]?$/': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/\\{([^}]*)\\}|\\[([^\\]]*)\\]/': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/\\{\\s*return\\s+true\\s*;?\\s*\\}$/': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/^## +(.+?) *$/m': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/^(.*?)\\s*(==|===|is)\\s*(false|False|0)$/': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/^(?:!|not\\s+)\\s*\\(?\\s*x\\s*\\)?$/': 'vulnerable: 3rd degree polynomial; not yet rewritten (issue 12)',
  '/^(?:[A-Z0-9]+_)*LOG(?:GER)?[A-Z0-9]*(?:_[A-Z0-9]+)*$/': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/^(?:\\(\\s*[\\w\\s]+\\**\\s*\\)\\s*|&\\s*)+/': 'vulnerable: 3rd degree polynomial; not yet rewritten (issue 12)',
  '/^(?:\\(\\s*[\\w\\s]+\\**\\s*\\)\\s*|&\\s*|\\*\\s*)+/': 'vulnerable: 3rd degree polynomial; not yet rewritten (issue 12)',
  '/^(?:\\(\\s*[\\w\\s]+\\*?\\s*\\))?\\s*&?\\s*([A-Za-z_][\\w.]*(?:->\\w+)*)\\s*(?:\\[\\s*0\\s*\\])?$/':
    'vulnerable: 4th degree polynomial; not yet rewritten (issue 12)',
  '/^(?:\\(\\s*[\\w\\s]+\\*\\s*\\))?\\s*&?\\s*([A-Za-z_]\\w*)\\s*(?:\\[\\s*0\\s*\\])?$/':
    'vulnerable: 3rd degree polynomial; not yet rewritten (issue 12)',
  '/^(?:hmac)?[-_]?(?:sha|md|ripemd|blake|sm3)[-_\\d]*\\w*$/i': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/^(`{3,})([\\w-]+) (bad|good)\\n([\\s\\S]*?)\\n\\1$/gm': 'vulnerable: 3rd degree polynomial (fuzz); not yet rewritten (issue 12)',
  '/^(mbedtls_(pk_verify\\w*|rsa_\\w*verify\\w*|ecdsa_verify\\w*|ecdsa_read_signature\\w*)|psa_(verify_(hash|message)\\w*|mac_verify\\w*)|uECC_verify|wc_(SignatureVerify\\w*|ecc_verify_hash\\w*|RsaSSL_Verify\\w*|ed25519_verify\\w*|ed448_verify\\w*)|ECDSA_(do_)?verify|EVP_(DigestVerify\\w*|PKEY_verify\\w*|VerifyFinal)|RSA_verify|esp_secure_boot_verify_(sbv2_)?signature|bootutil_img_validate|crypto_sign_(verify_detached|open)|br_\\w+_vrfy\\w*|installSignature)$/':
    'vulnerable: 2nd degree polynomial (fuzz); not yet rewritten (issue 12)',
  '/^(mbedtls_\\w+_verify\\w*|psa_\\w*verify\\w*|esp_secure_boot_verify_\\w+|wc_\\w*Verify\\w*|crypto_sign_verify_detached)$/':
    'vulnerable: 2nd degree polynomial (fuzz); not yet rewritten (issue 12)',
  '/^(str(n)?cmp|memcmp|strverscmp|compare\\w*|\\w*_cmp|\\w*Compare\\w*)$/':
    'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/^- \\[(.+)\\]\\((\\S+)\\)\\s*$/gm': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/^-[A-Za-z]*O(.*)$/': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/^-[A-Za-z]*V[A-Za-z]*$/': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/^-[A-Za-z]*o(.*)$/': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/^-\\s*(?:\\d+|E[A-Z]+)$|^ESP_(?:ERR|FAIL)\\w*$|^PSA_ERROR_\\w+$|^MBEDTLS_ERR_\\w+$|^-?\\s*\\w*_ERR_\\w+$/':
    'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/^[^;{}\\n]*?(?:\\)\\s*)?(?:\\{|:)?\\s*(?:return\\s+([\\w.:]+)|[\\w.>-]*(?:authenticated|granted|authorized|authorised|ok|valid|allowed|logged_?in|loggedIn)\\s*=\\s*(true|True|1)\\b)/i':
    'vulnerable: 2nd degree polynomial (fuzz); not yet rewritten (issue 12)',
  '/^\\(\\s*[\\w\\s]+\\**\\s*\\)\\s*/': 'vulnerable: 3rd degree polynomial; not yet rewritten (issue 12)',
  '/^\\s*(?:(?:\\.|\\?\\.)\\s*(?:length|size|count|isEmpty|isBlank|isNullOrEmpty|isNullOrBlank|isNotEmpty|len|hashCode|slice|substring|substr|take|takeLast|startsWith|endsWith|isPresent|isDefined)\\b|!==?|===?|\\bis\\b|\\bin\\b|\\[\\s*-?\\d*\\s*:|:(?!:)|=(?!=)|\\?(?![.?]))/':
    'vulnerable: 2nd degree polynomial (fuzz); not yet rewritten (issue 12)',
  '/^\\s*(?:\\/\\/+|\\/\\*+|\\*+|#+|<!--)?\\s*medsec-ignore(-next-line)?(?![\\w-])([^\\n]*)/':
    'vulnerable: 2nd degree polynomial (fuzz); not yet rewritten (issue 12)',
  '/^\\s*(namespace\\s+\\w+\\s*\\{|class\\s+\\w+[^;]*\\{|template\\s*<|(public|private|protected)\\s*:|using\\s+namespace\\b)/m':
    'vulnerable: 2nd degree polynomial (fuzz); not yet rewritten (issue 12)',
  '/^\\s*[^?]+\\?([^:]+):(.+)$/': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/^\\s*\\)*\\s*==\\s*0\\b/': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
  '/^\\s*from\\s+x\\s+import\\s+(?:\\(\\s*)?(?:[\\w\\s,]*,\\s*)?x\\b(?!_)/m':
    'vulnerable: 2nd degree polynomial (fuzz); not yet rewritten (issue 12)',
  '/^\\s*import\\s+x\\.(?:x|\\*)\\s*;?\\s*$/m': 'vulnerable: 3rd degree polynomial; not yet rewritten (issue 12)',
  '/^new\\s+byte\\s*\\[\\s*([^\\]]+?)\\s*\\]$/': 'vulnerable: 3rd degree polynomial; not yet rewritten (issue 12)',
  '/~\\s*\\(?\\s*$/': 'vulnerable: 2nd degree polynomial; not yet rewritten (issue 12)',
};

/**
 * `RegExp(...)` calls whose source is a run-time value, so no regex can be read from the source: file:line
 * without the line → why the regexes they build are linear or checked elsewhere.
 */
const DYNAMIC_SITES: Record<string, string> = {
  'rules/_shared/secrets/assignments.ts': 'an alternation of escaped literal keywords: no quantifier',
  'rules/broken-cipher/single-block.ts': 'an alternation of identifiers (the sized names of the file): no quantifier',
  'rules/_shared/secrets/find-secrets.ts': 'the prefix trigger, exported as PREFIX_TRIGGER and checked by value',
  'rules/_shared/secrets/formats.ts': 'the token formats, exported as PREFIX_FORMATS and checked by value',
  'server/src/core/custom/matchers.ts': "the user's custom-rule regexes, each checked by regexProblem when the rule loads",
  'server/src/core/custom/regex-safety.ts': 'compiles a user regex only to report a syntax error, never runs it',
  'server/src/core/model/ts-shapes.ts':
    'compiles a regex literal of the scanned file only to print its value as ESTree holds it (typescript-estree does the same), never runs it',
};

/** Every module of the trees, for the regexes they export (tables built at load time). */
async function loadModules(): Promise<Record<string, Record<string, unknown>>> {
  const entries = await Promise.all(
    regexSourceFiles(ROOT).map(async (file) => [file, (await import(path.join(ROOT, file))) as Record<string, unknown>] as const),
  );
  return Object.fromEntries(entries);
}

const describeRegex = (regex: FoundRegex) => `${regex.where}: ${regexKey(regex)}`;

describe('built-in regular expressions', () => {
  it('are all found: literals, RegExp calls and exported tables', async () => {
    const all = allBuiltinRegexes(ROOT, await loadModules());
    expect(all.length).toBeGreaterThan(1000);
    // The secret formats are built by a helper from strings: found by value.
    expect(all.some((r) => r.where.includes('PREFIX_FORMATS'))).toBe(true);
  }, 120_000);

  it('are all linear: recheck calls each safe (cached verdicts, npm run regex-verdicts)', async () => {
    const all = allBuiltinRegexes(ROOT, await loadModules());
    const unchecked = all.filter((r) => VERDICTS[regexKey(r)] === undefined).map(describeRegex);
    expect(unchecked, 'no cached verdict: run `npm run regex-verdicts`').toEqual([]);
    const unsafe = all
      .filter((r) => VERDICTS[regexKey(r)] !== 'safe' && ALLOWED[regexKey(r)] === undefined)
      .map((r) => `${describeRegex(r)} → ${VERDICTS[regexKey(r)]}`);
    expect(unsafe).toEqual([]);
  }, 120_000);

  it('every dynamic RegExp call has a reason', () => {
    const sites = regexSourceFiles(ROOT).flatMap((file) => regexesOfFile(ROOT, file).dynamic);
    const unexplained = sites.filter((site) => DYNAMIC_SITES[site.where.replace(/:\d+$/, '')] === undefined);
    expect(unexplained.map((site) => `${site.where}: ${site.text}`)).toEqual([]);
  });

  it('the allow-lists hold no stale entries', async () => {
    const keys = new Set(allBuiltinRegexes(ROOT, await loadModules()).map(regexKey));
    expect(Object.keys(ALLOWED).filter((key) => !keys.has(key))).toEqual([]);
    const files = new Set(regexSourceFiles(ROOT).filter((file) => regexesOfFile(ROOT, file).dynamic.length > 0));
    expect(Object.keys(DYNAMIC_SITES).filter((file) => !files.has(file))).toEqual([]);
  }, 120_000);
});
