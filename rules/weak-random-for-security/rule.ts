import type { LanguageId, Rule, RuleContext } from '../../server/src/core/types';
import { detectWeakRandom } from './detect';

const INSTEAD: Partial<Record<LanguageId, string>> = {
  c: 'Use the platform CSPRNG: `esp_fill_random`/`esp_random` (ESP32 hardware RNG), `mbedtls_ctr_drbg_random`, `psa_generate_random`, `RAND_bytes`, or `BCryptGenRandom` on Windows.',
  python: 'Use `secrets` (`secrets.token_bytes`, `secrets.token_urlsafe`, `secrets.choice`, `secrets.randbelow`) or `os.urandom`.',
  typescript: 'Use `crypto.randomBytes`, `crypto.randomInt`, `crypto.randomUUID` or `crypto.getRandomValues`.',
  java: 'Use `java.security.SecureRandom`.',
};
INSTEAD.cpp = INSTEAD.c;
INSTEAD.javascript = INSTEAD.typescript;
INSTEAD.kotlin = INSTEAD.java;

function findWeakRandom(ctx: RuleContext): void {
  const hits = detectWeakRandom({ language: ctx.language, model: ctx.model, text: ctx.text });
  for (const hit of hits) {
    ctx.report({
      span: { start: hit.span.start, end: hit.span.end },
      message:
        `\`${hit.api}\` is not a cryptographic RNG (a few outputs or the seed predict the rest), yet it makes ${hit.purpose} here, ` +
        `so an attacker can guess that secret and pair, authenticate or decrypt as the device. ${INSTEAD[ctx.language] ?? ''}`.trim(),
    });
  }
  // A time-seeded libc PRNG is only worth reporting where that PRNG makes secrets in this file.
  if (hits.length && (ctx.language === 'c' || ctx.language === 'cpp')) {
    for (const call of ctx.model.calls) {
      if ((call.callee === 'srand' || call.callee === 'srandom' || call.callee === 'std::srand') && /\b(time|clock|millis|micros|HAL_GetTick|xTaskGetTickCount|k_uptime_get\w*)\s*\(/.test(call.args[0]?.text ?? '')) {
        ctx.report({
          span: call.calleeSpan,
          message: `\`${call.callee}(${call.args[0].text})\` seeds the PRNG that makes secrets in this file with the clock, which an attacker can guess to within seconds (CWE-337). ${INSTEAD[ctx.language]}`,
        });
      }
    }
  }
}

export default {
  meta: {
    id: 'weak-random-for-security',
    title: 'Non-cryptographic random number generator used for keys, IVs, nonces, tokens or passwords',
    severity: 'high',
    confidence: 'medium',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [338, 330, 337],
    fda: ['app1.C.1', 'app1.A.6', '524b.b2'],
    iec62443: ['CR 4.3'],
    fix: 'none',
    presets: ['recommended'],
    docs: {
      summary: [
        'Finds values from a non-cryptographic PRNG that become security material: libc `rand()`, `random()`, `rand_r`, `*rand48`',
        '(also Arduino `random()`), JavaScript `Math.random()`, Java `java.util.Random` and `ThreadLocalRandom`, `Math.random()`, Kotlin',
        '`Random`/`kotlin.random.Random`, and Python `random.*` (`randint`, `choice`, `getrandbits`, `randbytes`, ...).',
        '',
        'A call is reported when its value is stored in, or passed as, a security-named target (identifier words such as key, iv, nonce,',
        'token, session, salt, secret, otp, challenge, password, pin, csrf, cookie, pairing), or when it is made inside a function whose name',
        'has such a word. Non-security purposes named in the same place win: jitter, backoff, delay, retry, timeout, color, animation,',
        'sampling, shuffle, noise, test, mock, demo, simulated, cache, and GPIO/LED/button pins. In C/C++, `srand(time(NULL))` (or another',
        'clock seed) is also reported when the file has such a finding. `esp_random()`, `SecureRandom`, `secrets`, `random.SystemRandom`',
        'and `crypto.randomBytes` are never reported.',
      ].join('\n'),
      risk:
        'Pairing PINs, session tokens, nonces, IVs and keys made by `rand()` or `Math.random()` are predictable: these generators have ' +
        'small states that a few outputs reveal, and a seed from the clock or from boot leaves only a handful of candidates. An attacker ' +
        'who predicts them can pair with a pump, replay or forge a therapy command, hijack a clinician session, or decrypt recorded ' +
        'traffic. FDA premarket guidance expects proper key generation and robust nonces (Appendix 1 C.1) and anti-replay protection on ' +
        'critical commands (A.6).',
      fix:
        'Use the platform CSPRNG. ESP32: `esp_fill_random()`/`esp_random()` (hardware RNG; enable RF or the bootloader entropy source as ' +
        'the ESP-IDF docs say). mbedTLS: `mbedtls_ctr_drbg_random` seeded from `mbedtls_entropy_func`. PSA: `psa_generate_random`. ' +
        'Zephyr: `sys_csrand_get`. OpenSSL: `RAND_bytes`. Windows: `BCryptGenRandom`. Java/Kotlin: `SecureRandom`. Python: `secrets` ' +
        'or `os.urandom`. Node: `crypto.randomBytes`, `randomInt`, `randomUUID`.',
      examples: [
        {
          language: 'c',
          bad: 'uint32_t make_pairing_pin(void) {\n    return (uint32_t)rand() % 1000000;\n}\n',
          good: 'uint32_t make_pairing_pin(void) {\n    return esp_random() % 1000000;\n}\n',
        },
        {
          language: 'typescript',
          bad: 'export function newSessionToken(): string {\n  return Math.random().toString(36).slice(2);\n}\n',
          good: "import { randomBytes } from 'crypto';\nexport function newSessionToken(): string {\n  return randomBytes(32).toString('base64url');\n}\n",
        },
        {
          language: 'python',
          bad: 'import random\n\ndef issue_otp():\n    return "%06d" % random.randint(0, 999999)\n',
          good: 'import secrets\n\ndef issue_otp():\n    return "%06d" % secrets.randbelow(1000000)\n',
        },
        {
          language: 'java',
          bad: 'class Pairing {\n  byte[] challenge() {\n    byte[] challenge = new byte[16];\n    new java.util.Random().nextBytes(challenge);\n    return challenge;\n  }\n}\n',
          good: 'class Pairing {\n  byte[] challenge() {\n    byte[] challenge = new byte[16];\n    new java.security.SecureRandom().nextBytes(challenge);\n    return challenge;\n  }\n}\n',
        },
      ],
      fixSafety:
        'No automatic fix: the secure generator needs its own setup in C (a seeded DRBG, or a hardware RNG that needs a running entropy ' +
        'source), returns bytes rather than numbers in a range, and can fail, so the call site has to change by hand.',
      references: [
        { title: 'CWE-338: Use of Cryptographically Weak Pseudo-Random Number Generator (PRNG)', url: 'https://cwe.mitre.org/data/definitions/338.html' },
        { title: 'CWE-330: Use of Insufficiently Random Values', url: 'https://cwe.mitre.org/data/definitions/330.html' },
        { title: 'Python secrets: generate secure random numbers', url: 'https://docs.python.org/3/library/secrets.html' },
        { title: 'ESP-IDF random number generation', url: 'https://docs.espressif.com/projects/esp-idf/en/stable/esp32/api-reference/system/random.html' },
        { title: 'NIST SP 800-90A Rev. 1: Random Number Generation Using Deterministic Random Bit Generators', url: 'https://csrc.nist.gov/pubs/sp/800/90/a/r1/final' },
      ],
    },
  },
  check: findWeakRandom,
} satisfies Rule;
