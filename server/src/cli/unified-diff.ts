/** A small unified diff (for `medsec fix --dry-run`): common prefix and suffix trimmed, LCS on the rest. */

const CONTEXT = 3;

type Op = { kind: ' ' | '-' | '+'; text: string; oldLine: number; newLine: number };

/** `show` maps each shown line (without its +/-/space marker) before it is printed: the fix command masks secrets with it. */
export function unifiedDiff(file: string, before: string, after: string, show: (line: string) => string = (line) => line): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a, b);
  const header = [`--- a/${file}`, `+++ b/${file}`];
  const hunks: string[] = [];
  let i = 0;
  while (i < ops.length) {
    if (ops[i].kind === ' ') {
      i++;
      continue;
    }
    // Grow the hunk while changes are within 2 * CONTEXT lines of each other.
    let start = Math.max(0, i - CONTEXT);
    let end = i;
    while (end < ops.length) {
      let next = end;
      while (next < ops.length && ops[next].kind !== ' ') next++;
      let gap = next;
      while (gap < ops.length && ops[gap].kind === ' ') gap++;
      if (gap < ops.length && gap - next <= 2 * CONTEXT) end = gap;
      else {
        end = Math.min(ops.length, next + CONTEXT);
        break;
      }
    }
    const slice = ops.slice(start, end);
    const oldStart = slice[0].oldLine;
    const newStart = slice[0].newLine;
    const oldCount = slice.filter((op) => op.kind !== '+').length;
    const newCount = slice.filter((op) => op.kind !== '-').length;
    hunks.push(`@@ -${oldCount ? oldStart : oldStart - 1},${oldCount} +${newCount ? newStart : newStart - 1},${newCount} @@`);
    for (const op of slice) hunks.push(`${op.kind}${show(op.text)}`);
    i = end;
    start = end;
  }
  return `${[...header, ...hunks].join('\n')}\n`;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function diffLines(a: string[], b: string[]): Op[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const midA = a.slice(prefix, a.length - suffix);
  const midB = b.slice(prefix, b.length - suffix);
  const ops: Op[] = [];
  let oldLine = 1;
  let newLine = 1;
  const push = (kind: Op['kind'], text: string) => {
    ops.push({ kind, text, oldLine, newLine });
    if (kind !== '+') oldLine++;
    if (kind !== '-') newLine++;
  };
  for (let k = 0; k < prefix; k++) push(' ', a[k]);
  // LCS table over the changed middle only (fixes touch few lines, so it stays small).
  const n = midA.length;
  const m = midB.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let x = n - 1; x >= 0; x--) {
    for (let y = m - 1; y >= 0; y--) lcs[x][y] = midA[x] === midB[y] ? lcs[x + 1][y + 1] + 1 : Math.max(lcs[x + 1][y], lcs[x][y + 1]);
  }
  let x = 0;
  let y = 0;
  while (x < n || y < m) {
    if (x < n && y < m && midA[x] === midB[y]) {
      push(' ', midA[x++]);
      y++;
    } else if (y < m && (x === n || lcs[x][y + 1] >= lcs[x + 1][y])) push('+', midB[y++]);
    else push('-', midA[x++]);
  }
  // Standard diff order: deletions before insertions within a change.
  for (let k = a.length - suffix; k < a.length; k++) push(' ', a[k]);
  return reorder(ops);
}

/** Within each run of changes, list '-' lines before '+' lines (keeping their line numbers). */
function reorder(ops: Op[]): Op[] {
  const out: Op[] = [];
  let i = 0;
  while (i < ops.length) {
    if (ops[i].kind === ' ') {
      out.push(ops[i++]);
      continue;
    }
    const run: Op[] = [];
    while (i < ops.length && ops[i].kind !== ' ') run.push(ops[i++]);
    const first = run[0];
    const removed = run.filter((op) => op.kind === '-');
    const added = run.filter((op) => op.kind === '+');
    removed.forEach((op, k) => out.push({ ...op, oldLine: first.oldLine + k, newLine: first.newLine }));
    added.forEach((op, k) => out.push({ ...op, oldLine: first.oldLine + removed.length, newLine: first.newLine + k }));
  }
  return out;
}
