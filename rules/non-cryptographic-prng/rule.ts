/**
 * non-cryptographic-prng: the audit rule of CERT MSC30-C and MSC50-CPP. Every call of the C library's
 * PRNGs, and every standard C++ engine, whatever the value is used for; `weak-random-for-security` is the
 * precise rule that follows such a value into a key, token or nonce. In `medsec:strict` only.
 */
import type { Call, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'non-cryptographic-prng',
    title: 'Non-cryptographic PRNG called (audit: every rand(), random(), drand48() or std engine)',
    severity: 'low',
    confidence: 'low',
    languages: ['c', 'cpp'],
    cwe: [338, 330],
    fda: ['app1.C.1', '524b.b2'],
    sees: 'every call of a C library pseudo-random generator and every C++ standard engine, for review',
    iec62443: ['CR 4.3'],
    fix: 'none',
    presets: ['strict'],
    // The C library's generators, called by their own name (libcGenerator: `rand`, `std::rand`, `::random`), so
    // whole identifiers (`operand`, `brand_id` and `esp_random` hold none), and the standard engines (ENGINE_WORD).
    needs: () => [
      ...[...LIBC_GENERATORS].map((name) => `<${name}>`),
      'mt19937',
      'minstd_rand',
      'default_random_engine',
      'ranlux',
      'knuth_b',
    ],
    docs,
  },
  check: findPrngCalls,
});

/** The C library's generators (ISO C `rand`, POSIX `random`, `rand_r` and the `*rand48` family). */
const LIBC_GENERATORS = new Set(['rand', 'random', 'rand_r', 'drand48', 'erand48', 'lrand48', 'nrand48', 'mrand48', 'jrand48']);

/** The standard C++ engines of <random>: fast and statistically good, and predictable from their output. */
const STD_ENGINES = /^(?:std::)?(?:mt19937(?:_64)?|minstd_rand0?|default_random_engine|ranlux(?:24|48)(?:_base)?|knuth_b)$/;

function findPrngCalls(ctx: RuleContext): void {
  const ownFunctions = new Set(ctx.model.functions.map((fn: FunctionDef) => fn.name));
  const seeded = ctx.model.calls.some((call) => call.callee === 'randomSeed' && !call.receiver);
  for (const call of ctx.model.calls) {
    const name = libcGenerator(call);
    if (!name || ownFunctions.has(name)) continue; // a project's own `random()` is not the C library's
    ctx.report({
      span: call.calleeSpan,
      message:
        `\`${ctx.text.slice(call.calleeSpan)}()\` is not a cryptographic generator: a few outputs, or the seed, predict every other one. ` +
        arduinoNote(name, call, seeded) +
        'Where the value must not be guessed (keys, IVs, nonces, challenges, pairing codes, session ids), use the platform CSPRNG ' +
        '(`esp_fill_random`, `psa_generate_random`, `mbedtls_ctr_drbg_random`, `RAND_bytes`, `getrandom`).',
    });
  }
  if (ctx.language !== 'cpp' || !ctx.tree || !ENGINE_WORD.test(ctx.text.content)) return;
  // Declarations from the tree: `std::mt19937 engine(seed);` is a declaration the model keeps no variable for.
  for (const declaration of ctx.tree.rootNode.descendantsOfType('declaration')) {
    const type = declaration?.childForFieldName('type')?.text.replace(/\s+/g, '');
    if (!declaration || !type || !STD_ENGINES.test(type)) continue;
    ctx.report({
      span: { start: declaration.startIndex, end: declaration.endIndex },
      message:
        `\`${type}\` is a non-cryptographic engine: its state, and every later output, follows from a few hundred ` +
        'outputs or a guessed seed. Where the values must not be guessed, draw them from the platform CSPRNG instead.',
    });
  }
}

/**
 * POSIX `random()` takes no argument; Arduino's `random(max)` and `random(min, max)` do, and what they draw
 * from depends on the board: the C library's generator on AVR, SAMD and nRF cores, the hardware RNG on the
 * ESP32 and ESP8266 cores — until `randomSeed()` switches those to the C library's `rand()` too.
 */
function arduinoNote(name: string, call: Call, seeded: boolean): string {
  if (name !== 'random' || call.args.length === 0 || call.args.length > 2) return '';
  return seeded
    ? "This file calls `randomSeed()`, so Arduino's `random()` is the C library's generator on every board, ESP32 and ESP8266 included. "
    : "Arduino's `random()` is the C library's generator on AVR, SAMD and nRF boards (on ESP32 and ESP8266 it reads the hardware RNG until `randomSeed()` is called). ";
}

/** A file that names no standard engine has no engine declaration to look for. */
const ENGINE_WORD = /mt19937|minstd_rand|default_random_engine|ranlux|knuth_b/;

/** The libc generator a call invokes (`rand`, `std::rand`, `::random`), or undefined for a method or another function. */
function libcGenerator(call: Call): string | undefined {
  if (call.receiver || call.isNew) return undefined;
  const name = call.callee.replace(/^(?:std)?(?:::|\.)/, ''); // the model writes `std::rand` as `std.rand`
  return LIBC_GENERATORS.has(name) ? name : undefined;
}
