/**
 * The one rule for a suppression's assessment, wherever it is written: after `--` in a suppression comment,
 * in a `.medsec.json` suppression entry, or in the editor's prompt. The engine (server/src/core/suppressions.ts)
 * and the VS Code client both call this module, so a justification the editor accepts is one the engine
 * accepts. Imports nothing, so every bundle can take it.
 *
 *   <why it is safe here> (reviewed-by: <name>) (until YYYY-MM-DD)
 *
 * The two tags are optional, in either order, and only at the end: a parenthesis elsewhere is part of the
 * justification. A justification must carry information: at least `minLength` characters and not made of
 * stop words only ("ok", "fine", "todo", "n/a", ...). A project can ask for a reviewer on every suppression.
 */

export interface JustificationPolicy {
  /** Fewest characters a justification may have (tags not counted). */
  minLength: number;
  /** Words and phrases that say nothing on their own; compared without case and surrounding punctuation. */
  stopWords: readonly string[];
  /** Whether every suppression must name its reviewer. */
  requireReviewer: boolean;
}

export const DEFAULT_STOP_WORDS: readonly string[] = [
  'ok',
  'okay',
  'fine',
  'good',
  'safe',
  'test',
  'tests',
  'testing',
  'todo',
  'to do',
  'fixme',
  'tbd',
  'wip',
  'n/a',
  'na',
  'none',
  'nothing',
  'yes',
  'no',
  'ignore',
  'ignored',
  'suppress',
  'suppressed',
  'false positive',
  'fp',
  'not a bug',
  'reviewed',
  'approved',
  'accepted',
  'checked',
  'intentional',
  'intended',
  'by design',
  'known',
  'known issue',
  'legacy',
  'temp',
  'temporary',
  'later',
  'fix later',
  'will fix',
  'wontfix',
  "won't fix",
  'whatever',
  'because',
  'reason',
  'no reason',
  'justification',
  'see above',
  'as above',
  'same as above',
  'done',
  'x',
  'xxx',
  '-',
  '.',
  '?',
  // Fillers: a justification made of nothing but stop words and these says nothing either.
  'and',
  'or',
  'the',
  'a',
  'an',
  'is',
  'it',
  'this',
  'that',
  'for',
  'now',
  'just',
  'only',
  'by',
  'as',
  'per',
  'to',
  'of',
];

export const DEFAULT_JUSTIFICATION_POLICY: JustificationPolicy = {
  minLength: 12,
  stopWords: DEFAULT_STOP_WORDS,
  requireReviewer: false,
};

/** What a good justification names; every message about a rejected one ends with it. */
export const WHAT_A_JUSTIFICATION_NAMES = 'A justification says why the finding is safe here, who reviewed it and until when';
export const GOOD_JUSTIFICATION = `${WHAT_A_JUSTIFICATION_NAMES}: \`-- <why it is safe> (reviewed-by: <name>) (until YYYY-MM-DD)\``;

/** A suppression's assessment as written, and why it cannot be used (empty when it can). */
export interface Assessment {
  justification: string;
  reviewer?: string;
  /** YYYY-MM-DD; the suppression applies up to and including that day. */
  until?: string;
  problems: string[];
}

