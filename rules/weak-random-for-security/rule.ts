import type { LanguageId, RuleContext } from '../../server/src/core/types';
import { detectWeakRandom } from './detect';
import { seededSha1Prngs } from './seeded-prng';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'weak-random-for-security',
    title: 'Non-cryptographic random number generator used for keys, IVs, nonces, tokens or passwords',
    severity: 'high',
    confidence: 'medium',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [338, 330, 337],
    fda: ['app1.C.1', 'app1.A.6', '524b.b2'],
    sees: {
      'app1.C.1': 'keys, IVs and nonces from a non-cryptographic random number generator',
      'app1.A.6': 'nonces and tokens drawn from a non-cryptographic random number generator',
    },
    iec62443: ['CR 4.3'],
    fix: 'none',
    presets: ['recommended'],
    docs,
    // Every report is on a call weakCalls (detect.ts) accepts: libc's `*rand*`, `Math.random`, `java.util.Random`,
    // `ThreadLocalRandom`, Kotlin's `Random`, Python's `random` module (all hold `rand`), the `srand` it reports with
    // them, or a seeded `SHA1PRNG` (seeded-prng.ts, which tests the text for it).
    needs: ['rand', 'sha1prng'],
  },
  check: findWeakRandom,
});

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
  const hits = detectWeakRandom({ language: ctx.language, model: ctx.model, text: ctx.text, flow: ctx.flow });
  for (const hit of hits) {
    ctx.report({
      span: { start: hit.span.start, end: hit.span.end },
      // A sink is API evidence; a name alone is a tie-breaker.
      confidence: hit.reachesSink ? 'high' : 'medium',
      message:
        `\`${hit.api}\` is not a cryptographic RNG (a few outputs or the seed predict the rest), ${hit.reachesSink ? `yet its value becomes ${hit.purpose}` : `yet it makes ${hit.purpose} here`}, ` +
        `so an attacker can guess that secret and pair, authenticate or decrypt as the device. ${INSTEAD[ctx.language] ?? ''}`.trim(),
    });
  }
  for (const { setSeed } of ctx.language === 'java' || ctx.language === 'kotlin' ? seededSha1Prngs(ctx) : []) {
    ctx.report({
      span: { start: setSeed.start, end: setSeed.end },
      confidence: 'high',
      message: `A SHA1PRNG \`SecureRandom\` seeded with a constant before its first output replaces its seed with it (CWE-337): every key, IV, token or pairing code it produces is the same on every run and every device. Do not seed it: use \`new SecureRandom()\` (or \`SecureRandom.getInstanceStrong()\`) and let the platform seed it.`,
    });
  }
  // A time-seeded libc PRNG is only worth reporting where that PRNG makes secrets in this file.
  if (hits.length && (ctx.language === 'c' || ctx.language === 'cpp')) {
    for (const call of ctx.model.calls) {
      if (
        (call.callee === 'srand' || call.callee === 'srandom' || call.callee === 'std::srand' || call.callee === 'std.srand') &&
        /\b(time|clock|millis|micros|HAL_GetTick|xTaskGetTickCount|k_uptime_get\w*)\s*\(/.test(call.args[0]?.text ?? '')
      ) {
        ctx.report({
          span: call.calleeSpan,
          message: `\`${call.callee}(${call.args[0].text})\` seeds the PRNG that makes secrets in this file with the clock, which an attacker can guess to within seconds (CWE-337). ${INSTEAD[ctx.language]}`,
        });
      }
    }
  }
}
