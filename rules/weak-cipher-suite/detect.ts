/** `weak-cipher-suite` detectors: where each language family hands a cipher list to its TLS stack. */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { Fix, RuleContext, Span } from '../../server/src/core/types';
import { ValueIndex } from '../_shared/values';
import { lastSegment } from '../_shared/syntax';
import { classesOfSuiteName, describeClasses, evaluateOpensslCipherString, WEAK_CLASS_EXCLUSION, type WeakClass } from './parse';
import { pushAll } from '../../server/src/core/arrays';

export interface WeakCipherFinding {
  span: Span;
  message: string;
  fix?: Fix;
}

const WHY = 'a network attacker can then decrypt, forge or impersonate the session';

/** A finding for an OpenSSL-syntax cipher string, with a suggestion that appends the missing exclusions. */
function opensslStringFinding(where: string, literal: Expr, direct: boolean): WeakCipherFinding | undefined {
  const verdict = evaluateOpensslCipherString(literal.value ?? '');
  if (!verdict || (!verdict.weak.length && !verdict.securityLevelZero)) return undefined;
  const parts: string[] = [];
  if (verdict.weak.length) parts.push(`enables ${describeClasses(verdict.weak)} suites`);
  if (verdict.securityLevelZero) parts.push('sets @SECLEVEL=0, which re-allows every weak suite and key size the library has');
  const exclusions = verdict.weak.map((c: WeakClass) => WEAK_CLASS_EXCLUSION[c]).join(':');
  const fix: Fix | undefined =
    direct && literal.content && exclusions && !verdict.securityLevelZero
      ? {
          title: `Exclude the weak suites (${exclusions})`,
          safety: 'suggestion',
          edits: [{ span: { start: literal.content.end, end: literal.content.end }, newText: `:${exclusions}` }],
        }
      : undefined;
  return {
    span: literal,
    message: `The cipher list "${literal.value}" passed to ${where} ${parts.join(' and ')}: ${WHY}. Use "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES" or, better, only ECDHE with AES-GCM or ChaCha20.`,
    fix,
  };
}

function suiteNameFindings(elements: Expr[], where: string): WeakCipherFinding[] {
  const out: WeakCipherFinding[] = [];
  for (const element of elements) {
    const name = element.kind === 'string' ? (element.value ?? '') : lastSegment(element.kind === 'name' ? (element.value ?? '') : '');
    const classes = classesOfSuiteName(name);
    if (!classes.length) continue;
    out.push({
      span: element,
      message: `${name} in ${where} is a weak suite (${describeClasses(classes)}): ${WHY}. Remove it and keep ECDHE suites with AES-GCM or ChaCha20-Poly1305.`,
    });
  }
  return out;
}

// ---------------------------------------------------------------- C and C++

const OPENSSL_CIPHER_LIST = new Set([
  'SSL_CTX_set_cipher_list',
  'SSL_set_cipher_list',
  'wolfSSL_CTX_set_cipher_list',
  'wolfSSL_set_cipher_list',
]);
const CURL_CIPHER_OPTIONS = new Set(['CURLOPT_SSL_CIPHER_LIST', 'CURLOPT_PROXY_SSL_CIPHER_LIST']);
const MBEDTLS_CIPHERSUITES = new Set(['mbedtls_ssl_conf_ciphersuites', 'mbedtls_ssl_conf_ciphersuites_for_version']);

function stringArg(values: ValueIndex, call: Call, arg: Expr | undefined): { literal: Expr; direct: boolean } | undefined {
  const found = values.stringOf(arg, call);
  return found ? { literal: found.expr, direct: arg === found.expr } : undefined;
}

