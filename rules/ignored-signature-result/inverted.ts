/**
 * Gates that act on the wrong verdict: `if (mbedtls_pk_verify(...)) { activate(); }` runs the branch when the
 * verification fails (mbedTLS, PSA and ESP-IDF return 0 for a valid signature), `if (!ok) install();` installs
 * when a boolean verdict says invalid, and `if (verify(...) == 0) return -1; activate();` returns on success and
 * falls through to the activation on failure. What a verdict means comes from the API (or from the project
 * function's own body or its documentation comment); a function whose meaning the file does not show is not judged.
 */
import { functionsNamed } from '../../server/src/core/model/functions-by-name';
import type { Node } from 'web-tree-sitter';
import type { Call, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';
import { FIRMWARE_SINKS } from '../_shared/update-apis';
import { identifierWords } from '../_shared/identifier-words';
import { stripParens } from '../_shared/parentheses';
import { isProjectVerifyName, libraryVerdictKind, wrapsStatusVerify } from '../_shared/signature-apis';

/** What a truthy verdict means: `zero-is-valid` for status codes, `true-is-valid` for booleans and 1/0 APIs. */
export type Polarity = 'zero-is-valid' | 'true-is-valid';

export interface InvertedGate {
  /** The condition that decides on the verdict. */
  condition: Span;
  /** The call that installs or activates on the failure path. */
  accept: Call;
  /** The accept call sits in the failure branch, or after an `if` that leaves on success. */
  how: 'branch' | 'fallthrough';
}

/** Names made of word characters (checked once, by the lookahead: a `\w*` after a `\w*` backtracks polynomially). */
const STATUS_CALL = /^(?=\w*$)(?:mbedtls_\w+_verify|psa_\w*verify|esp_secure_boot_verify_\w|wc_\w*Verify|crypto_sign_verify_detached$)/;
/** An error return of a status-style function: `-1`, `-EBADMSG`, `ESP_ERR_INVALID_STATE`, `PSA_ERROR_INVALID_SIGNATURE`. */
const ERROR_CODE = /^-\s*(?:\d+|E[A-Z]+)$|^ESP_(?:ERR|FAIL)\w*$|^PSA_ERROR_\w+$|^MBEDTLS_ERR_\w+$|^-?\s*(?=\w*$)\w*_ERR_\w/;
const SUCCESS_CONSTANT = /^(0|ESP_OK|PSA_SUCCESS|MBEDTLS_OK|EXIT_SUCCESS|SUCCESS|OK)$/;
const ZERO_ON_SUCCESS_DOC =
  /\b(?:returns?|return value:?)\s+(?:0|zero|ESP_OK|PSA_SUCCESS)\s+(?:on|if|when|for)\s+(?:success|valid|a valid|ok)/i;
const TRUE_ON_SUCCESS_DOC = /\b(?:returns?)\s+(?:true|1)\s+(?:on|if|when|for)\s+(?:success|valid|a valid|ok)/i;

/** What the verdict of `call` means, from the API tables, the project function's body, or its comment. */
export function polarityOf(ctx: RuleContext, call: Call, jcaNames: ReadonlySet<string>): Polarity | undefined {
  const library = libraryVerdictKind(call, ctx.language, jcaNames);
  if (library === 'status') return 'zero-is-valid';
  if (library === 'one-zero' || library === 'boolean') return 'true-is-valid';
  if (library) return undefined;
  const definitions = functionsNamed(ctx.model, call.name);
  // A function named for something else is judged only when this file shows it passes on a status API's verdict.
  if (!isProjectVerifyName(call.name))
    return definitions.length && definitions.every((fn) => wrapsStatusVerify(ctx.model, fn)) ? 'zero-is-valid' : undefined;
  if (definitions.length) {
    const kinds = new Set(
      definitions.map((fn) => implementedPolarity(ctx, fn) ?? (wrapsStatusVerify(ctx.model, fn) ? 'zero-is-valid' : undefined)),
    );
    return kinds.size === 1 ? [...kinds][0] : undefined;
  }
  return documentedPolarity(ctx, call.name);
}

/** `bool f(...)` returns true for valid; a C function whose returns are a status API's result, 0 or an error code returns 0. */
function implementedPolarity(ctx: RuleContext, fn: FunctionDef): Polarity | undefined {
  const header = ctx.text.content.slice(fn.start, fn.body?.start ?? fn.end);
  const beforeName = header.slice(0, Math.max(0, header.indexOf(fn.name)));
  if (/\b(bool|boolean|Boolean|_Bool)\b/.test(beforeName) || /\)\s*:\s*Boolean\b|->\s*bool\b/.test(header)) return 'true-is-valid';
  if (!fn.returns.length) return undefined;
  const texts = fn.returns.map((ret) => ret.text.trim());
  if (texts.every((t) => /^(true|false|True|False)$/.test(t)) && texts.some((t) => /^(true|True)$/.test(t))) return 'true-is-valid';
  if (ctx.language !== 'c' && ctx.language !== 'cpp') return undefined;
  let zero = false;
  for (const [i, ret] of fn.returns.entries()) {
    if (SUCCESS_CONSTANT.test(texts[i]) || (ret.call && STATUS_CALL.test(ret.call.name))) zero = true;
    else if (!ERROR_CODE.test(texts[i])) return undefined;
  }
  return zero ? 'zero-is-valid' : undefined;
}

