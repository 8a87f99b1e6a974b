/**
 * The functions of a file by name, indexed once per file: rules that ask "is this call's callee defined here,
 * and what does it do" for every call would otherwise filter every function per call (quadratic in a large
 * C file).
 */
import type { CodeModel, FunctionDef } from '../../server/src/core/model/types';

const indexes = new WeakMap<readonly FunctionDef[], Map<string, FunctionDef[]>>();
const NONE: readonly FunctionDef[] = Object.freeze([]);

/** The functions of the file named `name`, in model order (empty when none). Callers must not mutate it. */
export function functionsNamed(model: CodeModel, name: string): readonly FunctionDef[] {
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
