/**
 * non-constant-time-comparison: a MAC, HMAC, signature, authentication tag, token, password or password
 * hash compared with an early-exit comparison (`memcmp`, `strcmp`, `==`, `equals`, `Arrays.equals`)
 * instead of a constant-time one. The time to the first differing byte leaks how much of a forged value
 * is right, which lets an attacker on the network build a valid one byte by byte.
 */
import type { Comparison, Expr, Import } from '../../server/src/core/model/types';
import type { Fix, LanguageId, Rule, RuleContext, Span } from '../../server/src/core/types';
import { classifySecretOperand, isLiteralOperand, isPolicyOperand, isPublicOperand, operandName, type SecretOperand } from './names';

const TEST_PATH = /(?:^|\/)(?:tests?|__tests__|spec|testing)\/|(?:^|\/)test_[^/]*\.py$|_test\.(?:py|c|cc|cpp|kt|java)$|\.(?:test|spec)\.[cm]?[jt]sx?$|Tests?\.(?:java|kt)$/i;

const EARLY_EXIT_OPERATORS = new Set([
  '==', '!=', '===', '!==', 'equals', 'contentEquals', 'strcmp', 'strncmp', 'memcmp', 'bcmp', 'strcasecmp',
  'strncasecmp', 'Arrays.equals', 'equalsIgnoreCase', 'compareTo', 'String.equals',
]);

const CONSTANT_TIME: Readonly<Record<string, string>> = {
  c: '`mbedtls_ct_memcmp()` (mbedtls/constant_time.h) or `CRYPTO_memcmp()` (OpenSSL) over the full length',
  cpp: '`mbedtls_ct_memcmp()` (mbedtls/constant_time.h) or `CRYPTO_memcmp()` (OpenSSL) over the full length',
  python: '`hmac.compare_digest()`',
  java: '`MessageDigest.isEqual()` on the bytes',
  kotlin: '`MessageDigest.isEqual()` on the bytes',
  typescript: '`crypto.timingSafeEqual()` on equal-length Buffers (check the lengths first; it throws otherwise)',
  javascript: '`crypto.timingSafeEqual()` on equal-length Buffers (check the lengths first; it throws otherwise)',
};

