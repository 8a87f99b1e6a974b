/**
 * The data-flow layer: where a value can come from, and where it goes, within one file.
 *
 * Built on the code model (no second walk of the tree), lazily and once per file. Rules ask instead of
 * guessing from names:
 * - `origins(expr)`: every place the value may come from: a literal (with its span), a run-time source
 *   (environment, key store, NVS, preferences, file, network, user input, a PRNG or a secure RNG), a
 *   parameter with no call site in the file (or whose function's address is handed out, so that callers this
 *   file does not show exist), or something unknown (a call into another file, a field set
 *   elsewhere); a fallback is a place too (`configured || "*"`, `x ?? d`, either branch of `?:`, the default
 *   of `os.getenv("X", "*")`), while a literal joined by concatenation is not;
 * - `constant(expr)`: the one string the expression always has, folding `#define`s, constants, locals,
 *   concatenation, templates and f-strings, `String.format`/`%`/`.format`, and conversions such as
 *   `getBytes()`/`encode()`/`toByteArray()` (the receiver is the value, never the charset argument);
 * - `uses(expr)`: the calls the value reaches, directly or through variables, expressions built from it,
 *   C copies into buffers, helper parameters and return values.
 *
 * What it follows: locals, parameters (to the arguments of every call of the function in this file, or of
 * the call being evaluated when a return value is followed), file-level constants and `#define`s, fields set
 * in other methods of the same class, globals declared without a value and set in any function of the file,
 * and C copies (`strcpy`, `strncpy`, `strlcpy`, `memcpy`, `snprintf`,
 * `sprintf`, `strcat`) into a buffer. Definitions are may-definitions: every binding of a name before the use
 * in the same function counts, whatever branch it sits in.
 * What it does not see: aliasing through pointers beyond those copies, the heap (a value stored into a
 * collection or an object and read back elsewhere), values that cross files (rules use project facts for
 * that), reflection, and definitions after a use inside a loop.
 */
import type { Binding, Call, CodeModel, Expr, FunctionDef } from '../model/types';
import { lastSpanStartingBy, type Span } from '../span';
import { sourceOfCall, sourceOfName, type SourceKind } from './sources';
import { firstAtLeast, pushAll } from '../arrays';
import { functionsNamed } from '../model/functions-by-name';
import { Mentions, type MentionRoot } from './mentions';

/** One hop of a flow, named for a reader: the variable, constant, buffer or parameter it passed through. */
export interface FlowStep {
  span: Span;
  /** The name passed through (`ADMIN_PW`, `buf`, `password` parameter of `connect`): never a value. */
  label: string;
  /**
   * The hop is a `printf`-family copy (`sprintf(pw, "%08d", id)`): what flowed through it is one input of the
   * buffer's text (the format, or a value formatted into it), not the text itself.
   */
  format?: true;
}

export type Origin =
  | { kind: 'literal'; expr: Expr; steps: FlowStep[] }
  | { kind: 'source'; source: SourceKind; expr: Expr; call?: Call; steps: FlowStep[] }
  | { kind: 'parameter'; fn: FunctionDef; index: number; name: string; steps: FlowStep[] }
  | { kind: 'unknown'; expr: Expr; steps: FlowStep[] };

export interface Constant {
  value: string;
  /** The literals the value is made of, in order. */
  literals: Expr[];
  steps: FlowStep[];
}

export interface FlowUse {
  call: Call;
  /** The call input the value reaches: an argument index, a named argument, or the receiver. */
  slot: number | string;
  /** The argument that holds the value (the value itself, or an expression built from it). */
  expr: Expr;
  steps: FlowStep[];
}

export interface ValueFlow {
  origins(expr: Expr): Origin[];
  constant(expr: Expr): Constant | undefined;
  /** Where a value (an expression, or the result of a call) goes. */
  uses(value: Expr | Call): FlowUse[];
  /** The innermost function around an offset. */
  functionAt(offset: number): FunctionDef | undefined;
  /**
   * Whether a function's address is handed out (passed, taken with `&`, stored, returned, a method reference),
   * so that it has callers this file does not show.
   */
  addressEscapes(fn: FunctionDef): boolean;
}

/** Operators whose result is one of their operands (a fallback or a branch), not a combination of them. */
const ALTERNATIVES = new Set(['||', '??', 'or', '?:']);
/** How far a query follows definitions before it gives up (recursion through helpers, long chains). */
const MAX_DEPTH = 12;
/**
 * How many expressions a backward query visits at most. Paths are followed separately (every may-definition
 * of every name on the way), so without a bound a variable reassigned from itself many times (`s = s + …` in
 * a bundled library) multiplies them: jquery.js took 13 s and overflowed the stack.
 */
const MAX_ORIGINS_WORK = 2000;
/** How many expressions a forward query visits at most. */
const MAX_USES_WORK = 400;
/**
 * How deeply a backward query descends into expressions built from others (operators, casts, conditionals),
 * over all its hops. A chain of one operator (`a + b + c + …`) is one level, however long; without a bound a
 * generated or bundled expression nested thousands deep overflowed the stack.
 */
const MAX_NESTING = 48;
/** How many operands of one chain (`a + b + c + …`) are taken apart; the rest stays one operand. */
const MAX_CHAIN = 512;
/** How far before a method reference's name its qualifier is looked for (`Outer.this :: onFrame`). */
const MAX_QUALIFIER = 80;
/** How many elements of an initializer are looked at to call it a literal table. */
const MAX_ELEMENTS = 64;