/** The comment right before a declaration of `name` says what it returns: "Returns 0 on success". */
function documentedPolarity(ctx: RuleContext, name: string): Polarity | undefined {
  const content = ctx.text.content;
  for (const comment of ctx.model.comments) {
    const after = content.slice(comment.end, comment.end + 200);
    const declares = new RegExp(`^\\s*(?:[A-Za-z_][\\w\\s*]*?\\s)?\\**${name}\\s*\\(`).test(after);
    if (!declares) continue;
    if (ZERO_ON_SUCCESS_DOC.test(comment.text)) return 'zero-is-valid';
    if (TRUE_ON_SUCCESS_DOC.test(comment.text)) return 'true-is-valid';
  }
  return undefined;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether `condition` holds exactly when the verdict `subject` says valid (true), invalid (false), or neither
 * can be told (a compound condition, another comparison).
 */
export function conditionMeansValid(condition: string, subject: string, polarity: Polarity): boolean | undefined {
  const c = stripParens(condition);
  const s = escapeRegExp(subject);
  const truthy = polarity === 'true-is-valid';
  if (new RegExp(`^${s}$`).test(c)) return truthy;
  if (new RegExp(`^(?:!\\s*|not\\s+)(?:\\(\\s*)?${s}\\s*\\)?$`).test(c)) return !truthy;
  const compared = new RegExp(`^${s}\\s*(==|!=|===|!==|<|>=)\\s*(\\w+)$`).exec(c) ?? swapped(c, s);
  if (!compared) return undefined;
  const [, op, value] = compared;
  const equal = op === '==' || op === '===';
  const unequal = op === '!=' || op === '!==';
  if (polarity === 'zero-is-valid') {
    if (op === '<' && value === '0') return false;
    if (op === '>=' && value === '0') return true;
    if (!SUCCESS_CONSTANT.test(value)) return undefined;
    return equal ? true : unequal ? false : undefined;
  }
  const isTrue = /^(true|True|1)$/.test(value);
  const isFalse = /^(false|False|0)$/.test(value);
  if (!isTrue && !isFalse) return undefined;
  if (equal) return isTrue;
  if (unequal) return isFalse;
  return undefined;
}

/** `0 == rc`, `ESP_OK != verify(...)`: the constant first. */
function swapped(c: string, s: string): RegExpExecArray | null {
  const m = new RegExp(`^(\\w+)\\s*(==|!=|===|!==)\\s*${s}$`).exec(c);
  return m ? (Object.assign([m[0], m[2], m[1]], { index: m.index, input: m.input }) as unknown as RegExpExecArray) : null;
}

const ACCEPT_WORDS = new Set(['install', 'activate', 'upgrade', 'apply', 'commit', 'swap']);
const NOT_ACCEPT_WORDS = new Set(['log', 'print', 'error', 'fail', 'failed', 'reject', 'abort', 'erase', 'report', 'cancel', 'rollback']);

/** An activation API, or a project function named for installing an update (`install_update`, `applyFirmware`). */
export function isAccept(call: Call): boolean {
  if (FIRMWARE_SINKS.some((spec) => spec.kind === 'path' && spec.matches(call))) return true;
  const words = identifierWords(call.name);
  if (words.length < 2 && !['install', 'activate', 'upgrade'].includes(call.name)) return false;
  return words.some((w) => ACCEPT_WORDS.has(w)) && !words.some((w) => NOT_ACCEPT_WORDS.has(w));
}

const IF_TYPES = new Set(['if_statement', 'if_expression']);
const EXIT = /\b(return|goto|throw|raise|break|continue)\b/;

interface IfNode {
  condition: Span;
  consequence?: Span;
  alternative?: Span;
  span: Span;
}

function ifParts(node: Node): IfNode | undefined {
  const condition = node.childForFieldName('condition');
  if (!condition) return undefined;
  const after = node.namedChildren.filter((c): c is Node => !!c && c.startIndex >= condition.endIndex);
  const consequence = node.childForFieldName('consequence') ?? after[0];
  const alternative = node.childForFieldName('alternative') ?? after.find((c) => consequence && c.startIndex >= consequence.endIndex);
  const span = (n: Node | null | undefined) => (n ? { start: n.startIndex, end: n.endIndex } : undefined);
  return { condition: span(condition)!, consequence: span(consequence), alternative: span(alternative), span: span(node)! };
}

/** The `if` statements of `fn` in source order. */
function ifsIn(ctx: RuleContext, fn: FunctionDef): IfNode[] {
  const root = ctx.tree?.rootNode.descendantForIndex(fn.start, fn.end);
  const out: IfNode[] = [];
  const stack: Node[] = root ? [root] : [];
  while (stack.length) {
    const node = stack.pop()!;
    if (IF_TYPES.has(node.type) && node.startIndex >= fn.start && node.endIndex <= fn.end) {
      const parts = ifParts(node);
      if (parts) out.push(parts);
    }
    for (const child of node.namedChildren) if (child) stack.push(child);
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

const inside = (outer: Span | undefined, inner: Span) => !!outer && outer.start <= inner.start && inner.end <= outer.end;

/**
 * The inverted gate on the verdict of `call` (tested inline, or stored in `variable` and tested by the first
 * `if` after it that reads it), if the failure path installs.
 */
export function invertedGate(ctx: RuleContext, call: Call, polarity: Polarity, variable?: string): InvertedGate | undefined {
  const fn = call.fn;
  if (!fn || !ctx.tree) return undefined;
  const content = ctx.text.content;
  const callText = content.slice(call.start, call.end);
  const reads = variable ? new RegExp(`(?<![\\w.])${escapeRegExp(variable)}(?![\\w(])`) : undefined;
  const gate = ifsIn(ctx, fn).find((g) =>
    variable ? g.span.start > call.end && reads!.test(content.slice(g.condition.start, g.condition.end)) : inside(g.condition, call),
  );
  if (!gate) return undefined;
  const meansValid = conditionMeansValid(content.slice(gate.condition.start, gate.condition.end), variable ?? callText, polarity);
  if (meansValid === undefined) return undefined;
  const callsIn = (span: Span | undefined) => (span ? fn.calls.filter((c) => inside(span, c)) : []);
  const failure = meansValid ? gate.alternative : gate.consequence;
  const success = meansValid ? gate.consequence : gate.alternative;
  const inFailure = callsIn(failure).find(isAccept);
  if (inFailure) return { condition: gate.condition, accept: inFailure, how: 'branch' };
  // `if (<valid>) return ...;` with no else: the failure path is what follows the `if`.
  if (!meansValid || gate.alternative || !success || !EXIT.test(content.slice(success.start, success.end))) return undefined;
  if (callsIn(success).some(isAccept)) return undefined;
  const after = fn.calls.find((c) => c.start >= gate.span.end && isAccept(c));
  return after ? { condition: gate.condition, accept: after, how: 'fallthrough' } : undefined;
}
