/** Condition text without the parentheses that enclose all of it: `((ok))` → `ok`, `(a) && (b)` unchanged. */
export function stripParens(text: string): string {
  let t = text.trim();
  while (t.startsWith('(') && t.endsWith(')') && balanced(t.slice(1, -1))) t = t.slice(1, -1).trim();
  return t;
}

/** Whether every `)` of `text` closes an earlier `(` and none is left open. */
function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}