/** Calls whose result is their receiver in another form: `"pw".getBytes("UTF-8")`, `s.encode()`. */
const RECEIVER_CONVERSIONS = new Set([
  'getBytes',
  'encode',
  'decode',
  'toByteArray',
  'toCharArray',
  'encodeToByteArray',
  'c_str',
  'data',
  'toString',
  'trim',
  'strip',
  'lower',
  'upper',
  'toLowerCase',
  'toUpperCase',
  'lowercase',
  'uppercase',
  'toBytes',
  'asBytes',
  'bytes',
  'utf8',
  'getBytesUtf8',
  'hex',
  'toHex',
  'as_bytes',
  'to_vec',
  'into',
  'toUtf8',
  'toLatin1',
  'toStdString',
]);
/** Calls whose result is their first argument in another form: `String(x)`, `bytes.fromhex(x)`, `Buffer.from(x)`. */
const ARGUMENT_CONVERSIONS = new Set([
  // C++ casts: `reinterpret_cast<const unsigned char *>(KEY)` is KEY.
  'reinterpret_cast',
  'static_cast',
  'const_cast',
  'String',
  'string',
  'std.string',
  'str',
  'bytes',
  'bytearray',
  'Buffer.from',
  'String.valueOf',
  'Integer.toString',
  'Long.toString',
  'Double.toString',
  'Float.toString',
  'Integer.toHexString',
  'Long.toHexString',
  'hex',
  'unhexlify',
  'binascii.unhexlify',
  'bytes.fromhex',
  'fromhex',
  'Hex.decode',
  'Hex.decodeHex',
  'Base64.decode',
  'Base64.getDecoder.decode',
  'b64decode',
  'base64.b64decode',
  'atob',
  'btoa',
  'b64encode',
  'base64.b64encode',
  'QByteArray',
  'QString',
  'QString.fromUtf8',
  'Uint8Array.from',
  'ByteString.copyFromUtf8',
  'SecretStr',
  'SecretBytes',
  'charArrayOf',
  'arrayOf',
  'byteArrayOf',
  'toByteArray',
  'String.fromCharCode',
  'parseInt',
  'Integer.parseInt',
  'int',
  'float',
  'Number',
  'MQTT_UTF8_LITERAL',
  'F',
  'PSTR',
  'TEXT',
  '_T',
]);
/** C copies into their first argument from the argument at this index (or a format from 1/2 on). */
const C_COPIES: Readonly<Record<string, number>> = {
  strcpy: 1,
  strncpy: 1,
  strlcpy: 1,
  strcpy_s: 2,
  strncpy_s: 2,
  memcpy: 1,
  memmove: 1,
  wcscpy: 1,
  wcsncpy: 1,
  lstrcpy: 1,
  lstrcpyA: 1,
  lstrcpyW: 1,
  strcat: 1,
  strncat: 1,
  strlcat: 1,
  sprintf: 1,
  snprintf: 2,
  vsnprintf: 2,
};
/** The hop of a value copied into buffer `dest` by a C copy call. */
function copyStep(copy: Call, dest: string): FlowStep {
  const step: FlowStep = { span: copy, label: `${dest} (${copy.name})` };
  if (/printf$/.test(copy.name)) step.format = true;
  return step;
}

/** Formatting calls whose result is built from a format and the values after it. */
const FORMATS: Readonly<Record<string, number>> = { 'String.format': 0, format: 0, 'str.format': 0, formatted: -1, f: 0 };

interface Scope {
  fn?: FunctionDef;
  at: number;
}

type Definition = { binding: Binding } | { copy: Call; from: number } | { param: FunctionDef; index: number };

/** The identifier a text ends with (`parser` in `link.set(parser`), or '' when it ends otherwise. */
function lastIdentifier(text: string): string {
  let i = text.length;
  while (i > 0 && /[\w$]/.test(text[i - 1])) i--;
  return text.slice(i);
}

/** `text`, the file's text, lets name queries search it instead of indexing every name of the file. */
export function buildValueFlow(model: CodeModel, text?: string): ValueFlow {
  return new FileFlow(model, text);
}

class FileFlow implements ValueFlow {
  private bindingsByTarget?: Map<string, Binding[]>;
  /** Non-property bindings by the function they are directly in, then by target (file level: `undefined`). */
  private bindingsByScope?: Map<FunctionDef | undefined, Map<string, Binding[]>>;
  private bindingsInFn?: Map<FunctionDef | undefined, Binding[]>;
  private copiesByTarget?: Map<string, Call[]>;
  private copiesByScope?: Map<FunctionDef | undefined, Map<string, Call[]>>;
  private callsByName?: Map<string, Call[]>;
  private moduleVariables?: Set<string>;
  private fileVariables?: Set<string>;
  private localVariables?: Map<string, FunctionDef[]>;
  private functionTree?: { sorted: FunctionDef[]; parent: number[] };
  private callsByStart?: Call[];
  private mentions?: Mentions;
  /** Per name, its mentions' positions in the index sorted by where their roots start (`mentionsFrom`). */
  private mentionOrder = new Map<string, { order: number[]; starts: number[] }>();
  private readonly fnAt = new Map<number, FunctionDef | undefined>();
  /** Per class and function name, whether its address is handed out (`addressEscapes`). */
  private readonly escaping = new Map<string, boolean>();
  private readonly constants = new Map<Expr, Constant | null>();
  private readonly callsIn = new Map<FunctionDef | undefined, Call[]>();
  private readonly positions = new Map<readonly Span[], PositionIndex<Span>>();

  constructor(
    private readonly model: CodeModel,
    private readonly text?: string,
  ) {}

  // ---- indexes: every query looks things up by name, function or position, never by scanning the file ----

  private bindings(target: string): Binding[] {
    if (!this.bindingsByTarget) {
      this.bindingsByTarget = new Map();
      for (const b of this.model.bindings) {
        if (b.kind === 'property') continue;
        push(this.bindingsByTarget, b.target, b);
      }
    }
    return this.bindingsByTarget.get(target) ?? [];
  }

  /** The bindings of `target` directly in `fn` (or at file level). */
  private bindingsIn(fn: FunctionDef | undefined, target: string): Binding[] {
    if (!this.bindingsByScope) {
      this.bindingsByScope = new Map();
      for (const b of this.model.bindings) {
        if (b.kind === 'property') continue;
        const byTarget = this.bindingsByScope.get(b.fn) ?? new Map<string, Binding[]>();
        this.bindingsByScope.set(b.fn, byTarget);
        push(byTarget, b.target, b);
      }
    }
    return this.bindingsByScope.get(fn)?.get(target) ?? [];
  }

  /** Every non-property binding directly in `fn`. */
  private bindingsOf(fn: FunctionDef | undefined): Binding[] {
    if (!this.bindingsInFn) {
      this.bindingsInFn = new Map();
      for (const b of this.model.bindings) if (b.kind !== 'property') push(this.bindingsInFn, b.fn, b);
    }
    return this.bindingsInFn.get(fn) ?? [];
  }

