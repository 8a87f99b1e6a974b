/**
 * weak-hash detection per language family. Each collector turns the code model into `WeakHashHit`s (where,
 * which algorithm, how it is used, the SHA-256 edit when one is unambiguous); the rule then weighs context
 * and words the finding.
 */
import type { Binding, Call, CodeModel, Expr } from '../../server/src/core/model/types';
import type { LanguageId, Span, TextEdit } from '../../server/src/core/types';
import { byLanguageFamily } from '../_shared/language-family';
import type { ValueFlow } from '../../server/src/core/flow/value-flow';
import type { ProjectCondition } from '../../server/src/core/types';
import { isSettingKey, strongSettingCondition, weakSettingCondition } from './settings';
import type { SourceText } from '../../server/src/core/text';
import {
  C_DIGEST_BY_NAME,
  C_DIGEST_BY_NAME_FIXABLE,
  C_WEAK_CONSTANTS,
  C_WEAK_FUNCTIONS,
  CRYPTO_JS_METHODS,
  DIGEST_ALGORITHM_CONSTANTS,
  DIGEST_UTILS_METHODS,
  GUAVA_HASHING,
  JS_WEAK_PACKAGES,
  PYTHON_WEAK_CALLEES,
  sha256Spelling,
  weakAlgorithmOfName,
} from './algorithms';
import type { HashUse, WeakAlgorithm } from './algorithms';
import { NonCodeSpans, canonicalPythonCallee, cppTypeDeclarations, jsDefaultImports, pythonImports } from '../_shared/imports';
import { pushAll } from '../../server/src/core/arrays';

export interface WeakHashHit {
  /** What the finding underlines: the weak name, literal or constant. */
  span: Span;
  algorithm: WeakAlgorithm;
  use: HashUse;
  /** The API as the message shows it: `hashlib.md5()`, `MessageDigest.getInstance("MD5")`. */
  api: string;
  /** The call the hit belongs to (for context words and the enclosing function). */
  call?: Call;
  /** The SHA-256 replacement, when it keeps the same API shape. */
  fix?: { title: string; edit: TextEdit };
  /** What the message calls the algorithm when it is not one name (one set in a configuration file). */
  algorithmLabel?: string;
  /** The project conditions of a finding that a configuration file of the project settles (settings.ts). */
  when?: ProjectCondition;
  unless?: ProjectCondition;
}

export interface DetectInput {
  language: LanguageId;
  model: CodeModel;
  text: SourceText;
  flow?: ValueFlow;
}

/** Configuration reads whose first argument is the key of a setting (and the last, if any, its default). */
const SETTING_READS = /^(?:getProperty|getString|getValue|getOrDefault)$/;

/** The settings an argument is read from: `props.getProperty("hash.algorithm", "SHA-256")` → hash.algorithm. */
function settingReadsOf(arg: Expr | undefined, flow: ValueFlow | undefined): { key: string; keyExpr: Expr; read: Call }[] {
  if (!arg || !flow) return [];
  const out: { key: string; keyExpr: Expr; read: Call }[] = [];
  for (const origin of flow.origins(arg)) {
    const read = 'call' in origin && origin.call ? origin.call : 'expr' in origin ? origin.expr.call : undefined;
    if (!read || !SETTING_READS.test(read.name) || !read.args.length) continue;
    const key = flow.constant(read.args[0])?.value;
    if (key && isSettingKey(key)) out.push({ key, keyExpr: read.args[0], read });
  }
  return out;
}

/** Configuration reads whose last argument is the default used when the setting is absent. */
const READS_WITH_DEFAULT = /^(?:getProperty|getOrDefault|get|getString|optString|getenv|getValue)$/;

/**
 * The algorithm names an argument can hold by the data-flow layer, where the syntax alone does not say: a
 * literal passed into a helper's parameter at a call site (`genHash(key, 'sha1')`), a fallback
 * (`options.algorithm || 'md5'`), the default of a configuration read (`props.getProperty("hash.alg", "MD5")`,
 * `os.environ.get("ALG", "md5")`), a local set in another branch.
 */
