/**
 * The comments of a TypeScript / JavaScript file, found from the text and the ranges of its opaque
 * literals. Outside string, regex and template literals and JSX text, `//` and `/*` can only start a
 * comment: so one pass over the text that skips those ranges collects every comment. Linear in the text.
 * The ranges come from whichever tree the file was parsed into (ESTree: estree-comments.ts; TypeScript's
 * own: model/ts-model.ts).
 */

export interface CommentSpan {
  kind: 'Line' | 'Block';
  start: number;
  end: number;
  /** Whether a block comment has its closing star-slash: an unclosed one runs to the end of the file. */
  closed: boolean;
}

/** `opaque`: the literals' ranges sorted by start, flattened as [start0, end0, start1, end1, …]. */
export function commentSpans(text: string, opaque: readonly number[]): CommentSpan[] {
  const comments: CommentSpan[] = [];
  let next = 0; // the first opaque range not yet passed
  // A hashbang line is not a comment for typescript-estree either, but its `//` must not start one.
  let at = text.startsWith('#!') ? lineEnd(text, 0) : 0;
  for (;;) {
    const slash = text.indexOf('/', at);
    if (slash < 0 || slash + 1 >= text.length) break;
    while (next < opaque.length && opaque[next + 1] <= slash) next += 2;
    if (next < opaque.length && opaque[next] <= slash) {
      at = opaque[next + 1]; // inside a literal: go on after it
      continue;
    }
    const kind = text.charCodeAt(slash + 1);
    if (kind === 0x2f /* / */) {
      at = lineEnd(text, slash);
      comments.push({ kind: 'Line', start: slash, end: at, closed: true });
    } else if (kind === 0x2a /* * */) {
      const close = text.indexOf('*/', slash + 2);
      at = close < 0 ? text.length : close + 2;
      comments.push({ kind: 'Block', start: slash, end: at, closed: close >= 0 });
    } else at = slash + 1;
  }
  return comments;
}

function lineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) return i;
  }
  return text.length;
}
