/**
 * Suppression comments:
 *   // medsec-ignore-next-line rule-a, rule-b -- why this is acceptable (until 2027-03-31)
 *   code();  // medsec-ignore rule-a -- why
 * The justification after `--` is required; a directive without one suppresses nothing and is reported by
 * the `unjustified-suppression` rule. An `(until YYYY-MM-DD)` date makes the suppression expire.
 */
import type { Comment } from './model/types';
import type { SourceText } from './text';

export interface SuppressionDirective {
  kind: 'same-line' | 'next-line';
  ruleIds: string[];
  justification: string;
  until?: string;
  /** Line (zero-based) whose findings the directive covers. */
  targetLine: number;
  /** Where the directive is, for reporting problems with it. */
  start: number;
  end: number;
  problems: string[];
}

// The directive must open the comment line: prose that mentions medsec-ignore is not a directive.
const DIRECTIVE = /^\s*(?:\/\/+|\/\*+|\*+|#+|<!--)?\s*medsec-ignore(-next-line)?(?![\w-])([^\n]*)/;
const UNTIL = /\(\s*until\s+(\d{4}-\d{2}-\d{2})\s*\)\s*$/i;

export function parseSuppressions(comments: Comment[], text: SourceText): SuppressionDirective[] {
  const directives: SuppressionDirective[] = [];
  for (const comment of comments) {
    if (!comment.text.includes('medsec-ignore')) continue;
    // A block comment can hold several lines; each line can be a directive.
    let lineOffset = comment.start;
    for (const rawLine of comment.text.split('\n')) {
      const lineStart = lineOffset;
      lineOffset += rawLine.length + 1;
      const m = DIRECTIVE.exec(rawLine);
      if (!m) continue;
      const body = m[2].replace(/\s*(\*\/|-->)\s*$/, '').trim();
      const problems: string[] = [];
      const sep = body.search(/(^|\s)--(\s|$)/);
      const idsPart = (sep >= 0 ? body.slice(0, sep) : body).trim();
      let justification = sep >= 0 ? body.slice(sep).replace(/^\s*--\s*/, '').trim() : '';
      let until: string | undefined;
      const u = UNTIL.exec(justification);
      if (u) {
        until = u[1];
        justification = justification.slice(0, u.index).trim();
        if (Number.isNaN(Date.parse(`${until}T00:00:00Z`))) problems.push(`the expiry date ${until} is not a valid date`);
      }
      const ruleIds = idsPart.split(/[\s,]+/).filter(Boolean);
      if (!ruleIds.length) problems.push('it names no rule id');
      if (!justification) problems.push('it has no justification after `--`');
      const start = lineStart + rawLine.indexOf('medsec-ignore');
      const line = text.positionAt(start).line;
      directives.push({
        kind: m[1] ? 'next-line' : 'same-line',
        ruleIds, justification, until,
        targetLine: m[1] ? line + 1 : line,
        start, end: lineStart + rawLine.replace(/\s*(\*\/|-->)\s*$/, '').length,
        problems,
      });
    }
  }
  return directives;
}

/** Whether an `until` date is in the past (the suppression stops applying the day after it). */
export function isExpired(until: string | undefined, today: Date = new Date()): boolean {
  if (!until) return false;
  const end = Date.parse(`${until}T23:59:59.999Z`);
  return !Number.isNaN(end) && today.getTime() > end;
}
