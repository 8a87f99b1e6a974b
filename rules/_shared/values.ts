/**
 * Same-file value resolution shared by the cryptography rules (broken-cipher, short-key, static-iv,
 * weak-random-for-security, legacy-tls-version, weak-cipher-suite, weak-password-hash): follow a name to the
 * single literal a same-file constant, `#define` or local declaration gives it, read integer literals the way
 * C, Java and Python write them, find the identifier an expression is stored into, and see through the
 * wrappers that turn a string literal into its runtime form.
 */
import type { Binding, Call, CodeModel, Expr, FunctionDef } from '../../server/src/core/model/types';
import type { Span } from '../../server/src/core/types';
import { spanIndex } from '../../server/src/core/model/span-index';

/** Bindings by full target and, for constants, by last segment: built once per file. */
export class ValueIndex {
  private byTarget?: Map<string, Binding[]>;
  private constantsByName?: Map<string, Binding[]>;

  /** Indexed on the first question: most rules make one per file and ask nothing of it in most files. */
  constructor(private readonly model: CodeModel) {}

  private index(): { byTarget: Map<string, Binding[]>; constantsByName: Map<string, Binding[]> } {
    if (!this.byTarget || !this.constantsByName) {
      this.byTarget = new Map();
      this.constantsByName = new Map();
      for (const b of this.model.bindings) {
        if (b.kind === 'property' || b.kind === 'default') continue;
        push(this.byTarget, b.target, b);
        if (b.constant) push(this.constantsByName, b.name, b);
      }
    }
    return { byTarget: this.byTarget, constantsByName: this.constantsByName };
  }

  /** The bindings a name can refer to at `at`: in the same function, else at file level. */
  bindingsOf(name: string, at?: { fn?: FunctionDef }): Binding[] {
    const { byTarget, constantsByName } = this.index();
    let found = byTarget.get(name) ?? [];
    if (!found.length && name.includes('.')) found = constantsByName.get(name.split('.').pop()!) ?? [];
    const local = found.filter((b) => b.fn && b.fn === at?.fn);
    return local.length ? local : found.filter((b) => !b.fn);
  }

  /**
   * The expression a name stands for when every same-file binding of it gives the same literal text
   * (up to four hops: `#define BITS KEY_BITS`). Anything else comes back unchanged.
   */
  resolve(expr: Expr | undefined, at?: { fn?: FunctionDef }): Expr | undefined {
    let current = expr;
    for (let hop = 0; hop < 4 && current?.kind === 'name' && current.value; hop++) {
      const bindings = this.bindingsOf(current.value, at);
      if (!bindings.length) return current;
      const texts = new Set(bindings.map((b) => b.value.text));
      if (texts.size !== 1) return current;
      current = bindings[0].value;
    }
    return current;
  }

  /** The string a (possibly named) expression holds, if it is a literal. */
  stringOf(expr: Expr | undefined, at?: { fn?: FunctionDef }): { value: string; expr: Expr } | undefined {
    const r = this.resolve(expr, at);
    return r?.kind === 'string' && r.value !== undefined ? { value: r.value, expr: r } : undefined;
  }

  /** The integer a (possibly named) expression holds: `1024`, `0x400U`, `1_024`, `KEY_BITS`, `(1024)`. */
  intOf(expr: Expr | undefined, at?: { fn?: FunctionDef }): { value: number; expr: Expr } | undefined {
    const r = this.resolve(expr, at);
    if (!r) return undefined;
    const value = parseInteger(r.text);
    return value === undefined ? undefined : { value, expr: r };
  }
}