function flowAlgorithmNames(arg: Expr | undefined, flow: ValueFlow | undefined, depth = 0): { expr: Expr; value: string; via: string }[] {
  if (!arg || !flow || depth > 4) return [];
  const out: { expr: Expr; value: string; via: string }[] = [];
  // `options.algorithm || 'md5'`, `alg ?? "SHA-1"`, `a if x else 'md5'`: each alternative is a value (the
  // data-flow layer reads string parts of an expression as template text).
  if (arg.kind === 'other' && /^(?:\|\||\?\?|or|\?:)$/.test(arg.operator ?? '')) {
    for (const part of arg.parts?.() ?? []) {
      if (part.kind === 'string') out.push({ expr: part, value: part.value ?? '', via: '' });
      else pushAll(out, flowAlgorithmNames(part, flow, depth + 1));
    }
    return out;
  }
  for (const origin of flow.origins(arg)) {
    if (origin.kind === 'literal' && origin.expr.kind === 'string') {
      out.push({ expr: origin.expr, value: origin.expr.value ?? '', via: origin.steps.map((s) => s.label).join(' ← ') });
    } else if ((origin.kind === 'source' || origin.kind === 'unknown') && 'call' in origin && origin.call) {
      const read = origin.call;
      const fallback = read.args[read.args.length - 1];
      if (READS_WITH_DEFAULT.test(read.name) && read.args.length >= 2 && fallback?.kind === 'string') {
        out.push({ expr: fallback, value: fallback.value ?? '', via: `the default of ${read.callee}()` });
      }
    }
  }
  return out;
}

/** Weak algorithms an argument reaches only through flow: reported at the literal that names them. */
function flowHits(
  call: Call,
  arg: Expr | undefined,
  flow: ValueFlow | undefined,
  use: (named: HashUse) => HashUse | undefined,
): WeakHashHit[] {
  const hits: WeakHashHit[] = [];
  const settings = settingReadsOf(arg, flow);
  for (const alternative of flowAlgorithmNames(arg, flow)) {
    const weak = weakAlgorithmOfName(alternative.value);
    const hashUse = weak && use(weak.use);
    if (!weak || !hashUse) continue;
    const via = alternative.via ? ` (via ${alternative.via})` : '';
    // A weak default stands unless the project's configuration file sets the key to a strong algorithm.
    const setting = settings.find((s) => s.read.args[s.read.args.length - 1] === alternative.expr);
    hits.push({
      span: alternative.expr,
      algorithm: weak.algorithm,
      use: hashUse,
      api: `${call.callee}() with "${alternative.value}"${via}`,
      call,
      ...(setting ? { unless: strongSettingCondition(setting.key) } : {}),
    });
  }
  // A strong default, or none: weak only when the project's configuration file sets the key to a weak algorithm.
  // Not under HMAC: HMAC-SHA1 is an approved MAC, and HMAC-MD5 from a setting is left to the literal cases.
  const named = use('digest') ?? use('signature');
  for (const setting of settings) {
    const fallback = setting.read.args.length >= 2 ? setting.read.args[setting.read.args.length - 1] : undefined;
    if (fallback?.kind === 'string' && weakAlgorithmOfName(fallback.value ?? '')) continue;
    if (!named) continue;
    hits.push({
      span: setting.keyExpr,
      algorithm: 'MD5',
      algorithmLabel: `the algorithm a configuration file of the project sets for '${setting.key}' (MD5 or SHA-1)`,
      use: named,
      api: `${call.callee}() with the '${setting.key}' setting`,
      call,
      when: weakSettingCondition(setting.key),
    });
  }
  return hits;
}

/** A value an argument resolves to: a literal, or a same-file constant it names. */
interface Resolved {
  kind: 'string' | 'name';
  value: string;
  expr: Expr;
  via?: string;
}

const lastSegments = (callee: string, n: number) => callee.split('.').slice(-n).join('.');

/** Bindings by full target and, for constants, by last segment: built once per file. */
class BindingIndex {
  private readonly byTarget = new Map<string, Binding[]>();
  private readonly constantsByName = new Map<string, Binding[]>();

