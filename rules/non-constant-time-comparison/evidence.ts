/**
 * What the data-flow layer and API semantics say about one side of a comparison: whether it is a constant
 * (a magic number, a status code, a header name), whether it can carry outside input (a request, a packet,
 * a parameter of a function called from elsewhere, a field set in another file), whether it is a stored
 * secret (preferences, a settings store, NVS, a key store), a keyed authenticator computed by an API, a
 * fresh random value, or a request header whose name says it carries a credential.
 */
import type { Binding, Call, CodeModel, Comparison, Expr } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import {
  authenticatorApiOf,
  computesOverChallenge,
  isCredentialField,
  isStorageRead,
  requestFieldOf,
  requestInputOf,
  storageKeyOf,
  storageWriteOf,
} from '../_shared/value-evidence';
import { classifySecretOperand } from './names';
import { withoutLeadingCast } from '../_shared/expression-text';

export interface SideEvidence {
  /** Every value it can have is a literal or a declared constant. */
  constant: boolean;
  /** It can carry outside input: a request, a packet, a parameter, a field or call of another file. */
  input: boolean;
  /** It is read from a request, a socket or the user (not merely a parameter). */
  external: boolean;
  /** It is read from preferences, a settings store, NVS, a key store or the environment. */
  stored: boolean;
  /** It is a fresh random value, or computed over a challenge or nonce. */
  challenge: boolean;
  /** The keyed authenticator API that computes it (`hmac.new`, `Mac.doFinal`, `produceCCMTag`). */
  authenticator?: string;
  /** The request header or parameter name it is read under, when that name carries a credential. */
  credentialField?: string;
  /** It is an authenticator keyed with a constant of the program: no secret to leak. */
  publicKey?: boolean;
  /** It is read from a store under a key that names a credential (`getString("watch_auth_key_" + id)`). */
  storedSecret?: { key: string; label: string };
}

const STRING_TYPES = /(?:^|::|\b)(?:String|string|wstring|string_view|QString|QByteArray|vector|array|basic_string)\b/;

export class ComparisonEvidence {
  private readonly fields = new Map<string, FieldInfo | null>();

  constructor(private readonly ctx: RuleContext) {}

  private get model(): CodeModel {
    return this.ctx.model;
  }

  /** What is known about one operand. */
  side(expr: Expr): SideEvidence {
    const evidence: SideEvidence = { constant: true, input: false, external: false, stored: false, challenge: false };
    this.addExpr(unwrap(expr), evidence, 0);
    return evidence;
  }

  private addExpr(expr: Expr, evidence: SideEvidence, depth: number): void {
    if (expr.kind === 'call' && expr.call && this.addCall(expr.call, evidence)) return;
    const field = requestFieldOf(expr, expr.text);
    if (field !== undefined) {
      Object.assign(evidence, { constant: false, input: true, external: true });
      if (isCredentialField(field)) evidence.credentialField = field;
      return;
    }
    const info = expr.kind === 'name' ? this.field(expr.value ?? expr.text) : undefined;
    if (info && depth < 2) {
      // A mutable field: every value assigned to it in this file, and outside input unless it is private.
      evidence.constant = false;
      if (!info.private) evidence.input = true;
      for (const value of info.values) this.addExpr(unwrap(value), evidence, depth + 1);
      return;
    }
    const origins = this.ctx.flow.origins(expr);
    if (!origins.length) Object.assign(evidence, { constant: false, input: true });
    for (const origin of origins) {
      switch (origin.kind) {
        case 'literal':
          break;
        case 'source':
          evidence.constant = false;
          if (origin.source === 'network' || origin.source === 'input' || origin.source === 'file')
            Object.assign(evidence, { input: true, external: true });
          else if (origin.source === 'prng' || origin.source === 'secure-random') evidence.challenge = true;
          else evidence.stored = true;
          if (origin.call) this.addCall(origin.call, evidence);
          break;
        case 'parameter':
          Object.assign(evidence, { constant: false, input: true });
          break;
        case 'unknown':
          evidence.constant = false;
          if (!(origin.expr.kind === 'call' && origin.expr.call && this.addCall(origin.expr.call, evidence))) evidence.input = true;
          break;
      }
    }
  }

