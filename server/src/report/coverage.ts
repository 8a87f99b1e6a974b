/**
 * The control coverage matrix: for every Appendix 1 recommendation (items .3–.8 of F as one group, as
 * fda-reference.md lists them) and every section 524B item, how far static analysis of the source can speak
 * to it, which enabled rules of this run check it, and where the rest of the evidence must come from.
 *
 * How far static analysis reaches is a judgement about the recommendation, fixed here as data:
 *   code     the recommendation is about what the source says; rules that map to it check it
 *   partly   the source shows part of it; the rest (`beyond`) needs other evidence
 *   outside  static analysis of the source cannot show it; `beyond` names the evidence
 * The run decides the rest: the rules are the enabled rules whose mapping names the item, and the row says
 * what those rules look for (each rule's `meta.sees`, one phrase per rule) and nothing that a rule left out
 * would have seen. A rule's phrase lives in its own metadata, so adding a rule touches no row here.
 * Titles are paraphrased (rules/taxonomy.ts); no guidance text is quoted.
 */
import { FDA } from '../../../rules/taxonomy';
import { seesPhrase } from '../core/rule-sees';
import type { EffectiveRule, Rule, RuleMeta } from '../core/types';

export type Reach = 'code' | 'partly' | 'outside';

export type CoverageStatus = 'checked' | 'partly' | 'not-checked' | 'not-checkable';

interface ControlSpec {
  /** Taxonomy keys the row stands for: one item, or a group. */
  keys: string[];
  reach: Reach;
  /** For an item every rule speaks to (524B b2): one sentence in place of each rule's `meta.sees`. */
  seesAll?: string;
  /** What static analysis of the source cannot see, and where that evidence comes from. */
  beyond: string;
}

export interface CoverageRow {
  /** `app1.A.5`, or `app1.F.3–8` for a group. */
  key: string;
  title: string;
  reach: Reach;
  status: CoverageStatus;
  /** Enabled rules whose mapping names one of the row's keys. */
  rules: string[];
  /** Rules medsec knows that map here but are not enabled in this run. */
  notEnabled: string[];
  /** Enabled rules that do not map here (a long `rules` list reads better as "all but these"). */
  enabledElsewhere: string[];
  /** What the enabled rules see of the item, one phrase per rule (its `meta.sees`, else its title); empty when none. */
  sees: string[];
  beyond: string;
}

export const COVERAGE_STATUS_LABEL: Readonly<Record<CoverageStatus, string>> = {
  checked: 'Checked',
  partly: 'Partly checked',
  'not-checked': 'Not checked in this run',
  'not-checkable': 'Not checkable by static analysis',
};

const item = (key: string, reach: Reach, beyond: string): ControlSpec => ({ keys: [key], reach, beyond });
const outside = (key: string, beyond: string): ControlSpec => item(key, 'outside', beyond);

