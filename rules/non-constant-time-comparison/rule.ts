/**
 * non-constant-time-comparison: a MAC, HMAC, signature, authentication tag, token, password or password
 * hash compared with an early-exit comparison (`memcmp`, `strcmp`, `==`, `equals`, `Arrays.equals`)
 * instead of a constant-time one. The time to the first differing byte leaks how much of a forged value
 * is right, which lets an attacker on the network build a valid one byte by byte.
 */
import type { Comparison, FunctionDef, Import } from '../../server/src/core/model/types';
import type { Fix, RuleContext, Span } from '../../server/src/core/types';
import {
  classifySecretOperand,
  isLiteralOperand,
  isPolicyOperand,
  isPublicOperand,
  isRepeatedEntry,
  operandName,
  type SecretOperand,
} from './names';
import { ComparisonEvidence, type SideEvidence } from './evidence';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';
import { identifierWords } from '../_shared/identifier-words';

export default defineRule({
  meta: {
    id: 'non-constant-time-comparison',
    title: 'MAC, token or password compared in non-constant time',
    severity: 'medium',
    confidence: 'medium',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [208],
    fda: ['app1.A.1', 'app1.C.1', '524b.b2'],
    sees: {
      'app1.A.1': 'MACs, tokens and passwords compared in non-constant time',
      'app1.C.1': 'MACs and tags compared in non-constant time',
    },
    iec62443: ['CR 1.14', 'CR 3.1'],
    fix: 'suggestion',
    presets: ['recommended'],
    docs,
  },
  check: findNonConstantTimeComparisons,
});

const EARLY_EXIT_OPERATORS = new Set([
  '==',
  '!=',
  '===',
  '!==',
  'equals',
  'contentEquals',
  'strcmp',
  'strncmp',
  'memcmp',
  'bcmp',
  'strcasecmp',
  'strncasecmp',
  'Arrays.equals',
  'equalsIgnoreCase',
  'compareTo',
  'String.equals',
]);

/** Methods that implement an object's equality protocol: they compare state field by field. */
const STRUCTURAL_EQUALITY = /^(?:equals|__eq__|__ne__|compareTo|compare|hashCode|areContentsTheSame|areItemsTheSame|isSame\w*)$/;

const CONSTANT_TIME: Readonly<Record<string, string>> = {
  c: '`mbedtls_ct_memcmp()` (mbedtls/constant_time.h) or `CRYPTO_memcmp()` (OpenSSL) over the full length',
  cpp: '`mbedtls_ct_memcmp()` (mbedtls/constant_time.h) or `CRYPTO_memcmp()` (OpenSSL) over the full length',
  python: '`hmac.compare_digest()`',
  java: '`MessageDigest.isEqual()` on the bytes',
  kotlin: '`MessageDigest.isEqual()` on the bytes',
  typescript: '`crypto.timingSafeEqual()` on equal-length Buffers (check the lengths first; it throws otherwise)',
  javascript: '`crypto.timingSafeEqual()` on equal-length Buffers (check the lengths first; it throws otherwise)',
};