  /** Classifies a call by its API; false when the API says nothing (the value is then outside input). */
  private addCall(call: Call, evidence: SideEvidence): boolean {
    const request = requestInputOf(call);
    if (request) {
      Object.assign(evidence, { constant: false, input: true, external: true });
      if (isCredentialField(request.field)) evidence.credentialField = request.field;
      return true;
    }
    if (isStorageRead(call)) {
      Object.assign(evidence, { constant: false, stored: true });
      const key = this.storageKeyName(call);
      const secret = key ? classifySecretOperand(key) : undefined;
      if (key && secret && !secret.bare) evidence.storedSecret = { key, label: secret.label };
      return true;
    }
    const api = authenticatorApiOf(call);
    if (api) {
      Object.assign(evidence, { constant: false, authenticator: api });
      // An authenticator keyed with a constant of the program (`hmac256(content, KEY_CONSCIENCE)`): anyone can
      // compute it, so timing it leaks nothing (a hardcoded key is another rule's finding).
      if (call.args.some((a) => this.isConstantKey(a))) evidence.publicKey = true;
      if (computesOverChallenge(call)) evidence.challenge = true;
      evidence.input ||= call.args.some((a) => this.side(a).input);
      return true;
    }
    if (computesOverChallenge(call)) {
      Object.assign(evidence, { constant: false, challenge: true });
      return true;
    }
    return false;
  }

