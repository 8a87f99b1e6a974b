/** Applying fix edits to text: the CLI's `medsec fix`, the fixture tests and the language server share it. */
import type { Finding, Fix, TextEdit } from './types';

/** Applies non-overlapping edits; an edit that overlaps one already taken is skipped (returned in `skipped`). */
export function applyEdits(text: string, edits: TextEdit[]): { text: string; skipped: TextEdit[] } {
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const taken: TextEdit[] = [];
  const skipped: TextEdit[] = [];
  let lastEnd = -1;
  for (const edit of sorted) {
    if (edit.span.start < lastEnd) skipped.push(edit);
    else {
      taken.push(edit);
      lastEnd = Math.max(lastEnd, edit.span.end);
    }
  }
  let out = '';
  let pos = 0;
  for (const edit of taken) {
    out += text.slice(pos, edit.span.start) + edit.newText;
    pos = edit.span.end;
  }
  return { text: out + text.slice(pos), skipped };
}

/** The fix `medsec fix` and fix-all apply for a finding: its first fix, if that one is marked safe. */
export function safeFixOf(finding: Finding): Fix | undefined {
  const fix = finding.fixes[0];
  return fix && fix.safety === 'safe' ? fix : undefined;
}