/** Every row of the matrix, in document order. A test checks that they cover the taxonomy's items exactly once. */
export const CONTROLS: readonly ControlSpec[] = [
  item(
    'app1.A.1',
    'partly',
    'whether every path (personnel, messages, commands, updates) authenticates its peer: threat model, security architecture, penetration test',
  ),
  item(
    'app1.A.2',
    'partly',
    'whether the other side demands client certificates, mutual authentication in custom protocols: interface specification, penetration test',
  ),
  item('app1.A.3', 'partly', 'multi-factor authentication, accounts and roles: user authentication design, penetration test'),
  item(
    'app1.A.4',
    'partly',
    'verification done by a bootloader, ROM or component outside the scanned source: update architecture, test with tampered images',
  ),
  item(
    'app1.A.5',
    'partly',
    'credentials set at provisioning or by users, password policy, forced change of defaults: provisioning procedure, credential testing',
  ),
  item(
    'app1.A.6',
    'partly',
    'whether critical commands carry nonces or counters and the receiver checks them: protocol specification, replay tests',
  ),
  outside(
    'app1.A.7',
    'whether data leaving the device carries a verifiable signature or MAC: data-flow architecture, test that altered data is rejected',
  ),
  item('app1.A.8', 'partly', 'CRCs guarding commands and messages other than updates: protocol specification, code review'),
  outside('app1.A.9', 'the response to failed authentication (lockout, alarms, logging): design specification, test'),
  item('app1.B.1', 'partly', 'access control on other interfaces and in the application logic: access control design, penetration test'),
  item(
    'app1.B.2',
    'partly',
    'session and token lifetimes, and timeouts enforced by the platform or set at run time: design specification, test of idle sessions',
  ),
  item('app1.B.3', 'partly', 'the role model and its enforcement: authorization design, test per role'),
  item(
    'app1.B.4',
    'partly',
    'USB and serial interfaces, firewall and operating-system settings outside the source: interface inventory, port scan, penetration test',
  ),
  item('app1.C.1', 'partly', 'key generation, storage and rotation in manufacturing and the back end: key management plan'),
  item('app1.C.2', 'code', 'algorithms inside prebuilt libraries and hardware: the SBOM and supplier documentation'),
  item('app1.C.3', 'partly', 'keys shared across devices by manufacturing or provisioning: key provisioning procedure'),
  item('app1.C.4', 'code', 'what the other side (server, gateway) offers: TLS scan of the deployed endpoints'),
  item('app1.C.5', 'partly', 'hardware security counters and their provisioning: update test with an older signed image'),
  item(
    'app1.D.1',
    'partly',
    'the hardware root of trust and the fuse state of production units: hardware security specification, production records',
  ),
  item('app1.D.2', 'partly', 'signed version numbers and the signing infrastructure: code-signing procedure'),
  item('app1.D.3', 'partly', 'verification done outside the scanned source: update test with unsigned and tampered images'),
  item('app1.D.4', 'partly', 'whether production units boot with secure boot enabled: production records, boot test with a modified image'),
  item('app1.D.5', 'partly', 'fuses and physical ports of production units: hardware test of a production unit'),
  outside('app1.D.6', 'tamper evidence is physical: hardware and enclosure design, inspection'),
  item('app1.D.7', 'partly', 'message authentication in custom protocols: protocol specification, fuzz testing'),
  item('app1.D.8', 'partly', 'range checks of every external input: fuzz testing of each interface, code review'),
  item('app1.D.9', 'partly', 'protection of safety-critical data and configuration in storage: design, risk analysis'),
  outside('app1.D.10', 'integrity at run time (memory protection, watchdogs): platform security documentation, runtime tests'),
  item('app1.D.11', 'partly', 'dynamic analysis of parsers: fuzz test reports'),
  item('app1.E.1', 'partly', 'encryption at rest by the platform, classification of the data: data-flow diagram, threat model'),
  outside('app1.E.2', 'whether authentication and authorisation protect confidentiality enough: security architecture, threat model'),
  outside('app1.F.1', 'detection and logging of compromise attempts: logging design, test that attacks are logged'),
  item('app1.F.2', 'partly', 'whether logs are kept off the device and protected: logging architecture'),
  {
    keys: ['app1.F.3', 'app1.F.4', 'app1.F.5', 'app1.F.6', 'app1.F.7', 'app1.F.8'],
    reach: 'outside',
    beyond: 'shipped configuration, anti-malware, machine-readable configuration and SBOM: configuration management records, SBOM',
  },
  outside('app1.G.1', 'isolation of critical functions from a partial compromise: architecture, failure-mode analysis'),
  outside('app1.G.2', 'recovery to a trusted configuration: recovery design and test'),
  outside('app1.G.3', 'behaviour when communication is lost: design specification, test'),
  outside('app1.G.4', 'resilience to outages and denial of service: robustness and load tests'),
  outside('app1.G.5', 'resilience to network noise: network robustness and fuzz tests'),
  outside('app1.H.1', 'room for patches: memory and storage budget in the design'),
  outside('app1.H.2', 'surviving an interrupted update: power-loss test during an update'),
  outside('app1.H.3', 'out-of-cycle security patches: maintenance and patch plan'),
  outside('app1.H.4', 'fast verification and distribution of patches: release process'),
  outside('app1.H.5', 'keeping build and test environments: environment archive, configuration management'),
  outside('app1.H.6', 'replacing third-party components: SBOM, modular architecture'),
  item('app1.H.7', 'partly', 'the delivery process, validation before release and the update server: update process documentation, test'),
  outside('524b.b1', 'postmarket vulnerability monitoring and coordinated disclosure: the postmarket cybersecurity plan'),
  {
    keys: ['524b.b2'],
    reach: 'partly',
    seesAll: 'code-level weaknesses in the scanned source: the findings of this report',
    beyond: 'the rest of the secure product development framework (threat model, risk assessment, testing): SPDF documentation',
  },
  item('524b.b2a', 'partly', 'the patch cadence and its justification: maintenance plan'),
  item('524b.b2b', 'partly', 'the out-of-cycle patch process: incident response and patch plan'),
  outside('524b.b3', 'a software bill of materials from the build (the crypto inventory below is not an SBOM)'),
];

