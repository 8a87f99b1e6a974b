/**
 * Suppressions, written in the code or in `.medsec.json`, with one syntax for the assessment
 * (shared/justification.ts):
 *   // medsec-ignore-next-line rule-a, rule-b -- why this is acceptable (reviewed-by: A. Jones) (until 2027-03-31)
 *   code();  // medsec-ignore rule-a -- why this is acceptable
 *   "suppressions": [{ "rules": ["rule-a"], "paths": ["keys/**"], "justification": "why", "reviewedBy": "A. Jones" }]
 * A suppression whose assessment does not qualify (no or an uninformative justification, a missing reviewer
 * where the project requires one, an invalid date) suppresses nothing, and `unjustified-suppression` reports
 * it. An expired one stops applying the day after its date, and the finding says so.
 */
import {
  assessJustification,
  DEFAULT_JUSTIFICATION_POLICY,
  type Assessment,
  type JustificationPolicy,
} from '../../../shared/justification';
import type { SuppressionPolicySpec, SuppressionSpec } from './config-types';
import type { Comment } from './model/types';
import type { SourceText } from './text';
import type { ConfigSuppression, EffectiveRule, Finding } from './types';

export interface SuppressionDirective {
  kind: 'same-line' | 'next-line';
  ruleIds: string[];
  justification: string;
  reviewer?: string;
  until?: string;
  /** Line (zero-based) whose findings the directive covers. */
  targetLine: number;
  /** Where the directive is, for reporting problems with it. */
  start: number;
  end: number;
  /** Why it suppresses nothing; empty when it applies. */
  problems: string[];
}

// The directive must open the comment line: prose that mentions medsec-ignore is not a directive.
// The spaces after the comment marker belong to it, so a line's leading spaces are read one way.
const DIRECTIVE = /^\s*(?:(?:\/\/+|\/\*+|\*+|#+|<!--)\s*)?medsec-ignore(-next-line)?(?![\w-])([^\n]*)/;

/**
 * The line without a closing `*\/` or `-->` and the blanks around it; unchanged when there is none. A scan
 * from the end, not /\s*(\*\/|-->)\s*$/: a regex tried at every start of a long run of blanks is quadratic.
 */
function withoutCommentEnd(line: string): string {
  const trimmed = line.trimEnd();
  const marker = trimmed.endsWith('*/') ? 2 : trimmed.endsWith('-->') ? 3 : 0;
  return marker ? trimmed.slice(0, trimmed.length - marker).trimEnd() : line;
}

export function parseSuppressions(
  comments: Comment[],
  text: SourceText,
  policy: JustificationPolicy = DEFAULT_JUSTIFICATION_POLICY,
): SuppressionDirective[] {
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
      const start = lineStart + rawLine.indexOf('medsec-ignore');
      const line = text.positionAt(start).line;
      directives.push({
        kind: m[1] ? 'next-line' : 'same-line',
        ...parseDirectiveBody(withoutCommentEnd(m[2]).trim(), policy),
        targetLine: m[1] ? line + 1 : line,
        start,
        end: lineStart + withoutCommentEnd(rawLine).length,
      });
    }
  }
  return directives;
}

/** `rule-a, rule-b -- <assessment>`. */
type DirectiveBody = Pick<SuppressionDirective, 'ruleIds' | 'justification' | 'reviewer' | 'until' | 'problems'>;

function parseDirectiveBody(body: string, policy: JustificationPolicy): DirectiveBody {
  const separator = body.search(/(^|\s)--(\s|$)/);
  const ruleIds = (separator >= 0 ? body.slice(0, separator) : body).split(/[\s,]+/).filter(Boolean);
  const { problems, ...assessment } = assessJustification(separator >= 0 ? body.slice(separator).replace(/^\s*--/, '') : '', policy);
  return { ruleIds, ...assessment, problems: [...(ruleIds.length ? [] : ['it names no rule id']), ...problems] };
}

/** Whether an `until` date is in the past (the suppression stops applying the day after it). */
export function isExpired(until: string | undefined, today: Date = new Date()): boolean {
  if (!until) return false;
  const end = Date.parse(`${until}T23:59:59.999Z`);
  return !Number.isNaN(end) && today.getTime() > end;
}

/** The policy of a file's suppressions: `ResolvedConfig.rulesFor` gives each of the file's rules the same one. */
export function policyOf(rules: readonly EffectiveRule[]): JustificationPolicy {
  return rules.find((effective) => effective.justificationPolicy)?.justificationPolicy ?? DEFAULT_JUSTIFICATION_POLICY;
}

/** What the engine appends to a finding whose suppression expired; the reports recognise it by this text. */
export function expiryNote(until: string, justification: string, origin: string | undefined): string {
  return ` (its suppression${origin ? ` in ${origin}` : ''} expired on ${until}: "${justification}")`;
}

/** A candidate for one finding: a comment directive or a `.medsec.json` entry, with where it was written. */
interface Candidate {
  justification: string;
  reviewer?: string;
  until?: string;
  problems: string[];
  source: 'in-source' | 'config';
  /** Where a `.medsec.json` entry is (`.medsec.json suppressions[0]`); a comment is next to its finding. */
  origin?: string;
}

