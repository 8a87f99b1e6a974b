/**
 * The functions of a file by name, indexed once per file and shared by everyone who asks (the flow layer, the
 * call graph of the update rules, the signature APIs): asking "is this call's callee defined here" per call
 * would otherwise filter every function per call (quadratic in a large C file).
 */
import { ObjectMemo } from './object-memo';
import type { CodeModel, FunctionDef } from './types';

/** Kept on the functions array, not in a WeakMap: the index holds the functions (see object-memo.ts). */
const indexes = new ObjectMemo<readonly FunctionDef[], Map<string, FunctionDef[]>>('medsec.functionsByName');
const NONE: readonly FunctionDef[] = Object.freeze([]);

/**
 * The functions of the file named `name`, in model order (empty when none, and for the empty name: anonymous
 * functions are no call's callee). Callers must not mutate it.
 */
export function functionsNamed(model: Pick<CodeModel, 'functions'>, name: string): readonly FunctionDef[] {
  if (!name) return NONE;
  let byName = indexes.get(model.functions);
  if (!byName) {
    byName = new Map();
    for (const fn of model.functions) {
      const list = byName.get(fn.name);
      if (list) list.push(fn);
      else byName.set(fn.name, [fn]);
    }
    indexes.set(model.functions, byName);
  }
  return byName.get(name) ?? NONE;
}
