/**
 * What a logged argument prints, piece by piece, for the checks that follow one printed value to its origin
 * (a session ID, a connection URI): the argument itself when it is a name or a call, else the names and calls
 * a template or a concatenation is built from, however it nests (`"a" + id + "b"` is `("a" + id) + "b"`).
 * Anything else (a comparison, an arithmetic result, `a || b`) prints no value of its own pieces.
 */
import type { Expr } from '../../server/src/core/model/types';

/** How deeply nested templates and concatenations are taken apart. */
const MAX_DEPTH = 8;

export function printedPieces(arg: Expr, depth = 0): Expr[] {
  if (arg.kind === 'name' || arg.kind === 'call') return [arg];
  if (depth > MAX_DEPTH || arg.kind !== 'other' || (arg.operator !== undefined && arg.operator !== '+')) return [];
  return (arg.parts?.() ?? []).flatMap((part) => printedPieces(part, depth + 1));
}
