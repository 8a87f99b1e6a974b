/**
 * Facts of a file that rules ask for more than once (per log call, per literal, or from several rules), worked out
 * on the first ask and kept on the file's code model (core/model/object-memo.ts says why not in a WeakMap).
 */
import { memoize } from '../../server/src/core/model/object-memo';
import type { CodeModel } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';

/** `compute(ctx)` once per file checked. */
export function perFile<V>(description: string, compute: (ctx: RuleContext) => V): (ctx: RuleContext) => V {
  return memoize(description, (ctx: RuleContext) => ctx.model, compute);
}

/** `compute(model)` once per file's model. */
export function perModel<V>(description: string, compute: (model: CodeModel) => V): (model: CodeModel) => V {
  return memoize(description, (model: CodeModel) => model, compute);
}