/**
 * Marks each finding suppressed by the first directive on its line or `.medsec.json` entry for its rule
 * (given on the rule by `rulesFor`) that qualifies and has not expired. An expired one leaves a note on
 * the finding; an entry of `.medsec.json` that does not qualify says why on the finding (a comment that
 * does not is reported where it is written, by `unjustified-suppression`).
 */
export function applySuppressions(
  findings: Finding[],
  directives: readonly SuppressionDirective[],
  rules: readonly EffectiveRule[],
  today: Date = new Date(),
): void {
  const byId = new Map<string, EffectiveRule>();
  for (const effective of rules) {
    byId.set(effective.rule.meta.id, effective);
    for (const alias of effective.rule.meta.aliases ?? []) if (!byId.has(alias)) byId.set(alias, effective);
  }
  const canonical = (id: string) => byId.get(id)?.rule.meta.id ?? id;
  for (const finding of findings) {
    const inSource = directives
      .filter((d) => d.targetLine === finding.range.start.line && d.ruleIds.some((id) => id === 'all' || canonical(id) === finding.ruleId))
      .map((d): Candidate => ({ ...d, source: 'in-source' }));
    const fromConfig = (byId.get(finding.ruleId)?.suppressedBy ?? []).map((s): Candidate => ({ ...s, source: 'config' }));
    applyFirstQualifying(finding, [...inSource, ...fromConfig], today);
  }
}

function applyFirstQualifying(finding: Finding, candidates: readonly Candidate[], today: Date): void {
  for (const candidate of candidates) {
    if (candidate.problems.length) {
      if (candidate.source === 'config') {
        finding.message += ` (${candidate.origin} does not suppress it: ${candidate.problems.join(' and ')})`;
      }
      continue;
    }
    const { justification, reviewer, until, source, origin } = candidate;
    const assessment = {
      justification,
      ...(reviewer ? { reviewer } : {}),
      ...(until ? { until } : {}),
      source,
      ...(origin ? { origin } : {}),
    };
    if (isExpired(until, today)) {
      finding.message += expiryNote(until!, justification, origin);
      finding.expiredSuppression ??= { ...assessment, until: until! };
      continue;
    }
    finding.suppression = assessment;
    return;
  }
}

// ---------------------------------------------------------------------------------------------------
// `.medsec.json`: the `suppressions` list and the `suppressionPolicy`

export type ConfigSuppressionSpec = Pick<SuppressionSpec, 'justification' | 'reviewedBy' | 'until'>;

/** A `.medsec.json` entry judged like a comment: its justification text with its `reviewedBy` and `until` fields. */
export function assessConfigSuppression(
  entry: ConfigSuppressionSpec,
  policy: JustificationPolicy = DEFAULT_JUSTIFICATION_POLICY,
): Assessment {
  return assessJustification(entry.justification, policy, { reviewer: entry.reviewedBy, until: entry.until });
}

/** The policy `suppressionPolicy` asks for, or undefined when it sets nothing (the default applies). */
export function justificationPolicyOf(spec: SuppressionPolicySpec | undefined): JustificationPolicy | undefined {
  if (!spec || Object.keys(spec).length === 0) return undefined;
  const defaults = DEFAULT_JUSTIFICATION_POLICY;
  return {
    minLength: spec.minJustificationLength ?? defaults.minLength,
    stopWords: spec.stopWords ?? defaults.stopWords,
    requireReviewer: spec.requireReviewer ?? defaults.requireReviewer,
  };
}

/** A `suppressions` entry as the loader read it: canonical rule ids (or `all`) and its compiled path globs. */
export interface ConfigSuppressionEntry {
  ruleIds: ReadonlySet<string>;
  matches: (relativePath: string) => boolean;
  spec: ConfigSuppressionSpec;
  /** `.medsec.json suppressions[0]`. */
  origin: string;
}

/**
 * What `ResolvedConfig.rulesFor` hands the engine for one file: each rule with the entries that cover it
 * there, and the policy, so that checking a file needs nothing but its rules.
 */
export function configSuppressor(
  entries: readonly ConfigSuppressionEntry[],
  policy: JustificationPolicy | undefined,
): (rules: EffectiveRule[], relativePath: string) => EffectiveRule[] {
  if (!entries.length && !policy) return (rules) => rules;
  const judged = entries.map((entry) => {
    const { justification, reviewer, until, problems } = assessConfigSuppression(entry.spec, policy);
    const suppression: ConfigSuppression = {
      justification,
      ...(reviewer ? { reviewer } : {}),
      ...(until ? { until } : {}),
      origin: entry.origin,
      problems,
    };
    return { entry, suppression };
  });
  return (rules, relativePath) => {
    const here = judged.filter(({ entry }) => entry.matches(relativePath));
    return rules.map((effective) => {
      const id = effective.rule.meta.id;
      const suppressedBy = here.filter(({ entry }) => entry.ruleIds.has(id) || entry.ruleIds.has('all')).map((j) => j.suppression);
      if (!suppressedBy.length && !policy) return effective;
      return { ...effective, ...(suppressedBy.length ? { suppressedBy } : {}), ...(policy ? { justificationPolicy: policy } : {}) };
    });
  };
}
