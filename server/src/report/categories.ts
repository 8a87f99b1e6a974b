/**
 * The Appendix 1 categories of the evidence report, read from the rules' mappings both ways: a category
 * lists every enabled rule whose `fda` keys name it, and every finding of those rules. A finding whose rule
 * maps to several categories appears in each of them; it is listed in full under the first one its rule
 * names (its primary category) and cross-referenced in the others, and it counts once in the totals.
 */
import { FDA, appendixCategory } from '../../../rules/taxonomy';
import { SEVERITIES, type EffectiveRule, type Severity } from '../core/types';
import type { Disposition } from './disposition';

/** Appendix 1 categories in order, then `other` for rules that cite none. */
export const CATEGORY_KEYS = ['app1.A', 'app1.B', 'app1.C', 'app1.D', 'app1.E', 'app1.F', 'app1.G', 'app1.H', 'other'] as const;

/** What a category (or the whole report) counts. */
export interface Counts {
  /** Findings that count (open, or whose suppression expired), by severity. */
  open: Record<Severity, number>;
  openTotal: number;
  suppressed: number;
  baselined: number;
  /** Of the open ones: those whose suppression expired. */
  expired: number;
}

/** What a category needs of a finding. */
export interface Categorised {
  id: string;
  severity: Severity;
  disposition: Disposition;
  /** The categories its rule maps to, the primary one first. */
  categories: string[];
}

export interface CategorySection<F extends Categorised = Categorised> extends Counts {
  /** `app1.A` … `app1.H`, or `other`. */
  key: string;
  letter: string;
  title: string;
  /** `A. Authentication`; just the title for `other`. */
  label: string;
  /** Findings listed in full here: this is their rule's first category. */
  listed: F[];
  /** Findings of rules that map here too, listed in full under another category. */
  crossListed: F[];
  /** Every enabled rule whose mapping names this category, in rule order. */
  rules: string[];
}

/** Every Appendix 1 category a rule's `fda` keys name, in the order it names them; `['other']` when none. */
export function ruleCategories(fdaKeys: readonly string[]): string[] {
  const categories = [...new Set(fdaKeys.flatMap((key) => appendixCategory(key)?.key ?? []))];
  return categories.length ? categories : ['other'];
}

/** A rule's primary category: the first Appendix 1 category among its `fda` keys. */
export function ruleCategory(fdaKeys: readonly string[]): string {
  return ruleCategories(fdaKeys)[0];
}

export function emptyCounts(): Counts {
  const open = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  return { open, openTotal: 0, suppressed: 0, baselined: 0, expired: 0 };
}

export function count(counts: Counts, finding: Categorised): void {
  const status = finding.disposition.status;
  if (status === 'suppressed') counts.suppressed++;
  else if (status === 'baselined') counts.baselined++;
  else {
    // Open, or a suppression that expired and so counts as open.
    if (status === 'expired-suppression') counts.expired++;
    counts.open[finding.severity]++;
    counts.openTotal++;
  }
}

export function categoryLabel(key: string): string {
  return key === 'other' ? 'Other (process and tooling)' : `${key.slice(-1)}. ${FDA[key].title}`;
}

/** One section per category, holding the enabled rules that map to it and the findings of those rules. */
export function categorySections<F extends Categorised>(findings: readonly F[], enabled: readonly EffectiveRule[]): CategorySection<F>[] {
  const sections = CATEGORY_KEYS.map((key): CategorySection<F> => ({
    key,
    letter: key === 'other' ? '–' : key.slice(-1),
    title: key === 'other' ? 'Other (process and tooling)' : FDA[key].title,
    label: categoryLabel(key),
    listed: [],
    crossListed: [],
    rules: [],
    ...emptyCounts(),
  }));
  const byKey = new Map(sections.map((section) => [section.key, section]));
  for (const { rule } of enabled) {
    for (const key of ruleCategories(rule.meta.fda)) byKey.get(key)?.rules.push(rule.meta.id);
  }
  for (const finding of findings) {
    finding.categories.forEach((key, index) => {
      const section = byKey.get(key);
      if (!section) return;
      (index === 0 ? section.listed : section.crossListed).push(finding);
      count(section, finding);
    });
  }
  return sections;
}

/** The categories worth a row or a section: every Appendix 1 category, and `other` when it has anything. */
export function shownCategories<F extends Categorised>(sections: readonly CategorySection<F>[]): CategorySection<F>[] {
  return sections.filter(
    (section) => section.key !== 'other' || section.listed.length || section.crossListed.length || section.rules.length,
  );
}

/** `D` for `app1.D`, `other` for other: how other categories are named next to a finding. */
export function categoryLetter(key: string): string {
  return key === 'other' ? 'other' : key.slice(-1);
}