/** An integer literal as C, C++, Java, Kotlin, Python or JavaScript write it; products like `8 * 128` too. */
export function parseInteger(text: string): number | undefined {
  const t = text
    .trim()
    .replace(/^\((.*)\)$/s, '$1')
    .trim();
  const product = /^(\w+)\s*\*\s*(\w+)$/.exec(t);
  if (product) {
    const a = parseInteger(product[1]);
    const b = parseInteger(product[2]);
    return a !== undefined && b !== undefined ? a * b : undefined;
  }
  const m = /^(0[xX][0-9a-fA-F_]+|[0-9][0-9_]*)(?:[uUlL]{0,3})$/.exec(t);
  if (!m) return undefined;
  const digits = m[1].replace(/_/g, '');
  const value = digits.startsWith('0x') || digits.startsWith('0X') ? parseInt(digits.slice(2), 16) : parseInt(digits, 10);
  return Number.isFinite(value) ? value : undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The call a call is an argument of (`EVP_EncryptInit_ex(ctx, EVP_des_cbc(), ...)`), built once per file. */
export function parentCalls(model: CodeModel): Map<Call, Call> {
  const parents = new Map<Call, Call>();
  for (const call of model.calls) {
    for (const arg of call.args) if (arg.call) parents.set(arg.call, call);
    for (const p of call.named) if (p.value.call) parents.set(p.value.call, call);
  }
  return parents;
}

/** The targets of bindings whose value contains `span` (`token = random.randint(...)` → `token`). */
export function bindingTargetsAround(model: CodeModel, span: Span): Binding[] {
  return model.bindings.filter((b) => b.value.start <= span.start && span.end <= b.value.end);
}

export const lastSegments = (callee: string, n: number): string => callee.split('.').slice(-n).join('.');

/** The owner of a method call as written: `Cipher` for `Cipher.getInstance`, the class for `new X()`. */
export const ownerOf = (call: Call): string => (call.isNew ? call.name : call.callee.split('.').slice(-2)[0]);

/** A finding position for a word inside a larger text span (`ECB` in `"AES/ECB/PKCS5Padding"`). */
export function spanOfText(expr: Span & { content?: Span }): Span {
  return expr.content && expr.content.end > expr.content.start ? expr.content : { start: expr.start, end: expr.end };
}

/** Calls on a string literal that give the same secret in its runtime form: `"pw".toCharArray()`. */
const LITERAL_WRAPPERS = new Set(['toCharArray', 'getBytes', 'toByteArray', 'encode', 'c_str']);
/** Constructors of a string from a literal: `String("pw")`, `std::string("pw")`, `bytes("pw")`. */
const STRING_CONSTRUCTORS = new Set(['String', 'string', 'std::string', 'str', 'bytes', 'bytearray', 'SecretStr', 'MQTT_UTF8_LITERAL']);
/**
 * Decoders of a hex or base64 literal into bytes (`bytearray.fromhex("…")`, `binascii.unhexlify("…")`, a project's
 * `hexToBytes("…")`): the literal is the value in another spelling.
 */
const LITERAL_DECODERS = new Set([
  'fromhex',
  'unhexlify',
  'a2b_hex',
  'b64decode',
  'hexToBytes',
  'hexStringToByteArray',
  'hexToByteArray',
  'decodeHex',
  'parseHex',
  'fromHex',
  'decodeBase64',
]);

/**
 * The string literal an expression reduces to: the literal itself, `"pw".toCharArray()`, `String("pw")`, a decoded
 * hex or base64 literal (`bytearray.fromhex("…")`), or C++ direct initialisation `String pass("pw")` / `std::string pw{"pw"}`.
 */
export function stringLiteralOf(expr: Expr | undefined, model: CodeModel): Expr | undefined {
  if (!expr) return undefined;
  if (expr.kind === 'string') return expr;
  if (expr.kind === 'call' && expr.call) {
    const call = expr.call;
    if (call.receiver?.kind === 'string' && LITERAL_WRAPPERS.has(call.name)) return call.receiver;
    if (STRING_CONSTRUCTORS.has(call.callee) && call.args[0]?.kind === 'string') return call.args[0];
    if (LITERAL_DECODERS.has(call.name) && call.args.length === 1 && call.args[0].kind === 'string') return call.args[0];
    return undefined;
  }
  if (expr.kind === 'other' && /^[({]\s*(?:u8|L|u|U)?"[\s\S]*"\s*[)}]$/.test(expr.text)) {
    const inner = spanIndex(model.strings).within({ start: expr.start + 1, end: expr.end - 1 });
    return inner.length === 1 ? inner[0] : undefined;
  }
  return undefined;
}