/** `app1.F.3–8` for a group, the key itself for an item. */
function rowKey(keys: readonly string[]): string {
  if (keys.length === 1) return keys[0];
  return `${keys[0]}–${keys[keys.length - 1].split('.').pop()}`;
}

/**
 * A row is checked only when the source can show all of it and every rule medsec has for it ran; it is not
 * checked when static analysis could see part of it but no rule of the run looks.
 */
function statusOf(reach: Reach, ruleCount: number, notEnabled: number): CoverageStatus {
  if (reach === 'outside') return ruleCount ? 'partly' : 'not-checkable';
  if (!ruleCount) return 'not-checked';
  return reach === 'code' && !notEnabled ? 'checked' : 'partly';
}

/** The matrix for a run: its enabled rules, and every rule medsec knows (for the ones left out). */
export function coverageMatrix(enabled: readonly EffectiveRule[], known: Iterable<Rule>): CoverageRow[] {
  const mapsTo = (keys: readonly string[]) => (rule: Rule) => rule.meta.fda.some((key) => keys.includes(key));
  const enabledRules = enabled.map((effective) => effective.rule);
  const enabledIds = new Set(enabledRules.map((rule) => rule.meta.id));
  const knownRules = [...known];
  return CONTROLS.map((control) => {
    const mapped = enabledRules.filter(mapsTo(control.keys));
    const rules = mapped.map((rule) => rule.meta.id);
    const notEnabled = knownRules.filter((rule) => !enabledIds.has(rule.meta.id) && mapsTo(control.keys)(rule)).map((rule) => rule.meta.id);
    const title = control.keys.length === 1 ? FDA[control.keys[0]].title : FDA[control.keys[0]].title.replace(/ \(items .*\)$/, '');
    return {
      key: rowKey(control.keys),
      title,
      reach: control.reach,
      status: statusOf(control.reach, rules.length, notEnabled.length),
      rules,
      notEnabled,
      enabledElsewhere: [...enabledIds].filter((id) => !rules.includes(id)),
      sees: seenBy(control, mapped),
      beyond: control.beyond,
    };
  });
}

/** What the enabled rules see of a control, each phrase once; a rule whose `meta.sees` has no phrase for it by its title. */
function seenBy(control: ControlSpec, rules: readonly Rule[]): string[] {
  if (!rules.length) return [];
  if (control.seesAll) return [control.seesAll];
  return [...new Set(rules.map((rule) => seesPhrase(rule.meta.sees, control.keys) ?? rule.meta.title))];
}

/** The FDA keys whose row shows a phrase per rule: every key of the matrix but those of a row with one sentence for all. */
const PHRASED_KEYS: ReadonlySet<string> = new Set(CONTROLS.filter((control) => !control.seesAll).flatMap((control) => control.keys));