  private copiesByTargetIndex(): Map<string, Call[]> {
    if (!this.copiesByTarget) {
      this.copiesByTarget = new Map();
      for (const call of this.model.calls) {
        if (!isCCopy(call)) continue;
        const dest = nameIn(call.args[0]);
        if (dest) push(this.copiesByTarget, dest, call);
      }
    }
    return this.copiesByTarget;
  }

  /** The C copies into `target` whose innermost function is `fn` (undefined: at file level). */
  private copiesIn(fn: FunctionDef | undefined, target: string): Call[] {
    if (!this.copiesByScope) {
      this.copiesByScope = new Map();
      for (const [name, calls] of this.copiesByTargetIndex()) {
        for (const call of calls) {
          const scope = this.functionAt(call.start);
          const byTarget = this.copiesByScope.get(scope) ?? new Map<string, Call[]>();
          this.copiesByScope.set(scope, byTarget);
          push(byTarget, name, call);
        }
      }
    }
    return this.copiesByScope.get(fn)?.get(target) ?? [];
  }

  private callsNamed(name: string): Call[] {
    if (!this.callsByName) {
      this.callsByName = new Map();
      for (const call of this.model.calls) push(this.callsByName, call.name, call);
    }
    return this.callsByName.get(name) ?? [];
  }

  functionAt(offset: number): FunctionDef | undefined {
    if (this.fnAt.has(offset)) return this.fnAt.get(offset);
    const { sorted, parent } = this.functions();
    // The innermost function around the offset starts last among those that hold it: from the last function
    // starting at or before the offset, climb to the enclosing ones until one holds it.
    let i = lastSpanStartingBy(sorted, offset);
    while (i >= 0 && !(offset < sorted[i].end)) i = parent[i];
    const best = i >= 0 ? sorted[i] : undefined;
    this.fnAt.set(offset, best);
    return best;
  }

  /** Functions by start (the outer first when two start together), with the index of each one's enclosing function. */
  private functions(): { sorted: FunctionDef[]; parent: number[] } {
    if (!this.functionTree) {
      const sorted = [...this.model.functions].sort((a, b) => a.start - b.start || b.end - a.end);
      const parent: number[] = [];
      const open: number[] = [];
      sorted.forEach((fn, i) => {
        while (open.length && !(fn.start < sorted[open[open.length - 1]].end && fn.end <= sorted[open[open.length - 1]].end)) open.pop();
        parent.push(open.length ? open[open.length - 1] : -1);
        open.push(i);
      });
      this.functionTree = { sorted, parent };
    }
    return this.functionTree;
  }

  /** Calls inside a function, nested lambdas included (or every file-level call). */
  private callsOf(fn: FunctionDef | undefined): Call[] {
    let calls = this.callsIn.get(fn);
    if (!calls) {
      if (fn) {
        this.callsByStart ??= [...this.model.calls].sort((a, b) => a.start - b.start);
        calls = [];
        for (let i = lastSpanStartingBy(this.callsByStart, fn.start - 1) + 1; i < this.callsByStart.length; i++) {
          const c = this.callsByStart[i];
          if (c.start >= fn.end) break;
          if (c.end <= fn.end) calls.push(c);
        }
      } else calls = this.model.calls.filter((c) => !c.fn);
      this.callsIn.set(fn, calls);
    }
    return calls;
  }

  /**
   * Whether a function's name is read as a value rather than called: passed as an argument
   * (`set_trace_hook(trace_hook)`), taken by address (`&trace_hook`), stored in a table, a struct or a variable
   * (`{ .on_write = trace_hook }`), returned, or a method reference (`this::onFrame`, `Monitor::onFrame`,
   * `::onFrame`, C++ `&Monitor::onFrame`). Whoever holds it then calls it from places this file does not
   * show, so its calls here are not all of its calls. A name the file also declares as a variable (a field
   * beside a method of the same name, a local that shadows it) is not taken for the function, nor is a
   * reference to another object's method of the same name (`parser::onFrame`).
   */
  addressEscapes(fn: FunctionDef): boolean {
    const name = fn.name;
    if (!name) return false;
    const key = `${fn.className ?? ''}::${name}`;
    let escapes = this.escaping.get(key);
    if (escapes === undefined) {
      this.mentions ??= new Mentions(this.model, this.text);
      escapes =
        !this.namesVariableInFile(name) &&
        (this.mentions
          .of(name)
          .some((m) => m.expr.value === name && !this.otherObjectsMethod(m.expr, fn) && !this.namesLocalAt(name, m.expr.start)) ||
          this.referencedThroughClass(fn));
      this.escaping.set(key, escapes);
    }
    return escapes;
  }

  /**
   * A variable of the function's name declared outside any function: at file level, or a field (a Java field
   * beside a method of the same name: a bare mention is the field).
   */
  private namesVariableInFile(name: string): boolean {
    return this.bindingsIn(undefined, name).length > 0 || this.model.variables.some((v) => v.name === name && !v.fn);
  }

  /** A mention inside a function that declares, binds or takes a parameter of that name is the local, not the function. */
  private namesLocalAt(name: string, at: number): boolean {
    const scope = this.functionAt(at);
    if (!scope) return false;
    return this.enclosing(scope).some((outer) => this.declaresLocally(outer, name) || this.bindingsIn(outer, name).length > 0);
  }

  /** `parser::onFrame` (Java parses it as `parser` and `onFrame`): a method of another object, not this one's. */
  private otherObjectsMethod(expr: Expr, fn: FunctionDef): boolean {
    if (!this.text) return false;
    const before = this.text.slice(Math.max(0, expr.start - MAX_QUALIFIER), expr.start).trimEnd();
    if (!before.endsWith('::')) return false;
    const qualifier = lastIdentifier(before.slice(0, -2).trimEnd());
    return qualifier !== '' && qualifier !== 'this' && qualifier !== 'super' && qualifier !== fn.className;
  }

  /** `Monitor::onFrame` as a value (Kotlin, C++: one name `Monitor.onFrame`) for a method of class `Monitor`. */
  private referencedThroughClass(fn: FunctionDef): boolean {
    if (!fn.className) return false;
    const qualified = `${fn.className}.${fn.name}`;
    return this.mentions!.of(qualified).some((m) => m.expr.value === qualified && m.expr.text.includes('::'));
  }