const TRAILING_TAG = /\(\s*(reviewed-by|until)\b([^()]*)\)\s*$/i;
const MISPLACED_TAG = /\(\s*(?:reviewed-by|until)\b/i;
const LOOKALIKE_REVIEWER_TAG = /\(\s*(?:reviewer|reviewed[\s_]by|approved[\s_-]by)\s*:/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Reads `<justification> (reviewed-by: NAME) (until YYYY-MM-DD)`: the tags are taken from the end.
 * `fields` are the same parts given separately (a `.medsec.json` entry's `reviewedBy` and `until`).
 */
export function parseAssessment(text: string, fields: { reviewer?: string; until?: string } = {}): Assessment {
  const problems: string[] = [];
  const tags: { reviewer?: string; until?: string } = {};
  let rest = text.trim();
  for (let m = TRAILING_TAG.exec(rest); m; m = TRAILING_TAG.exec(rest)) {
    const name = m[1].toLowerCase() === 'until' ? 'until' : 'reviewer';
    if (tags[name] !== undefined) problems.push(`it gives ${name === 'until' ? 'an expiry date' : 'a reviewer'} twice`);
    tags[name] = m[2].trim().replace(/^:/, '').trim();
    rest = rest.slice(0, m.index).trim();
  }
  if (MISPLACED_TAG.test(rest)) problems.push('its `(reviewed-by: …)` and `(until …)` must come last, after the justification');
  if (LOOKALIKE_REVIEWER_TAG.test(rest)) problems.push('it names a reviewer in a form medsec does not read: write `(reviewed-by: NAME)`');
  const reviewer = pick('reviewer', tags.reviewer, fields.reviewer, problems);
  const until = pick('expiry date', tags.until, fields.until, problems);
  if (reviewer !== undefined && !reviewer) problems.push('its `(reviewed-by: …)` names nobody');
  if (until !== undefined && !isCalendarDate(until)) {
    problems.push(`its expiry date "${until}" is not a calendar date in the form YYYY-MM-DD`);
  }
  return { justification: rest, ...(reviewer ? { reviewer } : {}), ...(until !== undefined ? { until } : {}), problems };
}

/** A value given both as a tag and as a field must agree. */
function pick(what: string, tag: string | undefined, field: string | undefined, problems: string[]): string | undefined {
  const fieldValue = field?.trim();
  if (tag !== undefined && fieldValue !== undefined && tag !== fieldValue) problems.push(`it gives two different values for its ${what}`);
  return tag ?? fieldValue;
}

function isCalendarDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text;
}

/** Why the assessment's justification and reviewer do not meet the policy (empty when they do). */
export function policyProblems(assessment: Omit<Assessment, 'problems'>, policy: JustificationPolicy): string[] {
  const problems: string[] = [];
  const justification = assessment.justification.trim();
  if (!justification) problems.push('it has no justification after `--`');
  else if (isStopWords(justification, policy.stopWords)) {
    problems.push(`its justification "${justification}" says nothing about why the finding is acceptable`);
  } else if (justification.length < policy.minLength) {
    problems.push(`its justification "${justification}" is shorter than the ${policy.minLength} characters this project asks for`);
  }
  if (policy.requireReviewer && !assessment.reviewer) {
    problems.push('it names no reviewer, and this project requires one: add `(reviewed-by: NAME)`');
  }
  return problems;
}

/** The text parsed and judged: every reason it cannot be used. */
export function assessJustification(
  text: string,
  policy: JustificationPolicy = DEFAULT_JUSTIFICATION_POLICY,
  fields: { reviewer?: string; until?: string } = {},
): Assessment {
  const assessment = parseAssessment(text, fields);
  return { ...assessment, problems: [...policyProblems(assessment, policy), ...assessment.problems] };
}

const EDGE_PUNCTUATION = new Set(' \t.,;:!?\'"`()[]{}-');

/** Without the punctuation and spaces at either end (a loop, not a regex: comments can be long). */
function trimPunctuation(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && EDGE_PUNCTUATION.has(text[start])) start++;
  while (end > start && EDGE_PUNCTUATION.has(text[end - 1])) end--;
  return text.slice(start, end);
}

/** The whole text is a stop word, or it is made of nothing else (phrases such as "false positive" count as one). */
function isStopWords(text: string, stopWords: readonly string[]): boolean {
  const stop = new Set(stopWords.map((word) => normalize(word)));
  let rest = normalize(text);
  if (stop.has(rest)) return true;
  const phrases = [...stop].filter((word) => word.includes(' ')).sort((a, b) => b.length - a.length);
  for (const phrase of phrases) rest = rest.split(phrase).join(' ');
  const words = rest
    .split(/[\s,;:!?]+/)
    .map(trimPunctuation)
    .filter(Boolean);
  return words.every((word) => stop.has(word));
}

function normalize(text: string): string {
  return trimPunctuation(text.toLowerCase().replace(/\s+/g, ' '));
}