/**
 * What keeps a rule's `meta.sees` from saying what the rule sees of every row it appears in: a key the rule
 * maps to whose row would fall back to the rule's title, or a phrase for a key no row shows per rule.
 */
export function seesProblems(meta: RuleMeta): string[] {
  const where = `${meta.id}: meta.sees`;
  const missing = meta.fda.filter((key) => PHRASED_KEYS.has(key) && !seesPhrase(meta.sees, [key])?.trim());
  const unshown = typeof meta.sees === 'object' ? Object.keys(meta.sees).filter((key) => !PHRASED_KEYS.has(key)) : [];
  return [
    ...missing.map((key) => `${where} has no phrase for ${key}, which the rule maps to and the control coverage matrix shows`),
    ...unshown.map((key) => `${where} has a phrase for ${key}, which no row of the control coverage matrix shows per rule`),
  ];
}

/** How many rows have each status. */
export function coverageCounts(rows: readonly CoverageRow[]): Record<CoverageStatus, number> {
  const counts: Record<CoverageStatus, number> = { checked: 0, partly: 0, 'not-checked': 0, 'not-checkable': 0 };
  for (const row of rows) counts[row.status]++;
  return counts;
}

export const COVERAGE_INTRO =
  'Every Appendix 1 recommendation (F.3–F.8 as one group) and every section 524B item, with how this run ' +
  'covers it: checked (the source can show all of it, and every medsec rule for it ran); partly checked ("Seen in the ' +
  'source" says what the rules of this run look for, the last column what they cannot see); not checked ' +
  'in this run (static analysis could see part of it, but no enabled rule maps to it); or not checkable by static ' +
  'analysis of the source. The last column says where the rest of the evidence must come from.';

export function coverageSummary(rows: readonly CoverageRow[]): string {
  const counts = coverageCounts(rows);
  return (
    `${rows.length} items: ${counts.checked} checked, ${counts.partly} partly checked, ${counts['not-checked']} not checked in ` +
    `this run, ${counts['not-checkable']} not checkable by static analysis.`
  );
}

/** Past this many rules a row names the enabled rules that do not map to it instead. */
const LONG_RULE_LIST = 10;

/** Text with rule ids marked, for each renderer to format: `['3: ', { rule: 'a' }, ', ', { rule: 'b' }]`. */
export type RuleText = (string | { rule: string })[];

/**
 * The rules of a row for the reader: `3: a, b, c`, or for a long list `30 of 31 enabled rules, all but x`;
 * then the rules that map here but are not enabled.
 */
export function describeCoverageRules(row: CoverageRow): RuleText {
  const ids = (list: readonly string[]): RuleText => list.flatMap((rule, index) => (index ? [', ', { rule }] : [{ rule }]));
  const total = row.rules.length + row.enabledElsewhere.length;
  let text: RuleText = ['none'];
  if (row.rules.length > LONG_RULE_LIST) {
    text = [
      `${row.rules.length} of ${total} enabled rules`,
      ...(row.enabledElsewhere.length ? [', all but ', ...ids(row.enabledElsewhere)] : []),
    ];
  } else if (row.rules.length) text = [`${row.rules.length}: `, ...ids(row.rules)];
  if (row.notEnabled.length) return [...text, ' (not enabled: ', ...ids(row.notEnabled), ')'];
  return !row.rules.length && row.reach !== 'outside' ? ['none (medsec has no rule for it)'] : text;
}

/** What the rules of the run look for in the source; never more than they do. */
export function describeSeen(row: CoverageRow): string {
  if (row.sees.length) return row.sees.join('; ');
  return row.status === 'not-checked' ? 'nothing: no rule of this run looks' : '–';
}

/** Where the evidence must come from: all of it when no rule of the run looks at the item. */
export function describeBeyond(row: CoverageRow): string {
  return row.status === 'not-checked' ? `all of it, the source included; beyond the source: ${row.beyond}` : row.beyond;
}