  constructor(bindings: readonly Binding[]) {
    for (const b of bindings) {
      // Parameter defaults and object-literal keys are not variables an argument can name.
      if (b.kind === 'default' || b.kind === 'property') continue;
      push(this.byTarget, b.target, b);
      if (b.constant) push(this.constantsByName, b.name, b);
    }
  }

  /** `ALG` → its bindings; `Config.ALG` → constants named `ALG`. */
  lookup(name: string): Binding[] {
    const direct = this.byTarget.get(name) ?? [];
    if (direct.length || !name.includes('.')) return direct;
    return this.constantsByName.get(name.split('.').pop()!) ?? [];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Resolves a string literal or an identifier, following same-file constants (`static final String ALG = "MD5"`, `#define ALG ...`). */
function resolve(expr: Expr | undefined, bindings: BindingIndex, call?: Call, depth = 0): Resolved | undefined {
  if (!expr) return undefined;
  if (expr.kind === 'string' && expr.value !== undefined) return { kind: 'string', value: expr.value, expr };
  if (expr.kind !== 'name' || !expr.value) return undefined;
  const name = expr.value;
  // A parameter of the enclosing function shadows any same-named constant.
  if (call?.fn?.params.includes(name)) return undefined;
  const candidates = bindings.lookup(name);
  if (candidates.length && depth < 3) {
    // Every binding of the name must agree, or the value is not known here.
    const values = candidates.map((b) => resolve(b.value, bindings, undefined, depth + 1));
    const first = values[0];
    if (first && values.every((v) => v && v.kind === first.kind && v.value === first.value)) {
      return { ...first, expr, via: name };
    }
    return undefined;
  }
  return { kind: 'name', value: name, expr };
}

function renameEdit(call: Call, text: SourceText, newName: string): TextEdit | undefined {
  const span = { start: call.calleeSpan.end - call.name.length, end: call.calleeSpan.end };
  return text.slice(span) === call.name ? { span, newText: newName } : undefined;
}

function literalEdit(resolved: Resolved, newValue: string | undefined): TextEdit | undefined {
  const content = resolved.expr.content;
  if (resolved.via || resolved.kind !== 'string' || !content || newValue === undefined) return undefined;
  return { span: content, newText: newValue };
}

const fixOf = (edit: TextEdit | undefined, replacement: string) =>
  edit ? { title: `Use ${replacement} instead (digest length changes)`, edit } : undefined;

function argText(resolved: Resolved): string {
  return resolved.via ? `${resolved.via} = "${resolved.value}"` : resolved.expr.text;
}

/** The use a callee's name implies for a weak hash passed to it: HMAC, signature, or a plain digest. */
export function useOfCallee(callee: string): HashUse {
  if (/hmac/i.test(callee)) return 'hmac';
  const words = callee
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  if (words.some((w) => ['sign', 'verify', 'signature', 'signer', 'verifier'].includes(w))) return 'signature';
  return 'digest';
}

const LOGGING_CALL =
  /^(?:printf|fprintf|snprintf|sprintf|printk|puts|ESP_LOG[A-Z]|ESP_EARLY_LOG[A-Z]|LOG_[A-Z]+|NRF_LOG_\w+|print|println|assert)$/;

// ---------------------------------------------------------------------------------------------- C / C++

/** Every name of `C_WEAK_FUNCTIONS` holds one of these (case aside): a call without one is not tried against each. */
const WEAK_FUNCTION_HINT = /md[245]|sha/i;
/** The last segment of each `C_WEAK_CONSTANTS` name, as a word (`QCryptographicHash::Md5` is written with `::`). */
const WEAK_CONSTANT_WORD = new RegExp(
  `\\b(?:${[...new Set(Object.keys(C_WEAK_CONSTANTS).map((name) => name.split('.').pop()!))].join('|')})\\b`,
);

function detectC(input: DetectInput): WeakHashHit[] {
  const { model, text, language } = input;
  const hits: WeakHashHit[] = [];
  const bindings = new BindingIndex(model.bindings);
  // One finding per API family per function: `MD5_Init`, `MD5_Update`, `MD5_Final` are one use of MD5.
  const familiesSeen = new Set<string>();
  // A weak selector constant is a name written in this file (passed, or bound to a name that is passed): a file
  // without one has no argument to resolve, and its calls' arguments are never looked at.
  const mentionsWeakConstant = WEAK_CONSTANT_WORD.test(text.content);
  for (const call of model.calls) {
    const plain = call.callee === call.name;
    if (plain && WEAK_FUNCTION_HINT.test(call.name)) {
      for (const [index, fn] of C_WEAK_FUNCTIONS.entries()) {
        const m = fn.pattern.exec(call.name);
        if (!m) continue;
        const family = `${call.fn?.start ?? -1}:${index}:${fn.algorithm(m)}`;
        if (!fn.fix && familiesSeen.has(family)) break;
        familiesSeen.add(family);
        const edit = fn.fix ? renameEdit(call, text, fn.fix) : undefined;
        hits.push({
          span: call.calleeSpan,
          algorithm: fn.algorithm(m),
          use: fn.use,
          api: `${call.name}()`,
          call,
          fix: fixOf(edit, `${fn.fix}()`),
        });
        break;
      }
    }
    if (language === 'cpp' && call.name === 'setMD5' && call.receiver) {
      hits.push({ span: call.calleeSpan, algorithm: 'MD5', use: 'integrity-check', api: `${call.callee}()`, call });
    }
    if (call.name === 'esp_sha' && call.args[0]?.kind === 'name' && call.args[0].value === 'SHA1') {
      hits.push({ span: call.args[0], algorithm: 'SHA-1', use: 'digest', api: 'esp_sha(SHA1, ...)', call });
    }
    const nameIndex = C_DIGEST_BY_NAME[call.name];
    if (plain && nameIndex !== undefined) {
      const resolved = resolve(call.args[nameIndex], bindings, call);
      const weak = resolved?.kind === 'string' ? weakAlgorithmOfName(resolved.value) : undefined;
      if (resolved?.kind !== 'string')
        pushAll(
          hits,
          flowHits(call, call.args[nameIndex], input.flow, (u) => (u === 'digest' ? useOfCallee(call.name) : u)),
        );
      if (resolved && weak) {
        const replacement = sha256Spelling(resolved.value);
        const edit = C_DIGEST_BY_NAME_FIXABLE.has(call.name) ? literalEdit(resolved, replacement) : undefined;
        hits.push({
          span: resolved.expr,
          algorithm: weak.algorithm,
          use: weak.use === 'digest' ? useOfCallee(call.name) : weak.use,
          api: `${call.name}(${argText(resolved)})`,
          call,
          fix: fixOf(edit, `"${replacement}"`),
        });
      }
    }
    if (!mentionsWeakConstant || LOGGING_CALL.test(call.name)) continue;
    for (const arg of call.args) {
      const resolved = resolve(arg, bindings, call);
      const constant = resolved?.kind === 'name' ? C_WEAK_CONSTANTS[resolved.value] : undefined;
      if (!resolved || !constant) continue;
      const replacement = constant.fixIn?.[call.name];
      const edit = replacement && !resolved.via ? { span: { start: arg.start, end: arg.end }, newText: replacement } : undefined;
      hits.push({
        span: arg,
        algorithm: constant.algorithm,
        use: useOfCallee(call.callee),
        api: resolved.via ? `${call.callee}(${resolved.via})` : `${call.callee}(${resolved.value.replace('.', '::')})`,
        call,
        fix: fixOf(edit, replacement ?? ''),
      });
    }
  }
  // Configuration structs: `.md_alg = MBEDTLS_MD_SHA1`, `hhash.Init.Algorithm = HASH_ALGOSELECTION_SHA1`.
  for (const binding of model.bindings) {
    // Plain locals (`alg = MBEDTLS_MD_SHA1;`) are reported where they are passed to a call instead.
    if (binding.kind !== 'property' && !(binding.kind === 'assignment' && binding.target.includes('.'))) continue;
    const value = binding.value;
    const constant = value.kind === 'name' && value.value ? C_WEAK_CONSTANTS[value.value] : undefined;
    if (constant) {
      hits.push({ span: value, algorithm: constant.algorithm, use: 'digest', api: `${binding.target} = ${value.text}` });
    }
  }
  // Arduino `MD5Builder md5;` declarations: the model records calls, not declarations without an initialiser.
  if (language === 'cpp') {
    const nonCode = new NonCodeSpans(model);
    for (const [type, algorithm] of [
      ['MD5Builder', 'MD5'],
      ['SHA1Builder', 'SHA-1'],
    ] as const) {
      for (const span of cppTypeDeclarations(text.content, type, nonCode)) {
        // `MD5Builder md5 = MD5Builder();` is already reported at the constructor call.
        const statementEnd = text.content.indexOf(';', span.end);
        if (model.calls.some((c) => c.name === type && c.start > span.start && c.start < statementEnd)) continue;
        hits.push({ span, algorithm, use: 'digest', api: type });
      }
    }
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------- Python

function usedForSecurityFalse(call: Call): boolean {
  return call.named.some((p) => p.key === 'usedforsecurity' && p.value.text === 'False');
}

function detectPython(input: DetectInput): WeakHashHit[] {
  const { model, text } = input;
  const hits: WeakHashHit[] = [];
  const bindings = new BindingIndex(model.bindings);
  const imports = pythonImports(text.content, new NonCodeSpans(model));
  const canonical = (callee: string) => {
    const c = canonicalPythonCallee(callee, imports);
    // `hashes.SHA1()` without a visible import is still the cryptography package by convention.
    return c.startsWith('hashes.') ? `cryptography.hazmat.primitives.${c}` : c;
  };
  for (const call of model.calls) {
    const callee = canonical(call.callee);
    const weak = PYTHON_WEAK_CALLEES[callee];
    if (weak) {
      if (usedForSecurityFalse(call)) continue;
      const edit = weak.fix && call.callee.includes('.') ? renameEdit(call, text, weak.fix) : undefined;
      hits.push({
        span: call.calleeSpan,
        algorithm: weak.algorithm,
        use: 'digest',
        api: `${call.callee}()`,
        call,
        fix: fixOf(edit, `${call.callee.replace(/(?<!\w)\w+$/, weak.fix ?? '')}()`),
      });
      continue;
    }
    const selector =
      callee === 'hashlib.new'
        ? { index: 0, key: 'name', use: 'digest' as HashUse }
        : callee === 'hashlib.file_digest'
          ? { index: 1, key: 'digest', use: 'digest' as HashUse }
          : callee === 'hmac.new'
            ? { index: 2, key: 'digestmod', use: 'hmac' as HashUse }
            : callee === 'hmac.digest'
              ? { index: 2, key: 'digest', use: 'hmac' as HashUse }
              : undefined;
    if (!selector || usedForSecurityFalse(call)) continue;
    const arg = call.args[selector.index] ?? call.named.find((p) => p.key === selector.key)?.value;
    const resolved = resolve(arg, bindings, call);
    if (!resolved) {
      pushAll(
        hits,
        flowHits(call, arg, input.flow, () => selector.use),
      );
      continue;
    }
    if (resolved.kind === 'string') {
      const named = weakAlgorithmOfName(resolved.value);
      if (!named) continue;
      const replacement = sha256Spelling(resolved.value);
      hits.push({
        span: resolved.expr,
        algorithm: named.algorithm,
        use: selector.use,
        api: `${call.callee}(${argText(resolved)})`,
        call,
        fix: fixOf(literalEdit(resolved, replacement), `"${replacement}"`),
      });
    } else {
      // hmac.new(key, msg, hashlib.md5): the constructor passed by reference.
      const ref = PYTHON_WEAK_CALLEES[canonical(resolved.value)];
      if (!ref) continue;
      const segment = resolved.value.split('.').pop()!;
      const edit =
        ref.fix && resolved.value.includes('.') && !resolved.via
          ? { span: { start: resolved.expr.end - segment.length, end: resolved.expr.end }, newText: ref.fix }
          : undefined;
      hits.push({
        span: resolved.expr,
        algorithm: ref.algorithm,
        use: selector.use,
        api: `${call.callee}(..., ${resolved.value})`,
        call,
        fix: fixOf(edit, ref.fix ?? ''),
      });
    }
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------- JavaScript / TypeScript

const NODE_HASH_FACTORIES: Readonly<Record<string, HashUse>> = {
  createHash: 'digest',
  createHmac: 'hmac',
  createSign: 'signature',
  createVerify: 'signature',
};

function webCryptoAlgorithmName(expr: Expr | undefined): Expr | undefined {
  if (!expr) return undefined;
  if (expr.kind === 'string') return expr;
  if (expr.kind === 'object') return expr.entries?.find((e) => e.key === 'name')?.value;
  return undefined;
}

function detectJs(input: DetectInput): WeakHashHit[] {
  const { model, text } = input;
  const hits: WeakHashHit[] = [];
  const bindings = new BindingIndex(model.bindings);
  const packages = jsDefaultImports(model);
  for (const b of model.bindings) {
    const c = b.value.kind === 'call' ? b.value.call : undefined;
    if (c && c.name === 'require' && c.args[0]?.kind === 'string' && b.kind === 'declaration') packages.set(b.target, c.args[0].value!);
  }
  const bySelector = (call: Call, arg: Expr | undefined, use: HashUse | undefined, style: 'keep' | 'hyphen', fixable: boolean) => {
    const resolved = resolve(arg, bindings, call);
    const weak = resolved?.kind === 'string' ? weakAlgorithmOfName(resolved.value) : undefined;
    if (resolved?.kind !== 'string')
      pushAll(
        hits,
        flowHits(call, arg, input.flow, (named) => use ?? named),
      );
    if (!resolved || !weak) return;
    const replacement = sha256Spelling(resolved.value, style);
    hits.push({
      span: resolved.expr,
      algorithm: weak.algorithm,
      use: use ?? weak.use,
      api: `${call.callee}(${argText(resolved)})`,
      call,
      fix: fixable ? fixOf(literalEdit(resolved, replacement), `'${replacement}'`) : undefined,
    });
  };
  for (const call of model.calls) {
    const last2 = lastSegments(call.callee, 2);
    const factoryUse = NODE_HASH_FACTORIES[call.name];
    if (factoryUse && (call.callee === call.name || call.callee.endsWith(`.${call.name}`))) {
      bySelector(call, call.args[0], factoryUse === 'digest' ? undefined : factoryUse, 'keep', factoryUse !== 'signature');
    } else if (last2 === 'crypto.hash') {
      bySelector(call, call.args[0], undefined, 'keep', true);
    } else if (last2 === 'crypto.sign' || last2 === 'crypto.verify') {
      bySelector(call, call.args[0], 'signature', 'keep', false);
    } else if (last2 === 'subtle.digest') {
      bySelector(call, webCryptoAlgorithmName(call.args[0]), 'digest', 'hyphen', true);
    } else if (last2 === 'subtle.importKey' || last2 === 'subtle.generateKey') {
      for (const arg of call.args) {
        if (arg.kind !== 'object') continue;
        const name = arg.entries?.find((e) => e.key === 'name')?.value.value?.toUpperCase() ?? '';
        if (name === 'PBKDF2' || name === 'HKDF') continue;
        bySelector(
          call,
          webCryptoAlgorithmName(arg.entries?.find((e) => e.key === 'hash')?.value),
          name === 'HMAC' ? 'hmac' : 'signature',
          'hyphen',
          false,
        );
      }
    } else if (call.receiver?.text === 'CryptoJS' && CRYPTO_JS_METHODS[call.name]) {
      const m = CRYPTO_JS_METHODS[call.name];
      hits.push({
        span: call.calleeSpan,
        algorithm: m.algorithm,
        use: m.use,
        api: `${call.callee}()`,
        call,
        fix: fixOf(renameEdit(call, text, m.fix), `CryptoJS.${m.fix}()`),
      });
    } else if (call.callee === call.name && JS_WEAK_PACKAGES[packages.get(call.name) ?? '']) {
      const pkg = packages.get(call.name)!;
      hits.push({ span: call.calleeSpan, algorithm: JS_WEAK_PACKAGES[pkg], use: 'digest', api: `${call.name}() from '${pkg}'`, call });
    }
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------- Java / Kotlin

function detectJvm(input: DetectInput): WeakHashHit[] {
  const { model, text } = input;
  const hits: WeakHashHit[] = [];
  const bindings = new BindingIndex(model.bindings);
  const usesOkio = /^[ \t]*import[ \t]+okio\./m.test(text.content);
  const resolveJca = (arg: Expr | undefined, call: Call): Resolved | undefined => {
    const r = resolve(arg, bindings, call);
    if (r?.kind === 'name') {
      const [owner, constant] = r.value.split('.').slice(-2);
      const algorithm = owner === 'MessageDigestAlgorithms' ? DIGEST_ALGORITHM_CONSTANTS[constant] : undefined;
      return algorithm ? { ...r, kind: 'string', value: algorithm, via: r.value } : undefined;
    }
    return r;
  };
  const bySelector = (call: Call, wanted: (use: HashUse) => HashUse | undefined, style: 'keep' | 'hyphen', fixable: boolean) => {
    const resolved = resolveJca(call.args[0], call);
    if (resolved?.kind !== 'string') pushAll(hits, flowHits(call, call.args[0], input.flow, wanted));
    const weak = resolved?.kind === 'string' ? weakAlgorithmOfName(resolved.value) : undefined;
    const use = weak && wanted(weak.use);
    if (!resolved || !weak || !use) return;
    const replacement = sha256Spelling(resolved.value, style);
    const api = resolved.via && /\./.test(resolved.via) ? `${call.callee}(${resolved.via})` : `${call.callee}(${argText(resolved)})`;
    hits.push({
      span: resolved.expr,
      algorithm: weak.algorithm,
      use,
      api,
      call,
      fix: fixable ? fixOf(literalEdit(resolved, replacement), `"${replacement}"`) : undefined,
    });
  };
  for (const call of model.calls) {
    const owner = call.isNew ? call.name : call.callee.split('.').slice(-2)[0];
    if (!call.isNew && call.name === 'getInstance' && owner === 'MessageDigest') {
      bySelector(call, (u) => (u === 'digest' ? 'digest' : undefined), 'hyphen', true);
    } else if (!call.isNew && call.name === 'getInstance' && owner === 'Signature') {
      bySelector(call, (u) => (u === 'signature' ? 'signature' : undefined), 'keep', false);
    } else if (!call.isNew && call.name === 'getInstance' && owner === 'Mac') {
      bySelector(call, (u) => (u === 'hmac' ? 'hmac' : undefined), 'keep', true);
    } else if ((call.isNew && call.name === 'DigestUtils') || (owner === 'DigestUtils' && call.name === 'getDigest')) {
      bySelector(call, (u) => (u === 'digest' ? 'digest' : undefined), 'hyphen', true);
    } else if (owner === 'DigestUtils' && DIGEST_UTILS_METHODS[call.name]) {
      const m = DIGEST_UTILS_METHODS[call.name];
      hits.push({
        span: call.calleeSpan,
        algorithm: m.algorithm,
        use: 'digest',
        api: `${call.callee}()`,
        call,
        fix: fixOf(renameEdit(call, text, m.fix), `DigestUtils.${m.fix}()`),
      });
    } else if (owner === 'Hashing' && GUAVA_HASHING[call.name]) {
      const m = GUAVA_HASHING[call.name];
      hits.push({
        span: call.calleeSpan,
        algorithm: m.algorithm,
        use: m.use,
        api: `${call.callee}()`,
        call,
        fix: fixOf(renameEdit(call, text, m.fix), `Hashing.${m.fix}()`),
      });
    } else if (usesOkio && call.receiver && !call.args.length && (call.name === 'md5' || call.name === 'sha1')) {
      const nameSpan = { start: call.calleeSpan.end - call.name.length, end: call.calleeSpan.end };
      hits.push({
        span: nameSpan,
        algorithm: call.name === 'md5' ? 'MD5' : 'SHA-1',
        use: 'digest',
        api: `ByteString.${call.name}()`,
        call,
        fix: fixOf(renameEdit(call, text, 'sha256'), '.sha256()'),
      });
    }
  }
  return hits;
}

export function detectWeakHashes(input: DetectInput): WeakHashHit[] {
  return byLanguageFamily<WeakHashHit[]>(
    input.language,
    { native: () => detectC(input), python: () => detectPython(input), js: () => detectJs(input), jvm: () => detectJvm(input) },
    [],
  );
}