function findNonConstantTimeComparisons(ctx: RuleContext): void {
  const { model } = ctx;
  const content = ctx.text.content;
  if (TEST_PATH.test(ctx.path.replace(/\\/g, '/'))) return;
  const reported = new Set<number>();

  const comparisons: Comparison[] = [...model.comparisons];
  // Java's `Arrays.equals(a, b)` is a call, not a comparison, in the model.
  for (const call of model.calls) {
    if (call.name === 'equals' && /(?:^|\.)Arrays$/.test(call.receiver?.text ?? '') && call.args.length === 2) {
      comparisons.push({ start: call.start, end: call.end, operator: 'Arrays.equals', left: call.args[0], right: call.args[1], fn: call.fn });
    }
  }

  for (const comparison of comparisons) {
    if (!EARLY_EXIT_OPERATORS.has(comparison.operator)) continue;
    const { left, right } = comparison;
    if (isLiteralOperand(left) || isLiteralOperand(right)) continue;
    // `memcmp(mac, peer_mac, 6)` compares MAC addresses (6 bytes), not message authenticators.
    if (/^(?:memcmp|bcmp)$/.test(comparison.operator) && /^\s*,\s*(?:6|ETH_ALEN|ESP_BD_ADDR_LEN|BD_ADDR_LEN|sizeof\s*\(\s*(?:esp_bd_addr_t|bt_addr_t|bd_addr_t)\s*\))\s*\)/.test(content.slice(right.end, right.end + 40))) continue;
    if ([left, right].some((side) => isPolicyOperand(operandName(side) ?? '') || isPublicOperand(side.text))) continue;
    // `x == SIG_ERR`, `pin != (PinName)NC`, `code == KEY_INCREMENT_PIN`: a scalar tested against a named
    // constant (macro or enum) is a status or command code, not a secret held in memory (seen in real code).
    if (/^[=!]==?$/.test(comparison.operator) && (isNamedConstant(left.text) || isNamedConstant(right.text))) continue;
    const secret = secretOf(left) ?? secretOf(right);
    if (!secret || reported.has(comparison.start)) continue;
    reported.add(comparison.start);
    const how = /^[=!]==?$/.test(comparison.operator) ? `\`${comparison.operator}\`` : `${comparison.operator}()`;
    const fix = fixFor(comparison);
    ctx.report({
      span: comparison,
      message: `The ${secret.label} '${secret.name}' is compared with ${how}, which stops at the first differing byte: by timing responses, an attacker on the network can recover a valid ${secret.label} byte by byte and forge commands or log in. Use ${CONSTANT_TIME[ctx.language] ?? 'a constant-time comparison'}.`,
      ...(fix ? { fixes: [fix] } : {}),
    });
  }

  function secretOf(expr: Expr): SecretOperand | undefined {
    const name = operandName(expr);
    return name ? classifySecretOperand(name) : undefined;
  }

  function fixFor(comparison: Comparison): Fix | undefined {
    return fixPython(comparison) ?? fixMemcmp(comparison) ?? fixJvm(comparison);
  }

  /** `a == b` → `hmac.compare_digest(a, b)` where `hmac` (or `secrets`) is imported as a module. */
  function fixPython(comparison: Comparison): Fix | undefined {
    if (ctx.language !== 'python' || !['==', '!='].includes(comparison.operator)) return undefined;
    const module = moduleImported(model.imports, ['hmac', 'secrets']);
    if (!module) return undefined;
    const call = `${module}.compare_digest(${comparison.left.text}, ${comparison.right.text})`;
    return {
      title: `Compare in constant time with ${module}.compare_digest()`,
      safety: 'suggestion',
      edits: [{ span: comparison, newText: comparison.operator === '!=' ? `not ${call}` : call }],
    };
  }

  /** `memcmp(a, b, n) == 0` → `mbedtls_ct_memcmp(a, b, n) == 0` when its header is included (same 0 / non-0 contract). */
  function fixMemcmp(comparison: Comparison): Fix | undefined {
    if ((ctx.language !== 'c' && ctx.language !== 'cpp') || !/^(?:memcmp|bcmp)$/.test(comparison.operator)) return undefined;
    const replacement = model.imports.some((i) => /mbedtls\/constant_time\.h$/.test(i.module)) ? 'mbedtls_ct_memcmp'
      : model.imports.some((i) => /openssl\/crypto\.h$/.test(i.module)) ? 'CRYPTO_memcmp' : undefined;
    if (!replacement) return undefined;
    // Only where the result is tested for equality, never ordered with < or >.
    if (/^\s*[<>]/.test(content.slice(comparison.end, comparison.end + 10))) return undefined;
    const callee = calleeSpan(comparison);
    if (!callee) return undefined;
    return { title: `Use ${replacement}() (constant time)`, safety: 'suggestion', edits: [{ span: callee, newText: replacement }] };
  }

  /** `Arrays.equals(a, b)` / `a.contentEquals(b)` → `MessageDigest.isEqual(a, b)` when MessageDigest is imported. */
  function fixJvm(comparison: Comparison): Fix | undefined {
    if (ctx.language !== 'java' && ctx.language !== 'kotlin') return undefined;
    if (!model.imports.some((i) => i.module === 'java.security' && (i.name === 'MessageDigest' || i.name === '*') || i.module === 'java.security.MessageDigest')) return undefined;
    if (comparison.operator !== 'Arrays.equals' && comparison.operator !== 'contentEquals') return undefined;
    return {
      title: 'Compare in constant time with MessageDigest.isEqual()',
      safety: 'suggestion',
      edits: [{ span: comparison, newText: `MessageDigest.isEqual(${comparison.left.text}, ${comparison.right.text})` }],
    };
  }

  function calleeSpan(comparison: Comparison): Span | undefined {
    const call = model.calls.find((c) => c.start === comparison.start && c.name === comparison.operator);
    return call?.calleeSpan;
  }
}

function moduleImported(imports: readonly Import[], modules: readonly string[]): string | undefined {
  for (const module of modules) {
    if (imports.some((i) => i.module === module && !i.name && (i.local ?? module) === module)) return module;
  }
  return undefined;
}

const LANGUAGES: LanguageId[] = ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'];