  /** Functions of this file that a call may invoke: same name, enough parameters. */
  private calleesOf(call: Call): FunctionDef[] {
    if (call.isNew) return [];
    return functionsNamed(this.model, call.name).filter((fn) => fn.params.length >= call.args.length || !call.args.length);
  }

  // ---- name resolution ---------------------------------------------------------------------------

  /** The definitions a name may have at a point: local first, then enclosing functions, the file, the class. */
  private definitions(name: string, scope: Scope): Definition[] {
    const fnChain = this.enclosing(scope.fn);
    for (const fn of fnChain) {
      const before = (b: { start: number }) => b.start < scope.at;
      const local: Definition[] = [
        ...this.bindingsIn(fn, name)
          .filter(before)
          .map((binding) => ({ binding })),
        ...this.copiesIn(fn, name)
          .filter(before)
          .map((copy) => ({ copy, from: C_COPIES[copy.name] })),
      ];
      if (local.length) return local;
      const index = fn.params.indexOf(name.split('.')[0]);
      if (index >= 0 && !name.includes('.')) return [{ param: fn, index }];
    }
    const fileLevel: Definition[] = [
      ...this.bindingsIn(undefined, name).map((binding) => ({ binding })),
      ...this.copiesIn(undefined, name).map((copy) => ({ copy, from: C_COPIES[copy.name] })),
    ];
    if (fileLevel.length) return fileLevel;
    const global = this.globalSetInFunctions(name);
    if (global.length) return global;
    // A field set in another method of the same class (`self.password = …` in `__init__`).
    const className = scope.fn?.className;
    if (className !== undefined) {
      const fields = this.bindings(name).filter((b) => b.fn && b.fn.className === className);
      if (fields.length) return fields.map((binding) => ({ binding }));
    }
    // A dotted constant of this file (`Config.PASSWORD` where `object Config { const val PASSWORD = … }`).
    if (name.includes('.')) {
      const last = name.slice(name.lastIndexOf('.') + 1);
      const constants = this.bindingsIn(undefined, last).filter((b) => b.constant);
      if (constants.length) return constants.map((binding) => ({ binding }));
    }
    return [];
  }

  /**
   * A file-level variable declared without a value (`String nsToken;`, `static char token[64];`) and set inside
   * functions of the file (`nsToken = prefs.getString(…)` in `setup()`, `strcpy(token, …)` in `init()`): every
   * such assignment or copy may reach a read in any other function, since the order the functions run in is not
   * known here. A function that declares its own variable of that name sets that one, not the global.
   */
  private globalSetInFunctions(name: string): Definition[] {
    if (name.includes('.')) return [];
    const assignments = this.bindings(name).filter((b) => b.fn && b.kind === 'assignment');
    const copies = (this.copiesByTargetIndex().get(name) ?? []).filter((copy) => this.functionAt(copy.start));
    // Most names are set in no function: decide that from the indexes before reading the declarations.
    if ((!assignments.length && !copies.length) || !this.declaredAtFileLevel(name)) return [];
    const out: Definition[] = [];
    for (const binding of assignments)
      if (this.setsModuleVariable(binding) && !this.declaresLocally(binding.fn!, name)) out.push({ binding });
    for (const copy of copies) if (!this.declaresLocally(this.functionAt(copy.start)!, name)) out.push({ copy, from: C_COPIES[copy.name] });
    return out;
  }

  private declaredAtFileLevel(name: string): boolean {
    if (!this.fileVariables) {
      this.fileVariables = new Set();
      // A member of a class or struct is not a global: each object has its own.
      for (const v of this.model.variables) if (!v.fn && !this.around(this.model.classes, v).length) this.fileVariables.add(v.name);
    }
    return this.fileVariables.has(name);
  }

  /** Whether `fn` or a function around it declares a local or parameter `name`. */
  private declaresLocally(fn: FunctionDef, name: string): boolean {
    if (!this.localVariables) {
      this.localVariables = new Map();
      for (const v of this.model.variables) if (v.fn) push(this.localVariables, v.name, v.fn);
    }
    const declaring = this.localVariables.get(name) ?? [];
    return this.enclosing(fn).some(
      (outer) =>
        outer.params.includes(name) || declaring.includes(outer) || this.bindingsIn(outer, name).some((d) => d.kind === 'declaration'),
    );
  }

  /** A function and the functions around it, innermost first. */
  private enclosing(fn: FunctionDef | undefined): FunctionDef[] {
    const chain: FunctionDef[] = [];
    for (let current = fn; current;) {
      chain.push(current);
      const outer = this.functionAt(current.start - 1);
      current = outer && outer.start <= current.start && outer.end >= current.end && outer !== current ? outer : undefined;
    }
    return chain;
  }

  // ---- origins -----------------------------------------------------------------------------------

  origins(expr: Expr): Origin[] {
    return dedupe(
      this.originsOf(expr, { depth: 0, nesting: 0, seen: new Set(), steps: [], frames: new Map(), work: { left: MAX_ORIGINS_WORK } }),
    );
  }

  private originsOf(expr: Expr, q: Query): Origin[] {
    // Every visit costs work, also one past a bound: a name with many definitions at the last hop would
    // otherwise be followed into each of them for free.
    if (--q.work.left < 0 || q.depth > MAX_DEPTH || q.nesting > MAX_NESTING) return [{ kind: 'unknown', expr, steps: q.steps }];
    switch (expr.kind) {
      case 'string':
      case 'number':
      case 'boolean':
      case 'null':
      case 'object':
        return [{ kind: 'literal', expr, steps: q.steps }];
      case 'array':
        return isLiteralTable(expr) ? [{ kind: 'literal', expr, steps: q.steps }] : this.originsOfParts(expr.elements ?? [], q);
      case 'name':
        return this.originsOfName(expr, q);
      case 'call':
        return expr.call ? this.originsOfCall(expr.call, expr, q) : [{ kind: 'unknown', expr, steps: q.steps }];
      default: {
        if (this.constant(expr)) return [{ kind: 'literal', expr, steps: q.steps }];
        // A literal in a concatenation is glue; in `x || "*"`, `x ?? d`, `x or d`, `c ? a : b` it is a value.
        const alternatives = expr.operator !== undefined && ALTERNATIVES.has(expr.operator);
        return this.originsOfParts(
          chainOperands(expr).filter((p) => alternatives || p.kind !== 'string'),
          q,
          expr,
        );
      }
    }
  }

