/**
 * Lookup tables: an object, dict or initializer of many entries whose keys are codes of one shape and whose
 * values are of one kind (`{ AL: 'Alabama', …, PW: 'Palau', … }`, unit or error-code tables). A key there that
 * happens to spell a credential word (`PW`, `PIN`, `KEY`) is one code among its siblings, not a slot a secret
 * is written into: a configuration object mixes keys of different shapes (`host`, `port`, `password`).
 */
import type { Binding, CodeModel, Expr } from '../../server/src/core/model/types';
import { hasMarkWithin } from '../_shared/call-marks';

/** Fewer entries than this is a record, not a table. */
const MIN_ENTRIES = 8;
/** Share of the entries whose key has the same shape as the credential-named one. */
const SAME_SHAPE = 0.9;

/** `PW` → `AA`, `kg` → `aa`, `E42` → `A99`: the characters' classes, in order. */
function shapeOf(text: string): string {
  return text.replace(/[A-Z]/g, 'A').replace(/[a-z]/g, 'a').replace(/[0-9]/g, '9');
}

/** Character classes a value uses: upper, lower, digit, space, other. */
function classesOf(text: string): Set<string> {
  const classes = new Set<string>();
  for (const ch of text) classes.add(/[A-Z]/.test(ch) ? 'A' : /[a-z]/.test(ch) ? 'a' : /\d/.test(ch) ? '9' : /\s/.test(ch) ? ' ' : '.');
  return classes;
}

/**
 * Maps the start of each object entry's value to the object holding it, over every object the model binds. Only
 * a property binding's value is ever looked up, so a subtree holding none (a table of numbers, a list of
 * names) is not walked, and its elements are never resolved.
 */
export function objectParents(model: CodeModel): Map<number, Expr> {
  const parents = new Map<number, Expr>();
  const seen = new Set<Expr>();
  const wanted = model.bindings
    .filter((b) => b.kind === 'property')
    .map((b) => b.value.start)
    .sort((a, b) => a - b);
  if (!wanted.length) return parents;
  const visit = (expr: Expr) => {
    if (seen.has(expr) || !hasMarkWithin(wanted, expr)) return;
    seen.add(expr);
    for (const entry of expr.entries ?? []) {
      parents.set(entry.value.start, expr);
      visit(entry.value);
    }
    for (const element of expr.elements ?? []) visit(element);
  };
  for (const binding of model.bindings) visit(binding.value);
  for (const call of model.calls) if (hasMarkWithin(wanted, call)) for (const arg of call.args) visit(arg);
  return parents;
}

/**
 * Whether a property binding is an entry of a lookup table: its object has many entries, every other key is
 * not credential-named, nearly all keys share its key's shape, and every value is a string literal of the
 * character classes its siblings use.
 */
export function isLookupTableEntry(binding: Binding, parents: Map<number, Expr>, isCredentialKey: (key: string) => boolean): boolean {
  if (binding.kind !== 'property') return false;
  const table = parents.get(binding.value.start);
  const entries = table?.entries ?? [];
  if (entries.length < MIN_ENTRIES || binding.value.kind !== 'string') return false;
  const siblings = entries.filter((e) => e.value.start !== binding.value.start);
  if (siblings.some((e) => e.value.kind !== 'string' || isCredentialKey(e.key))) return false;
  const shape = shapeOf(binding.name);
  if (entries.filter((e) => shapeOf(e.key.replace(/^\./, '')) === shape).length < SAME_SHAPE * entries.length) return false;
  const siblingClasses = new Set(siblings.flatMap((e) => [...classesOf(e.value.value ?? '')]));
  return [...classesOf(binding.value.value ?? '')].every((c) => siblingClasses.has(c));
}