export function findNativeWeakCiphers(ctx: RuleContext): WeakCipherFinding[] {
  const out: WeakCipherFinding[] = [];
  const values = new ValueIndex(ctx.model);
  const reportedArrays = new Set<number>();
  for (const call of ctx.model.calls) {
    if (OPENSSL_CIPHER_LIST.has(call.name)) {
      const arg = stringArg(values, call, call.args[1]);
      const finding = arg && opensslStringFinding(`${call.name}()`, arg.literal, arg.direct);
      if (finding) out.push({ ...finding, span: call.args[1] });
    } else if (call.name === 'curl_easy_setopt' && call.args[1]?.kind === 'name' && CURL_CIPHER_OPTIONS.has(call.args[1].value ?? '')) {
      const arg = stringArg(values, call, call.args[2]);
      const finding = arg && opensslStringFinding(call.args[1].value!, arg.literal, arg.direct);
      if (finding) out.push({ ...finding, span: call.args[2] });
    } else if (MBEDTLS_CIPHERSUITES.has(call.name)) {
      const list = call.args[1];
      if (list?.kind !== 'name') continue;
      const array = values.bindingsOf(list.value ?? '', call).find((b) => b.value.kind === 'array');
      if (!array || reportedArrays.has(array.value.start)) continue;
      reportedArrays.add(array.value.start);
      pushAll(out, suiteNameFindings(array.value.elements ?? [], `the ciphersuite list ${list.value} given to ${call.name}()`));
    }
  }
  return out;
}

// ---------------------------------------------------------------- Python

export function findPythonWeakCiphers(ctx: RuleContext): WeakCipherFinding[] {
  const out: WeakCipherFinding[] = [];
  const values = new ValueIndex(ctx.model);
  for (const call of ctx.model.calls) {
    const arg = call.name === 'set_ciphers' ? call.args[0] : call.named.find((p) => p.key === 'ciphers')?.value;
    if (!arg) continue;
    const found = stringArg(values, call, arg);
    const finding = found && opensslStringFinding(`${call.callee}()`, found.literal, found.direct);
    if (finding) out.push({ ...finding, span: arg });
  }
  return out;
}

// ---------------------------------------------------------------- Node

export function findNodeWeakCiphers(ctx: RuleContext): WeakCipherFinding[] {
  const out: WeakCipherFinding[] = [];
  for (const b of ctx.model.bindings) {
    const property = b.kind === 'property' || (b.kind === 'assignment' && b.target.includes('.'));
    if (!property || (b.name !== 'ciphers' && b.name !== 'DEFAULT_CIPHERS') || b.value.kind !== 'string') continue;
    const finding = opensslStringFinding(`the ${b.name} option`, b.value, true);
    if (finding) out.push(finding);
  }
  return out;
}

// ---------------------------------------------------------------- Java and Kotlin

const ARRAY_BUILDERS = new Set(['arrayOf', 'listOf', 'asList', 'of', 'mutableListOf', 'setOf']);

function elementsOf(values: ValueIndex, at: { fn?: Call['fn'] }, arg: Expr | undefined): Expr[] {
  const resolved = arg?.kind === 'name' ? values.resolve(arg, at) : arg;
  if (!resolved) return [];
  if (resolved.kind === 'array') return resolved.elements ?? [];
  if (resolved.call && ARRAY_BUILDERS.has(resolved.call.name)) return resolved.call.args;
  return [resolved];
}

export function findJvmWeakCiphers(ctx: RuleContext): WeakCipherFinding[] {
  const out: WeakCipherFinding[] = [];
  const values = new ValueIndex(ctx.model);
  for (const call of ctx.model.calls) {
    if (call.name === 'setEnabledCipherSuites') {
      pushAll(
        out,
        suiteNameFindings(
          elementsOf(values, call, call.args[0]).filter((e) => e.kind === 'string'),
          'setEnabledCipherSuites()',
        ),
      );
    } else if (call.name === 'cipherSuites') {
      // OkHttp ConnectionSpec.Builder.cipherSuites(CipherSuite.X, ...) or (vararg String).
      const elements = call.args.filter(
        (a) => (a.kind === 'name' && /(?:^|\.)CipherSuite\.\w+$/.test(a.value ?? '')) || a.kind === 'string',
      );
      pushAll(out, suiteNameFindings(elements, 'the OkHttp ConnectionSpec'));
    }
  }
  for (const b of ctx.model.bindings) {
    if (b.name !== 'enabledCipherSuites' || b.kind !== 'assignment') continue;
    pushAll(
      out,
      suiteNameFindings(
        elementsOf(values, b, b.value).filter((e) => e.kind === 'string'),
        'enabledCipherSuites',
      ),
    );
  }
  return out;
}
