/**
 * Whether code sits inside an `if` that limits it to debug builds (`BuildConfig.DEBUG`, `FLAG_DEBUGGABLE`), or
 * inside any `if` whose condition a caller judges: Java and Kotlin `if` statements read from the text of the
 * enclosing function, with braces balanced, since release builds ship what such a guard leaves out.
 */
import type { Span } from '../../server/src/core/types';

/** Conditions that limit code to a debug build: `BuildConfig.DEBUG`, `(info.flags & FLAG_DEBUGGABLE) != 0`. */
export function isDebugCondition(condition: string): boolean {
  if (/!\s*(?:[\w.]*BuildConfig\.DEBUG\b|\()/.test(condition.replace(/!=/g, ''))) return false;
  if (/BuildConfig\.DEBUG\b/.test(condition)) return !/BuildConfig\.DEBUG\s*==\s*false/.test(condition);
  return /FLAG_DEBUGGABLE/.test(condition) && !/==\s*0\b|\b0\s*==/.test(condition);
}

/** The text of a parenthesised condition starting at `open` (a `(`), and the offset after its `)`. */
function balancedCondition(text: string, open: number): { condition: string; end: number } | undefined {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return { condition: text.slice(open + 1, i), end: i + 1 };
  }
  return undefined;
}

/** Whether `offset` is inside the block (or single statement) of an `if` in the function whose condition `holds`. */
export function inGuard(content: string, fnSpan: Span, offset: number, holds: (condition: string) => boolean): boolean {
  const body = content.slice(fnSpan.start, offset);
  const ifKeyword = /\bif\s*\(/g;
  for (let m = ifKeyword.exec(body); m; m = ifKeyword.exec(body)) {
    const parsed = balancedCondition(body, m.index + m[0].length - 1);
    if (!parsed || !holds(parsed.condition)) continue;
    const rest = body.slice(parsed.end);
    if (!/^\s*\{/.test(rest)) {
      if (!/[;{}]/.test(rest)) return true;
      continue;
    }
    let depth = 0;
    for (const ch of rest) {
      if (ch === '{') depth++;
      else if (ch === '}') depth--;
      if (depth === 0 && ch === '}') break;
    }
    if (depth > 0) return true;
  }
  return false;
}

/** Whether `offset` is inside the block (or single statement) of a debug-build `if` in the function. */
export function inDebugGuard(content: string, fnSpan: Span, offset: number): boolean {
  return inGuard(content, fnSpan, offset, isDebugCondition);
}