  private originsOfParts(parts: readonly Expr[], q: Query, whole?: Expr): Origin[] {
    const inner = { ...q, nesting: q.nesting + 1 };
    const out: Origin[] = [];
    for (const part of parts) {
      if (q.work.left <= 0) {
        out.push({ kind: 'unknown', expr: part, steps: q.steps });
        break;
      }
      pushAll(out, this.originsOf(part, inner));
    }
    return out.length || !whole ? out : [{ kind: 'unknown', expr: whole, steps: q.steps }];
  }

  private originsOfName(expr: Expr, q: Query): Origin[] {
    const source = sourceOfName(expr);
    if (source) return [{ kind: 'source', source, expr, steps: q.steps }];
    const name = expr.value ?? expr.text;
    const definitions = this.definitions(name, { fn: this.functionAt(expr.start), at: expr.start });
    if (!definitions.length) return [{ kind: 'unknown', expr, steps: q.steps }];
    const out: Origin[] = [];
    for (const def of definitions) {
      // Out of work: the remaining definitions are not followed (each would answer unknown at once).
      if (q.work.left <= 0) {
        out.push({ kind: 'unknown', expr, steps: q.steps });
        break;
      }
      const key = 'binding' in def ? def.binding.start : 'copy' in def ? def.copy.start : -1 - def.param.start * 64 - def.index;
      if (q.seen.has(key)) continue;
      const next = { ...q, depth: q.depth + 1, seen: new Set(q.seen).add(key) };
      if ('binding' in def) {
        pushAll(
          out,
          this.originsOf(def.binding.value, {
            ...next,
            steps: [...q.steps, { span: def.binding.targetSpan, label: def.binding.target }],
          }),
        );
      } else if ('copy' in def) {
        const source = def.copy.args[def.from];
        const step = copyStep(def.copy, name);
        if (source) pushAll(out, this.originsOfCopy(def.copy, def.from, { ...next, steps: [...q.steps, step] }));
        else out.push({ kind: 'unknown', expr: source ?? expr, steps: q.steps });
      } else pushAll(out, this.originsOfParameter(def.param, def.index, expr, next));
    }
    return out;
  }

  /** `sprintf(buf, fmt, a, b)`: the buffer holds the format and the values; `strcpy(buf, s)`: the source. */
  private originsOfCopy(copy: Call, from: number, q: Query): Origin[] {
    const isFormat = /printf$/.test(copy.name);
    const inputs = isFormat ? copy.args.slice(from) : [copy.args[from]];
    if (isFormat) {
      const folded = this.foldFormat(inputs);
      if (folded) return [{ kind: 'literal', expr: inputs[0], steps: q.steps }];
      return inputs.slice(1).flatMap((input) => this.originsOf(input, q));
    }
    return this.originsOf(inputs[0], q);
  }

  private originsOfParameter(fn: FunctionDef, index: number, expr: Expr, q: Query): Origin[] {
    const name = fn.params[index];
    const step = { span: expr, label: `${name} (parameter of ${fn.name || 'a function'})` };
    const active = q.frames.get(fn);
    const sites = active ? [active] : this.callsNamed(fn.name).filter((call) => fn.name && this.calleesOf(call).includes(fn));
    const out: Origin[] = [];
    for (const site of sites) {
      const arg = site.args[index] ?? site.named.find((p) => p.key === name)?.value;
      if (arg) pushAll(out, this.originsOf(arg, { ...q, steps: [...q.steps, step] }));
    }
    // Called through its address too: the callers this file shows are not all of them.
    if (!out.length || (!active && this.addressEscapes(fn))) out.push({ kind: 'parameter', fn, index, name, steps: q.steps });
    return out;
  }

  private originsOfCall(call: Call, expr: Expr, q: Query): Origin[] {
    const converted = this.convertedValue(call);
    if (converted) return this.originsOf(converted, { ...q, depth: q.depth + 1 });
    const source = sourceOfCall(call);
    if (source) {
      const origin: Origin = { kind: 'source', source, expr, call, steps: q.steps };
      // `os.getenv("X", "*")`, `System.getProperty("x", "*")`: an unset variable yields the default.
      const fallback = source === 'environment' ? (call.args[1] ?? call.named.find((p) => p.key === 'default')?.value) : undefined;
      return fallback ? [origin, ...this.originsOf(fallback, { ...q, depth: q.depth + 1 })] : [origin];
    }
    const format = this.formatInputs(call);
    if (format) {
      if (this.foldFormat(format)) return [{ kind: 'literal', expr, steps: q.steps }];
      return format.slice(1).flatMap((input) => this.originsOf(input, { ...q, depth: q.depth + 1 }));
    }
    const out: Origin[] = [];
    for (const fn of this.calleesOf(call)) {
      if (q.frames.has(fn)) continue; // recursion
      const frames = new Map(q.frames).set(fn, call);
      const step = { span: call.calleeSpan, label: `${fn.name}()` };
      for (const value of fn.returns) pushAll(out, this.originsOf(value, { ...q, depth: q.depth + 1, frames, steps: [...q.steps, step] }));
    }
    return out.length ? out : [{ kind: 'unknown', expr, call, steps: q.steps } as Origin];
  }

  /** The value a conversion call passes on: its receiver or its first argument. */
  private convertedValue(call: Call): Expr | undefined {
    const receiver = call.receiver;
    // `new TextEncoder().encode(x)`: the argument is the value, the receiver an encoder.
    if (receiver?.kind === 'call' && receiver.call && /Encoder|Decoder$/.test(receiver.call.name)) return call.args[0];
    if (ARGUMENT_CONVERSIONS.has(call.callee) || (ARGUMENT_CONVERSIONS.has(call.name) && !receiver)) return call.args[0];
    if (RECEIVER_CONVERSIONS.has(call.name) && receiver && !call.isNew) {
      // `Double.toString(r)`, `Hex.toHex(b)`: a static helper on a class converts its argument.
      return receiver.kind === 'name' && /^[A-Z][a-z]\w*$/.test(receiver.value ?? '') ? call.args[0] : receiver;
    }
    return undefined;
  }