  /**
   * The name a store read uses for its slot: the key's constant value or literal (its leading literal part
   * when the key is built, `"watch_auth_key_" + address`), else the constant's own name (`KEY_AUTH_TOKEN`).
   */
  private storageKeyName(call: Call): string | undefined {
    const key = storageKeyOf(call);
    if (!key) return undefined;
    if (key.kind === 'string') return key.value;
    const value = this.ctx.flow.constant(key)?.value;
    if (value) return value;
    const leading = /^\s*["']([\w.-]+)["']\s*\+/.exec(key.text);
    if (leading) return leading[1];
    return key.kind === 'name' ? (key.value ?? key.text) : undefined;
  }

  /** A name argument that is a constant string of the program and not an algorithm name (`KEY_CONSCIENCE`). */
  private isConstantKey(arg: Expr): boolean {
    if (arg.kind !== 'name') return false;
    const value = this.ctx.flow.constant(arg)?.value;
    return !!value && value.length >= 8 && !/^(?:hmac)?[-_]?(?:sha|md|ripemd|blake|sm3)(?:[-_\d]*-)?\w*$/i.test(value);
  }

  /** A mutable field of a class in this file (`private var password = ""`, `var password = -1`), if `name` is one. */
  private field(name: string): FieldInfo | undefined {
    const bare = name.replace(/^(?:this|self)\./, '');
    if (bare.includes('.')) return undefined;
    const cached = this.fields.get(bare);
    if (cached !== undefined) return cached ?? undefined;
    const declaration = this.model.bindings.find((b) => b.kind === 'declaration' && b.target === bare && !b.fn && this.inClass(b));
    let info: FieldInfo | null = null;
    if (declaration && !declaration.constant) {
      const assigned = this.model.bindings.filter(
        (b) =>
          b !== declaration && b.kind === 'assignment' && (b.target === bare || b.target === `this.${bare}` || b.target === `self.${bare}`),
      );
      info = {
        private: /\bprivate\b/.test(lineOf(this.ctx.text.content, declaration.start)),
        values: [declaration.value, ...assigned.map((b) => b.value)],
      };
    }
    this.fields.set(bare, info);
    return info ?? undefined;
  }

  private inClass(b: Binding): boolean {
    return this.model.classes.some((c) => c.start <= b.start && b.end <= c.end);
  }

  /** Whether `==` here compares contents (strings, buffers) and so can stop at the first differing byte. */
  comparesContents(comparison: Comparison): boolean {
    const op = comparison.operator;
    if (!/^[=!]==?$/.test(op)) return true;
    switch (this.ctx.language) {
      // C `==` compares scalars or pointers, never the bytes they point to; Java `==` compares references.
      case 'c':
      case 'java':
        return false;
      case 'cpp':
        return [comparison.left, comparison.right].some((side) => STRING_TYPES.test(this.declaredType(side, comparison) ?? ''));
      case 'kotlin':
        return op === '==' || op === '!=';
      default:
        return true;
    }
  }

  /** The declared type of a C++ operand that names a local or member declared in this file. */
  private declaredType(expr: Expr, comparison: Comparison): string | undefined {
    const name = expr.kind === 'name' ? expr.value : undefined;
    if (!name) return undefined;
    const fn = comparison.fn;
    const variable = this.model.variables.find((v) => v.name === name && (v.fn === fn || !v.fn) && v.start < comparison.start);
    if (variable?.type) return variable.type;
    return this.model.bindings.find((b) => b.target === name && (b.fn === fn || !b.fn) && b.declaredType)?.declaredType;
  }

  /**
   * The comparison decides whether to store or rebuild something (`if (cached != saved) { cached = saved }`,
   * `if (!getPin(a).equals(pin)) setString(KEY, pin)`): change detection, not authentication.
   */
  isChangeDetection(comparison: Comparison, operands: readonly Expr[]): boolean {
    const fn = comparison.fn;
    const names = operandPaths(operands);
    if (!names.length) return false;
    const content = this.ctx.text.content;
    // The statements the comparison guards: up to three lines after it.
    let until = comparison.end;
    for (let i = 0; i < 4 && until >= 0; i++) until = content.indexOf('\n', until + 1);
    if (until < 0) until = content.length;
    const guarded = (span: { start: number }) => span.start > comparison.end && span.start <= until;
    const base = (target: string) => target.replace(/^(?:this|self)\./, '');
    const reassigned = this.model.bindings.some(
      (b) =>
        b.fn === fn &&
        guarded(b) &&
        (b.kind === 'assignment' || b.kind === 'declaration') &&
        !['null', 'string', 'number'].includes(b.value.kind) &&
        /^\s*=\s*$/.test(content.slice(b.targetSpan.end, b.value.start)) &&
        names.some((n) => n === base(b.target) || n.startsWith(`${base(b.target)}.`)),
    );
    if (reassigned || this.advancesTo(comparison, operands)) return true;
    return this.model.calls.some(
      (c) =>
        c.fn === fn &&
        guarded(c) &&
        storageWriteOf(c) !== undefined &&
        names.includes(operandPath(c.args[storageWriteOf(c)!.value]) ?? '\0'),
    );
  }

  /**
   * Later in the same function one operand takes the other's value (`if (next == token) break; token = next`):
   * a cursor, page token or counter compared with its successor to see whether it moved. A check of a secret
   * never overwrites one side with the other, however far below the comparison the assignment is.
   */
  private advancesTo(comparison: Comparison, operands: readonly Expr[]): boolean {
    const [left, right] = operands.map(operandPath);
    if (!left || !right || left === right) return false;
    const base = (target: string) => target.replace(/^(?:this|self)\./, '');
    return this.model.bindings.some(
      (b) =>
        b.fn === comparison.fn &&
        b.kind === 'assignment' &&
        b.start > comparison.end &&
        ((base(b.target) === left && operandPath(b.value) === right) || (base(b.target) === right && operandPath(b.value) === left)),
    );
  }

  /**
   * Both sides are read from the same object by getters or properties (`dataStore.getApiToken()` against
   * `dataStore.getApiTokenCheck()`, directly or through a local or field set from one): two values the app keeps
   * in one record, such as a setting and the copy saved when it was last validated. Input from a peer arrives in
   * another object (a request, a message), and a value computed from the record (`msg.computeMac()`) is not a getter.
   */
  sameRecord(left: Expr, right: Expr): boolean {
    // C and C++ structs are where firmware keeps a received value beside the one it computed (`pkt->mac`,
    // `pkt->calc_mac`): there, two members of one object are no evidence of stored state.
    if (this.ctx.language === 'c' || this.ctx.language === 'cpp') return false;
    const a = this.recordsOf(left, 0);
    const b = this.recordsOf(right, 0);
    return !!a && !!b && [...a].some((receiver) => b.has(receiver));
  }

  /** The objects every non-literal value of `expr` is read from by a getter or property; undefined if any is not. */
  private recordsOf(expr: Expr, depth: number): Set<string> | undefined {
    const bare = unwrap(expr);
    const direct = recordRead(bare);
    if (direct) return new Set([direct]);
    if (bare.kind !== 'name' || depth > 1 || requestFieldOf(bare, bare.text) !== undefined) return undefined;
    const info = this.field(bare.value ?? bare.text);
    const values = info
      ? info.values
      : this.ctx.flow.origins(bare).map((o) => (o.kind === 'literal' ? o.expr : o.kind === 'unknown' ? o.expr : undefined));
    const out = new Set<string>();
    for (const value of values) {
      if (!value) return undefined;
      if (value.kind === 'string' || value.kind === 'null' || value.kind === 'number') continue;
      const read = value === bare ? undefined : (recordRead(unwrap(value)) ?? [...(this.recordsOf(value, depth + 1) ?? [])][0]);
      if (!read) return undefined;
      out.add(read);
    }
    return out.size ? out : undefined;
  }

  /** An operand used as the key of a storage read or write in the same function: a name, not a secret. */
  isStorageKey(comparison: Comparison, operand: Expr): boolean {
    const name = operandPath(operand);
    if (!name) return false;
    return this.model.calls.some((c) => c.fn === comparison.fn && operandPath(storageKeyOf(c)) === name);
  }
}

/** Getters that read a record's state: `getApiToken()`, `isValidated()`, `hasPin()`, with no argument. */
const RECORD_GETTER = /^(?:get|is|has)[A-Z_]/;

/**
 * The object a getter call or property read takes its value from (`dataStore` in `dataStore.getApiToken()` or
 * `settings.apiToken`); undefined for `this`/`self`, calls with arguments and anything else.
 */
function recordRead(expr: Expr): string | undefined {
  if (expr.kind === 'call' && expr.call) {
    const call = expr.call;
    if (call.args.length || call.named.length || !RECORD_GETTER.test(call.name) || !call.receiver) return undefined;
    return ownerPath(call.receiver.text);
  }
  if (expr.kind !== 'name') return undefined;
  const path = (expr.value ?? expr.text).replace(/^(?:this|self)\./, '');
  const dot = path.lastIndexOf('.');
  return dot > 0 ? ownerPath(path.slice(0, dot)) : undefined;
}

function ownerPath(text: string): string | undefined {
  const path = text.trim().replace(/^(?:this|self)\./, '');
  return /^[A-Za-z_][\w.]*$/.test(path) && path !== 'this' && path !== 'self' ? path : undefined;
}

interface FieldInfo {
  private: boolean;
  values: Expr[];
}

function operandPaths(operands: readonly Expr[]): string[] {
  return operands.map(operandPath).filter((n): n is string => !!n);
}

/** The dotted path an operand names, through casts and null assertions: `key as StringKey` → `key`. */
export function operandPath(expr: Expr | undefined): string | undefined {
  if (!expr) return undefined;
  const bare = withoutLeadingCast(withoutAsCast(expr.text.trim()).replace(/!!$/, ''))
    .replace(/^(?:this|self)\./, '')
    .replace(/->/g, '.');
  return /^[A-Za-z_][\w.]*$/.test(bare) ? bare : undefined;
}

/** `text` without a Kotlin cast at its end (`key as String?`): one space before `as`, then the spaces before it trimmed. */
function withoutAsCast(text: string): string {
  const cast = /\sas\s+\w+\??$/.exec(text);
  return cast ? text.slice(0, cast.index).trimEnd() : text;
}

/** The expression without casts, `!!`, `?.let`, parentheses or a trailing `.trim()`-style normalisation. */
function unwrap(expr: Expr): Expr {
  let current = expr;
  for (let i = 0; i < 4; i++) {
    if (current.kind === 'other' && !current.operator) {
      const parts = current.parts?.() ?? [];
      if (parts.length === 1) {
        current = parts[0];
        continue;
      }
    }
    break;
  }
  return current;
}

function lineOf(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset) + 1;
  const end = text.indexOf('\n', offset);
  return text.slice(start, end < 0 ? text.length : end);
}