const rule = {
  meta: {
    id: 'non-constant-time-comparison',
    title: 'MAC, token or password compared in non-constant time',
    severity: 'medium',
    confidence: 'medium',
    languages: LANGUAGES,
    cwe: [208],
    fda: ['app1.A.1', 'app1.C.1', '524b.b2'],
    iec62443: ['CR 1.14', 'CR 3.1'],
    fix: 'suggestion',
    presets: ['recommended'],
    docs: {
      summary: [
        'Finds MACs, HMACs, signatures, authentication tags, one-time codes, tokens, passwords and password hashes',
        'compared with an early-exit comparison: `memcmp`/`strcmp`/`strncmp`/`bcmp` in C and C++, `==`/`!=` in',
        'Python and Kotlin, `===`/`==` and `Buffer.equals` in TypeScript and JavaScript, `equals`,',
        '`contentEquals` and `Arrays.equals` in Java and Kotlin. Secrets are recognised by identifier words',
        '(`expected_hmac`, `rxMac`, `authTag`, `signature`, `apiToken`, `pin`).',
        '',
        'Not reported: comparisons with literals, `null` or numbers (hardcoded-credential and default-credential',
        'cover literal secrets); MAC *addresses* (`peer_mac`, `bssid`, `memcmp(…, 6)`), log `TAG`s and unkeyed',
        'firmware digests; a password compared with its confirmation (`password == confirm_password`); calls that',
        'are already constant time (`hmac.compare_digest`, `MessageDigest.isEqual`, `crypto.timingSafeEqual`,',
        '`CRYPTO_memcmp`, `mbedtls_ct_memcmp`); test sources.',
      ].join('\n'),
      risk: [
        'An early-exit comparison returns sooner the earlier the first wrong byte is. An attacker on the hospital',
        'network, or within BLE range of a pump or monitor, who can send many forged commands and time the',
        'rejections learns the correct MAC or token one byte at a time, then forges therapy commands or session',
        'tokens that the device accepts. Timing attacks of this kind have been shown over networks and against',
        'embedded bootloaders and BLE peripherals.',
      ].join('\n'),
      fix: [
        'Compare secrets with a constant-time function over their full, fixed length: `mbedtls_ct_memcmp()` or',
        '`CRYPTO_memcmp()` in C, `hmac.compare_digest()` in Python, `MessageDigest.isEqual()` on the JVM, and',
        '`crypto.timingSafeEqual()` in Node after checking that both Buffers have the expected length. Better',
        'still, let the library verify: `mbedtls_gcm_auth_decrypt`, `Mac.doFinal` + `isEqual`, `hmac.verify`-style APIs.',
      ].join('\n'),
      examples: [
        {
          language: 'c',
          bad: 'bool command_is_authentic(const uint8_t *rx_mac, const uint8_t *expected_mac) {\n    return memcmp(rx_mac, expected_mac, 32) == 0;\n}\n',
          good: 'bool command_is_authentic(const uint8_t *rx_mac, const uint8_t *expected_mac) {\n    return mbedtls_ct_memcmp(rx_mac, expected_mac, 32) == 0;\n}\n',
        },
        {
          language: 'python',
          bad: 'import hmac\n\ndef webhook_ok(signature, expected_signature):\n    return signature == expected_signature\n',
          good: 'import hmac\n\ndef webhook_ok(signature, expected_signature):\n    return hmac.compare_digest(signature, expected_signature)\n',
        },
        {
          language: 'typescript',
          bad: 'export function isValidSession(token: string, sessionToken: string): boolean {\n  return token === sessionToken;\n}\n',
          good: 'export function isValidSession(token: Buffer, sessionToken: Buffer): boolean {\n  return token.length === sessionToken.length && crypto.timingSafeEqual(token, sessionToken);\n}\n',
        },
      ],
      fixSafety: [
        'Offered as a suggestion, never applied in bulk, and only where the replacement is a drop-in: Python `a == b`',
        '→ `hmac.compare_digest(a, b)` when `hmac` is imported (it raises TypeError for non-ASCII `str` or mixed',
        'str/bytes operands); C `memcmp` → `mbedtls_ct_memcmp`/`CRYPTO_memcmp` when their header is included and',
        'the result is only tested against zero; Java/Kotlin `Arrays.equals`/`contentEquals` → `MessageDigest.isEqual`',
        'when it is imported (byte arrays only). No fix for strings in Java/Kotlin or for Node: `timingSafeEqual`',
        'needs equal-length Buffers and throws otherwise, so the conversion and length check must be written by hand.',
      ].join('\n'),
      references: [
        { title: 'CWE-208: Observable Timing Discrepancy', url: 'https://cwe.mitre.org/data/definitions/208.html' },
        { title: 'Python hmac.compare_digest', url: 'https://docs.python.org/3/library/hmac.html#hmac.compare_digest' },
        { title: 'Node.js crypto.timingSafeEqual', url: 'https://nodejs.org/api/crypto.html#cryptotimingsafeequala-b' },
        { title: 'Java MessageDigest.isEqual', url: 'https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/security/MessageDigest.html#isEqual(byte%5B%5D,byte%5B%5D)' },
      ],
    },
  },
  check: findNonConstantTimeComparisons,
} satisfies Rule;

export default rule;

/** An ALL_CAPS identifier, possibly behind a cast: `SIG_ERR`, `(PinName)NC`, `Mode.DCM_START_STREAM_SIG`. */
function isNamedConstant(text: string): boolean {
  const bare = text.trim().replace(/^\(\s*[A-Za-z_][\w\s*]*\)\s*/, '');
  return /^(?:[A-Za-z_]\w*(?:\.|::|->))*[A-Z][A-Z0-9_]*$/.test(bare) && /[A-Z]/.test(bare);
}