  /** The format and the values of a formatting call (`String.format(f, a)`, `f.format(a)`, `f % a`). */
  private formatInputs(call: Call): Expr[] | undefined {
    const at = FORMATS[call.callee] ?? FORMATS[call.name];
    if (at === undefined) return undefined;
    if (at === 0 && call.callee === 'String.format') return call.args;
    if (call.receiver && (call.name === 'format' || call.name === 'formatted')) return [call.receiver, ...call.args];
    if (call.callee === 'format' && call.args.length) return call.args;
    return undefined;
  }

  // ---- constants ---------------------------------------------------------------------------------

  constant(expr: Expr): Constant | undefined {
    return this.constantOf(expr, 0, new Set());
  }

  private constantOf(expr: Expr, depth: number, seen: Set<number>): Constant | undefined {
    const cached = this.constants.get(expr);
    if (cached !== undefined) return cached ?? undefined;
    if (depth > MAX_DEPTH) return undefined;
    const result = this.computeConstant(expr, depth, seen);
    if (depth === 0 || result) this.constants.set(expr, result ?? null);
    return result;
  }

  private computeConstant(expr: Expr, depth: number, seen: Set<number>): Constant | undefined {
    switch (expr.kind) {
      case 'string':
        return { value: expr.value ?? '', literals: [expr], steps: [] };
      case 'number':
        return { value: expr.value ?? expr.text, literals: [expr], steps: [] };
      case 'name': {
        const name = expr.value ?? expr.text;
        const definitions = this.definitions(name, { fn: this.functionAt(expr.start), at: expr.start });
        let found: Constant | undefined;
        for (const def of definitions) {
          const value = this.constantOfDefinition(def, depth, seen);
          if (!value || (found && found.value !== value.value)) return undefined;
          found ??= { ...value, steps: [{ span: expr, label: name }, ...value.steps] };
        }
        return found;
      }
      case 'call': {
        const call = expr.call;
        if (!call) return undefined;
        const converted = this.convertedValue(call);
        if (converted) return this.constantOf(converted, depth + 1, seen);
        const format = this.formatInputs(call);
        return format ? this.foldFormat(format, depth + 1, seen) : undefined;
      }
      case 'other': {
        const parts = expr.operator === '+' ? chainOperands(expr) : (expr.parts?.() ?? []);
        if (expr.operator === '%' && parts.length === 2) return this.foldFormat([parts[0], ...tupleItems(parts[1])], depth + 1, seen);
        if (expr.operator !== undefined && expr.operator !== '+') return undefined;
        // Only string building folds: `a + b` of strings, templates, adjacent literals.
        if (!parts.length || (expr.operator === '+' && !parts.some((p) => p.kind === 'string' || p.kind === 'name'))) return undefined;
        return this.concat(parts, depth + 1, seen);
      }
      default:
        return undefined;
    }
  }

  private constantOfDefinition(def: Definition, depth: number, seen: Set<number>): Constant | undefined {
    if ('binding' in def) {
      if (seen.has(def.binding.start)) return undefined;
      return this.constantOf(def.binding.value, depth + 1, new Set(seen).add(def.binding.start));
    }
    if ('copy' in def) {
      if (seen.has(def.copy.start) || /cat$/.test(def.copy.name)) return undefined;
      const next = new Set(seen).add(def.copy.start);
      if (/printf$/.test(def.copy.name)) return this.foldFormat(def.copy.args.slice(def.from), depth + 1, next);
      const source = def.copy.args[def.from];
      return source ? this.constantOf(source, depth + 1, next) : undefined;
    }
    // A parameter is a constant when every call of its function in this file passes the same one, and those
    // are all its calls (its address is not handed out).
    if (this.addressEscapes(def.param)) return undefined;
    const sites = this.callsNamed(def.param.name).filter((call) => this.calleesOf(call).includes(def.param));
    let found: Constant | undefined;
    for (const site of sites) {
      const arg = site.args[def.index];
      const value = arg && this.constantOf(arg, depth + 1, seen);
      if (!value || (found && found.value !== value.value)) return undefined;
      found ??= value;
    }
    return found;
  }

  private concat(parts: readonly Expr[], depth: number, seen: Set<number>): Constant | undefined {
    let value = '';
    const literals: Expr[] = [];
    const steps: FlowStep[] = [];
    for (const part of parts) {
      const c = this.constantOf(part, depth, seen);
      if (!c) return undefined;
      value += c.value;
      pushAll(literals, c.literals);
      pushAll(steps, c.steps);
    }
    return { value, literals, steps };
  }

  /** `printf`-style (`%s`, `%d`, `%02x`) and `{}`-style formats with constant inputs. */
  private foldFormat(inputs: readonly Expr[], depth = 0, seen = new Set<number>()): Constant | undefined {
    const [format, ...values] = inputs;
    const f = format && this.constantOf(format, depth, seen);
    if (!f) return undefined;
    const folded = values.map((v) => this.constantOf(v, depth, seen));
    if (folded.some((v) => !v)) return undefined;
    let i = 0;
    // A width starts at 1-9 (a leading 0 is a flag), so a run of zeros is read one way.
    const value = f.value.replace(/%%|%[-+ #0]*(?:[1-9]\d*)?(?:\.\d+)?[hlLqjzt]*[diouxXeEfgGcsp]|\{[^{}]*\}/g, (spec) => {
      if (spec === '%%') return '%';
      return folded[i++]?.value ?? spec;
    });
    return { value, literals: [...f.literals, ...folded.flatMap((v) => v!.literals)], steps: f.steps };
  }

  // ---- uses --------------------------------------------------------------------------------------

  uses(value: Expr | Call): FlowUse[] {
    const out: FlowUse[] = [];
    const done = new Set<string>();
    const queue: { expr: Expr; steps: FlowStep[] }[] = [{ expr: 'kind' in value ? value : callExpr(value), steps: [] }];
    for (let work = 0; queue.length && work < MAX_USES_WORK; work++) {
      const item = queue.shift()!;
      const key = `${item.expr.start}:${item.expr.end}`;
      if (done.has(key)) continue;
      done.add(key);
      this.followUse(item.expr, item.steps, out, queue);
    }
    return out;
  }

