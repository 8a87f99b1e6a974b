/**
 * JUnit XML for CI dashboards (GitLab `artifacts:reports:junit`, Jenkins, Azure DevOps, CircleCI).
 *
 * One <testsuite> per rule, because dashboards list suites with pass/fail counts and "tls-verification-disabled:
 * 2 failed" says more than a file name. Each finding is a <testcase> named `path:line:column`:
 * - at or above --fail-on: a <failure> with the message, the location and the redacted snippet;
 * - below --fail-on: a passing case whose <system-out> carries the same text (visible, not failing);
 * - suppressed: <skipped> with the justification.
 * A rule with nothing to report gets one passing case, so the dashboard shows it ran. Findings in the
 * --baseline are left out (they are accepted); rule failures are <error> cases.
 */
import { ruleDocsUrl } from '../../../../shared/protocol';
import { SEVERITIES, type EffectiveRule, type Finding, type Rule, type RuleFailure, type ScanResult } from '../../core/types';
import { ruleFailures, sortedFindings, type FailOn } from './results';
import { pushAll } from '../../core/arrays';

export interface JunitOptions {
  failOn: FailOn;
  enabledRules: EffectiveRule[];
  rulesById: ReadonlyMap<string, Rule>;
}

interface Suite {
  ruleId: string;
  cases: string[];
  failures: number;
  errors: number;
  skipped: number;
}

export function formatJunit(result: ScanResult, options: JunitOptions): string {
  const suites = new Map<string, Suite>();
  const suiteOf = (ruleId: string): Suite => {
    let suite = suites.get(ruleId);
    if (!suite) suites.set(ruleId, (suite = { ruleId, cases: [], failures: 0, errors: 0, skipped: 0 }));
    return suite;
  };
  for (const effective of options.enabledRules) suiteOf(effective.rule.meta.id);

  for (const finding of sortedFindings(result)) {
    if (finding.baselineState === 'unchanged') continue;
    const suite = suiteOf(finding.ruleId);
    suite.cases.push(findingCase(finding, options, suite));
  }
  for (const failure of ruleFailures(result)) {
    const suite = suiteOf(failure.ruleId);
    suite.errors++;
    suite.cases.push(errorCase(failure));
  }

  const ordered = [...suites.values()].sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const body: string[] = [];
  for (const suite of ordered) {
    if (suite.cases.length === 0) {
      suite.cases.push(`    <testcase name="no findings" classname="${attr(`medsec.${suite.ruleId}`)}" time="0"/>`);
    }
    totals.tests += suite.cases.length;
    totals.failures += suite.failures;
    totals.errors += suite.errors;
    totals.skipped += suite.skipped;
    const title = options.rulesById.get(suite.ruleId)?.meta.title;
    pushAll(
      body,
      [
        `  <testsuite name="${attr(`medsec.${suite.ruleId}`)}" tests="${suite.cases.length}" ` +
          `failures="${suite.failures}" errors="${suite.errors}" skipped="${suite.skipped}" time="0">`,
      ],
      title
        ? [
            `    <properties>`,
            `      <property name="title" value="${attr(title)}"/>`,
            `      <property name="help" value="${attr(ruleDocsUrl(suite.ruleId))}"/>`,
            `    </properties>`,
          ]
        : [],
      suite.cases,
      ['  </testsuite>'],
    );
  }
  const seconds = (result.durationMs / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="medsec" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" ` +
      `skipped="${totals.skipped}" time="${seconds}">`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
}

function findingCase(finding: Finding, options: JunitOptions, suite: Suite): string {
  const location = `${finding.path}:${finding.range.start.line + 1}:${finding.range.start.column + 1}`;
  const open =
    `    <testcase name="${attr(location)}" classname="${attr(`medsec.${finding.ruleId}`)}" ` +
    `file="${attr(finding.path)}" line="${finding.range.start.line + 1}" time="0">`;
  const details = [
    `${location}  ${finding.severity}  ${finding.ruleId}`,
    finding.message,
    ...(finding.snippet ? [`    ${finding.snippet}`] : []),
    `Rule documentation: ${ruleDocsUrl(finding.ruleId)}`,
  ].join('\n');
  let inner: string;
  if (finding.suppression) {
    suite.skipped++;
    const { justification, reviewer, until } = finding.suppression;
    const assessment = `${justification}${reviewer ? ` (reviewed-by: ${reviewer})` : ''}${until ? ` (until ${until})` : ''}`;
    inner = `      <skipped message="${attr(`suppressed: ${assessment}`)}"/>`;
  } else if (atOrAbove(finding, options.failOn)) {
    suite.failures++;
    inner = `      <failure type="${finding.severity}" message="${attr(finding.message)}">${text(details)}</failure>`;
  } else {
    inner = `      <system-out>${text(`below --fail-on ${options.failOn}: ${details}`)}</system-out>`;
  }
  return `${open}\n${inner}\n    </testcase>`;
}

function errorCase(failure: RuleFailure): string {
  return [
    `    <testcase name="${attr(`${failure.path} (rule failure)`)}" classname="${attr(`medsec.${failure.ruleId}`)}" ` +
      `file="${attr(failure.path)}" time="0">`,
    `      <error type="rule-failure" message="${attr(`rule ${failure.ruleId} failed on ${failure.path}`)}">${text(failure.error)}</error>`,
    '    </testcase>',
  ].join('\n');
}

function atOrAbove(finding: Finding, failOn: FailOn): boolean {
  return failOn !== 'none' && SEVERITIES.indexOf(finding.severity) <= SEVERITIES.indexOf(failOn);
}

/** Characters XML 1.0 cannot carry at all (C0 controls except tab, LF, CR; lone surrogates; U+FFFE/U+FFFF). */
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function text(value: string): string {
  return value.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