/** A test's assertion statement or call: `assert encoded == expected`, `assertTrue(a.equals(b))`, `EXPECT_TRUE(a == b)`. */
const TEST_ASSERTION = /^\s*(?:assert\b|(?:[\w.]*\.)?(?:assert\w*|expect\w*|EXPECT_\w+|ASSERT_\w+|TEST_ASSERT\w*)\s*\()/;

/**
 * In test code, a comparison that a test assertion makes checks the code under test against the test's expected
 * value (an encoded test vector, a fixture password): nobody times it and nothing is granted by it.
 */
function isTestAssertion(content: string, offset: number): boolean {
  const lineStart = content.lastIndexOf('\n', offset - 1) + 1;
  return TEST_ASSERTION.test(content.slice(lineStart, offset));
}

function findNonConstantTimeComparisons(ctx: RuleContext): void {
  const { model } = ctx;
  const content = ctx.text.content;
  const comparisons: Comparison[] = [...model.comparisons];
  // Java's `Arrays.equals(a, b)` is a call, not a comparison, in the model.
  for (const call of model.calls) {
    if (call.name === 'equals' && /(?:^|\.)Arrays$/.test(call.receiver?.text ?? '') && call.args.length === 2) {
      comparisons.push({
        start: call.start,
        end: call.end,
        operator: 'Arrays.equals',
        left: call.args[0],
        right: call.args[1],
        fn: call.fn,
      });
    }
  }

  const evidence = new ComparisonEvidence(ctx);
  const orm = ctx.language === 'python' && model.imports.some((i) => ORM_MODULE.test(i.module));
  for (const comparison of comparisons) {
    if (!EARLY_EXIT_OPERATORS.has(comparison.operator) || !evidence.comparesContents(comparison)) continue;
    const { left, right } = comparison;
    if (isLiteralOperand(left) || isLiteralOperand(right)) continue;
    // `memcmp(mac, peer_mac, 6)` compares MAC addresses (6 bytes), not message authenticators.
    if (
      /^(?:memcmp|bcmp)$/.test(comparison.operator) &&
      /^\s*,\s*(?:6|ETH_ALEN|ESP_BD_ADDR_LEN|BD_ADDR_LEN|sizeof\s*\(\s*(?:esp_bd_addr_t|bt_addr_t|bd_addr_t)\s*\))\s*\)/.test(
        content.slice(right.end, right.end + 40),
      )
    )
      continue;
    const names = [operandName(left), operandName(right)];
    if (names.some((name) => isPolicyOperand(name ?? '')) || [left, right].some((side) => isPublicOperand(side.text))) continue;
    if (names[0] && names[1] && isRepeatedEntry(names[0], names[1])) continue;
    // `x == SIG_ERR`, `pin != (PinName)NC`, `code == KEY_INCREMENT_PIN`: a scalar tested against a named
    // constant (macro or enum) is a status or command code, not a secret held in memory (seen in real code).
    if (/^[=!]==?$/.test(comparison.operator) && (isNamedConstant(left.text) || isNamedConstant(right.text))) continue;
    // `identityType === UserIdentityType.UsernameAndPasscode`: a member of a type or mode enumeration names a kind of
    // credential; its own name says passcode, but the values compared are the enumeration's tags.
    if (isCategoryMember(left.text) || isCategoryMember(right.text)) continue;
    // `equals()`/`__eq__`/`compareTo()` compare two objects field by field: state, not a credential check.
    if (STRUCTURAL_EQUALITY.test(comparison.fn?.name ?? '')) continue;
    if (isConstructorSelfCheck(comparison.fn, left.text.trim(), right.text.trim())) continue;
    if (ctx.inTestCode && isTestAssertion(content, comparison.start)) continue;
    if (orm && (isMappedColumn(left.text) || isMappedColumn(right.text))) continue;
    const sides = [evidence.side(left), evidence.side(right)] as const;
    const secret = secretOf(names, sides);
    if (!secret || !corroborated(comparison, sides)) continue;
    const how = /^[=!]==?$/.test(comparison.operator) ? `\`${comparison.operator}\`` : `${comparison.operator}()`;
    const fix = fixFor(comparison);
    ctx.report({
      span: comparison,
      message: `${secret.what} is compared with ${how}, which stops at the first differing byte: by timing responses, an attacker on the network can recover a valid ${secret.label} byte by byte and forge commands or log in. Use ${CONSTANT_TIME[ctx.language] ?? 'a constant-time comparison'}.`,
      ...(fix ? { fixes: [fix] } : {}),
    });
  }

  /**
   * What secret the comparison holds: a credential or authenticator by name (an ambiguous single word such as
   * `pin` or `token` only when flow or API semantics back it), else a keyed authenticator computed by an API,
   * else a request header or parameter that carries a credential.
   */
  function secretOf(names: readonly (string | undefined)[], sides: readonly SideEvidence[]): { what: string; label: string } | undefined {
    const named = names.map((name) => (name ? classifySecretOperand(name) : undefined)).filter((s): s is SecretOperand => !!s);
    const best = named.find((s) => !s.bare) ?? named[0];
    // Addresses and audio settings are stored and received too: for `mac`/`mic` only a credential-like source counts.
    const backed = sides.some(
      (s) => s.authenticator || s.credentialField || s.storedSecret || (!best?.addressLike && (s.stored || s.external)),
    );
    if (best && (!best.bare || backed)) return { what: `The ${best.label} '${best.name}'`, label: best.label };
    const computed = sides.find((s) => s.authenticator);
    if (computed) return { what: `The authenticator computed by ${computed.authenticator}()`, label: 'MAC' };
    const stored = sides.find((s) => s.storedSecret)?.storedSecret;
    if (stored) return { what: `The ${stored.label} stored under '${stored.key}'`, label: stored.label };
    const field = sides.find((s) => s.credentialField)?.credentialField;
    if (field) return { what: `The request's '${field}' credential`, label: 'credential' };
    return undefined;
  }

  /**
   * Flow evidence that a secret meets outside input here: neither side a constant (magic numbers, status codes,
   * header names), one side able to carry input, no fresh challenge (a timing oracle on it yields nothing
   * reusable), not a storage key compared by name, not change detection before a store.
   */
  function corroborated(comparison: Comparison, sides: readonly SideEvidence[]): boolean {
    if (sides.some((s) => s.constant || s.challenge || s.publicKey)) return false;
    if (!sides.some((s) => s.input)) return false;
    if (evidence.isStorageKey(comparison, comparison.left) || evidence.isStorageKey(comparison, comparison.right)) return false;
    if (evidence.sameRecord(comparison.left, comparison.right)) return false;
    return !evidence.isChangeDetection(comparison, [comparison.left, comparison.right]);
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
    const replacement = model.imports.some((i) => /mbedtls\/constant_time\.h$/.test(i.module))
      ? 'mbedtls_ct_memcmp'
      : model.imports.some((i) => /openssl\/crypto\.h$/.test(i.module))
        ? 'CRYPTO_memcmp'
        : undefined;
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
    if (
      !model.imports.some(
        (i) =>
          (i.module === 'java.security' && (i.name === 'MessageDigest' || i.name === '*')) || i.module === 'java.security.MessageDigest',
      )
    )
      return undefined;
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

/**
 * `Validate.isTrue(Arrays.equals(this.hmacKey, hmacKey))` in a constructor: the field was just built from the
 * same argument, so the comparison asserts a round trip of the object's own state; no secret meets input. The same
 * comparison in any other method checks a stored value against what a caller sends, and stays reported.
 */
/** Python ORMs whose mapped classes overload `==` on their columns: `Model.column == x` builds a SQL predicate. */
const ORM_MODULE = /^(?:sqlalchemy|sqlmodel|peewee)(?:\.|$)/;

/**
 * `DeviceRegistration.device_token`: a column of a mapped class (a CamelCase class name, not an ALL_CAPS constant or
 * an instance). Compared, it yields an expression the database evaluates, so no bytes are compared in the process.
 */
function isMappedColumn(text: string): boolean {
  return /^[A-Z][a-z0-9]\w*\.[a-z_]\w*$/.test(text.trim());
}

function isConstructorSelfCheck(fn: FunctionDef | undefined, left: string, right: string): boolean {
  if (!fn || !(fn.name === fn.className || CONSTRUCTOR_NAMES.has(fn.name))) return false;
  const [field, argument] = OWN_FIELD.test(left) ? [left, right] : [right, left];
  if (!OWN_FIELD.test(field) || OWN_FIELD.test(argument)) return false;
  return field.replace(OWN_FIELD, '') === argument && fn.params.includes(argument);
}

const OWN_FIELD = /^(?:this|self)\./;

const CONSTRUCTOR_NAMES = new Set(['__init__', 'constructor', 'init']);

function moduleImported(imports: readonly Import[], modules: readonly string[]): string | undefined {
  for (const module of modules) {
    if (imports.some((i) => i.module === module && !i.name && (i.local ?? module) === module)) return module;
  }
  return undefined;
}

/** Last words of an enumeration's name that make it a set of categories: `AuthType`, `LoginMode`, `CredentialKind`. */
const CATEGORY_WORDS = new Set(['type', 'kind', 'mode', 'method', 'scheme', 'category', 'level', 'enum']);

/** `UserIdentityType.UsernameAndPasscode`, `AuthMethod.PASSWORD`: a capitalised member of a category-named enumeration. */
function isCategoryMember(text: string): boolean {
  const member = /^(?:[A-Za-z_]\w*\.)*([A-Z]\w*)\.[A-Z]\w*$/.exec(text.trim());
  if (!member) return false;
  const words = identifierWords(member[1]);
  return CATEGORY_WORDS.has(words[words.length - 1] ?? '');
}

/** An ALL_CAPS identifier, possibly behind a cast: `SIG_ERR`, `(PinName)NC`, `Mode.DCM_START_STREAM_SIG`. */
function isNamedConstant(text: string): boolean {
  const bare = text.trim().replace(/^\(\s*[A-Za-z_][\w\s*]*\)\s*/, '');
  return /^(?:[A-Za-z_]\w*(?:\.|::|->))*[A-Z][A-Z0-9_]*$/.test(bare) && /[A-Z]/.test(bare);
}