  /** One step forward: the innermost place that holds the value, and what that place flows into. */
  private followUse(expr: Expr, steps: FlowStep[], out: FlowUse[], queue: { expr: Expr; steps: FlowStep[] }[]): void {
    const fn = this.functionAt(expr.start);
    const frame = this.innermostFrame(expr, fn);
    if (!frame) return;
    if (frame.kind === 'call') {
      const { call, slot, input } = frame;
      out.push({ call, slot, expr: input, steps });
      // A C copy puts the value into its destination buffer.
      const copyFrom = C_COPIES[call.name];
      if (copyFrom !== undefined && isCCopy(call) && typeof slot === 'number' && slot >= copyFrom) {
        const dest = nameIn(call.args[0]);
        if (dest) this.queueMentions(dest, { fn, after: call.end }, [...steps, copyStep(call, dest)], queue);
        if (dest && fn) this.queueOutParameter(fn, dest, [...steps, copyStep(call, dest)], queue);
      }
      // The call's result is made from its inputs (a conversion, a format, a helper): follow it too.
      queue.push({ expr: callExpr(call), steps });
      // Into a helper of this file: its parameter carries the value inside it.
      if (typeof slot === 'number') {
        for (const callee of this.calleesOf(call)) {
          const param = callee.params[slot];
          if (param)
            this.queueMentions(
              param,
              { fn: callee, after: callee.start },
              [...steps, { span: call.calleeSpan, label: `${param} (parameter of ${callee.name})` }],
              queue,
            );
        }
      }
    } else if (frame.kind === 'binding') {
      const b = frame.binding;
      const step = { span: b.targetSpan, label: b.target };
      // A local is read after it is set; a field anywhere in its class; a file-level variable anywhere.
      const scope: MentionScope =
        !b.fn || this.setsModuleVariable(b)
          ? { after: 0 }
          : b.fn.className !== undefined && !this.isLocal(b)
            ? { className: b.fn.className, after: 0 }
            : { fn: b.fn, after: b.end };
      this.queueMentions(b.target, scope, [...steps, step], queue);
    } else if (frame.kind === 'return' && fn) {
      for (const call of this.callsNamed(fn.name)) {
        if (this.calleesOf(call).includes(fn))
          queue.push({ expr: callExpr(call), steps: [...steps, { span: call.calleeSpan, label: `${fn.name}()` }] });
      }
    }
  }

  /**
   * A C copy into a pointer parameter (`void url_of(char *out, ...) { snprintf(out, ...); }`) fills the
   * caller's buffer: the value goes on wherever each caller in this file reads that buffer after the call.
   */
  private queueOutParameter(fn: FunctionDef, param: string, steps: FlowStep[], queue: { expr: Expr; steps: FlowStep[] }[]): void {
    const index = fn.params.indexOf(param);
    if (index < 0 || !fn.name) return;
    for (const site of this.callsNamed(fn.name)) {
      if (!this.calleesOf(site).includes(fn)) continue;
      const buffer = nameIn(site.args[index]);
      if (buffer)
        this.queueMentions(
          buffer,
          { fn: this.functionAt(site.start), after: site.end },
          [...steps, { span: site.calleeSpan, label: `${buffer} (filled by ${fn.name})` }],
          queue,
        );
    }
  }

  /**
   * Whether an assignment inside a function sets a variable declared at file level (`let host = '';` then
   * `host = 'http://…'` in a function): every function of the file may read it afterwards. Only a declared
   * file-level variable counts, so a Python function's own local (its first assignment) is not one.
   */
  private setsModuleVariable(b: Binding): boolean {
    if (b.kind !== 'assignment' || !b.fn || b.target.includes('.') || b.fn.params.includes(b.target)) return false;
    if (!this.moduleVariables) {
      this.moduleVariables = new Set(this.model.variables.filter((v) => !v.fn).map((v) => v.name));
      for (const d of this.model.bindings)
        if (!d.fn && (d.kind === 'declaration' || d.kind === 'define')) this.moduleVariables.add(d.target);
    }
    if (!this.moduleVariables.has(b.target)) return false;
    return !this.enclosing(b.fn).some((fn) => this.bindingsIn(fn, b.target).some((d) => d.kind === 'declaration'));
  }

  /** Whether a binding in a method declares a local (as opposed to setting a field of the object). */
  private isLocal(b: Binding): boolean {
    return b.kind === 'declaration' || (!!b.fn && b.fn.params.includes(b.target));
  }

  /** The spans of `list` that hold `span`, found by position: a lookup, not a scan of the list. */
  private around<T extends Span>(list: readonly T[], span: Span): T[] {
    let index = this.positions.get(list) as PositionIndex<T> | undefined;
    if (!index) {
      const sorted = [...list].sort((a, b) => a.start - b.start);
      const maxEnd: number[] = [];
      sorted.forEach((item, i) => maxEnd.push(Math.max(item.end, i ? maxEnd[i - 1] : -1)));
      index = { sorted, maxEnd };
      this.positions.set(list, index);
    }
    const out: T[] = [];
    // Walk back from the last one starting at or before the span; none earlier can hold it once every one
    // up to there has ended before the span does.
    for (let i = lastSpanStartingBy(index.sorted, span.start); i >= 0 && index.maxEnd[i] >= span.end; i--) {
      if (index.sorted[i].end >= span.end) out.push(index.sorted[i]);
    }
    return out.reverse();
  }

  private innermostFrame(expr: Expr, fn: FunctionDef | undefined): Frame | undefined {
    let best: Frame | undefined;
    let bestSize = Infinity;
    const consider = (frame: Frame, span: Span) => {
      const size = span.end - span.start;
      if (size < bestSize) {
        best = frame;
        bestSize = size;
      }
    };
    const inside = (outer: Span) => outer.start <= expr.start && expr.end <= outer.end;
    for (const call of this.around(this.callsOf(fn), expr)) {
      if (call.start === expr.start && call.end === expr.end) continue;
      const inputs: [number | string, Expr | undefined][] = [
        ['receiver', call.receiver],
        ...call.args.map((a, i) => [i, a] as [number, Expr]),
        ...call.named.map((p) => [p.key, p.value] as [string, Expr]),
      ];
      for (const [slot, input] of inputs) {
        if (input && inside(input)) consider({ kind: 'call', call, slot, input }, call);
      }
    }
    for (const b of this.around(this.bindingsOf(fn), expr)) {
      if (inside(b.value)) consider({ kind: 'binding', binding: b }, b);
    }
    for (const value of fn?.returns ?? []) if (inside(value)) consider({ kind: 'return' }, value);
    return best;
  }

  /** Queues every mention of `name` in a scope: a function after a point, a class, or the whole file. */
  private queueMentions(name: string, scope: MentionScope, steps: FlowStep[], queue: { expr: Expr; steps: FlowStep[] }[]): void {
    const { fn, className, after } = scope;
    const inScope = (span: Span) => {
      if (span.start < after) return false;
      if (fn) return span.start >= fn.start && span.end <= fn.end;
      if (className !== undefined) return this.functionAt(span.start)?.className === className;
      return true;
    };
    this.mentions ??= new Mentions(this.model, this.text);
    // A function's scope reads only the mentions inside it: found by position, so a name mentioned in every
    // function (`buf`, `len`) costs each query its own function's mentions, not the whole file's.
    const all = this.mentions.of(name);
    const candidates = fn ? this.mentionsFrom(name, all, Math.max(after, fn.start), fn.end) : all;
    for (const mention of candidates) {
      const root = mention.root;
      // The roots a scope reads: the inputs of its calls, the values it binds, and (in a function) its own returns.
      const counts = root.kind === 'return' ? (fn ? root.fn === fn : true) && inScope(root.span) : inScope(root.span);
      if (counts) queue.push({ expr: mention.expr, steps });
    }
  }

  /** The mentions of `name` whose roots start in [from, to), in the index's order (the order queries meet them). */
  private mentionsFrom<T extends { root: MentionRoot }>(name: string, all: readonly T[], from: number, to: number): T[] {
    let sorted = this.mentionOrder.get(name);
    if (!sorted) {
      const order = all.map((_, i) => i).sort((a, b) => all[a].root.span.start - all[b].root.span.start || a - b);
      sorted = { order, starts: order.map((i) => all[i].root.span.start) };
      this.mentionOrder.set(name, sorted);
    }
    const { order, starts } = sorted;
    const picked: number[] = [];
    for (let k = firstAtLeast(starts, from); k < starts.length && starts[k] < to; k++) picked.push(order[k]);
    return picked.sort((a, b) => a - b).map((i) => all[i]);
  }
}

/** Spans sorted by start, with the greatest end up to each one. */
interface PositionIndex<T extends Span> {
  sorted: T[];
  maxEnd: number[];
}

type Frame = { kind: 'call'; call: Call; slot: number | string; input: Expr } | { kind: 'binding'; binding: Binding } | { kind: 'return' };

interface MentionScope {
  fn?: FunctionDef;
  className?: string;
  after: number;
}

interface Query {
  depth: number;
  /** How many expressions built from others the query is inside (see MAX_NESTING). */
  nesting: number;
  seen: Set<number>;
  steps: FlowStep[];
  /** The call being followed into each function, so its parameters resolve to that call's arguments. */
  frames: Map<FunctionDef, Call>;
  /** Expressions the whole query may still visit: shared by every path of it, never copied. */
  work: { left: number };
}

/** A call as an expression (what `uses` follows when a call's result flows on). */
function callExpr(call: Call): Expr {
  return { start: call.start, end: call.end, text: '', kind: 'call', call };
}

/** A C library copy as C and C++ write it: `strcpy(…)`, `std::strcpy(…)` (the model writes `std.strcpy`), not a method. */
function isCCopy(call: Call): boolean {
  return Object.hasOwn(C_COPIES, call.name) && (call.callee === call.name || call.callee === `std.${call.name}`);
}

/** The variable a C copy writes into: `buf`, `(char *)cfg.sta.password`, `&key[0]`. */
function nameIn(expr: Expr | undefined): string | undefined {
  if (!expr) return undefined;
  if (expr.kind === 'name') return expr.value;
  if (expr.kind === 'other') {
    const parts = expr.parts?.() ?? [];
    if (parts.length === 1 || (parts.length === 2 && parts[1].kind === 'number')) return nameIn(parts[0]);
  }
  return undefined;
}

/** Every element of an initializer is a literal: a key table, a byte array, a list of strings. */
function isLiteralTable(expr: Expr, depth = 0): boolean {
  if (depth > MAX_NESTING) return false;
  const elements = expr.elements ?? [];
  const first = elements.slice(0, MAX_ELEMENTS);
  return first.every(
    (e) =>
      e.kind === 'number' ||
      e.kind === 'string' ||
      e.kind === 'boolean' ||
      e.kind === 'null' ||
      (e.kind === 'array' && isLiteralTable(e, depth + 1)),
  );
}

/** `("a", b)` → its items; anything else is one value. */
function tupleItems(expr: Expr): Expr[] {
  if (expr.kind === 'array' || (expr.kind === 'other' && /^\(/.test(expr.text)))
    return expr.kind === 'array' ? (expr.elements ?? []) : (expr.parts?.() ?? [expr]);
  return [expr];
}

/**
 * The operands of an expression, with those of a chain of the same operator gathered into one list:
 * `a + b + c`, parsed `(a + b) + c`, gives `a, b, c`. Iterative, so a chain thousands long costs no stack.
 */
function chainOperands(expr: Expr): Expr[] {
  const operator = expr.operator;
  const out: Expr[] = [];
  const pending: Expr[] = [expr];
  while (pending.length) {
    const next = pending.pop()!;
    const sameChain = next === expr || (operator !== undefined && next.kind === 'other' && next.operator === operator);
    if (!sameChain || out.length + pending.length >= MAX_CHAIN) {
      out.push(next);
      continue;
    }
    const parts = next.parts?.() ?? [];
    for (let i = parts.length - 1; i >= 0; i--) pending.push(parts[i]);
  }
  return out;
}

function dedupe(origins: Origin[]): Origin[] {
  const seen = new Set<string>();
  return origins.filter((o) => {
    const span = 'expr' in o ? o.expr : o.fn;
    const key = `${o.kind}:${span.start}:${span.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
