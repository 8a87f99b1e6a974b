/**
 * The rules' pre-filters (`RuleMeta.needs`): which rules a file can give nothing to, from one pass over its text.
 *
 * A rule that declares needs is skipped on a file that holds none of its fragments (case-insensitively,
 * fragment-scan.ts). The scanner is compiled once per distinct set of fragments, and the plan (which fragments
 * are each rule's) once per rule list and language: the configuration hands every file of a folder one list.
 *
 * What the text does not show: string literals are decoded (`\x70ass`, `\u0070`, `\p` read as `p`, JSX's `&#112;`),
 * so a fragment may occur in a decoded value but not in the text. A file with such an escape runs every rule:
 * the common escapes (`\n`, `\t`, `\r`, `\0`, `\\`, quotes) decode to characters no fragment holds, and a
 * fragment is made only of characters that appear as themselves (FRAGMENT_CHARACTERS).
 */
import { FragmentScanner } from './fragment-scan';
import type { EffectiveRule, LanguageId, RuleMeta } from './types';

/** Letters, digits and the punctuation that never stands for an escape's decoded value in a literal. */
const FRAGMENT_CHARACTERS = /^[A-Za-z0-9_.:/\-=+#@%,;!?*()[\]{}|~^]+$/;

/**
 * An escape whose decoded character could be part of a fragment: anything but `\n`, `\t`, `\r`, `\0` (not octal),
 * `\\`, a quote, `\$` or a line break (which TypeScript's strings drop: a continuation joins the text around it).
 */
const TELLING_ESCAPE = /\\(?:[^ntr0\\"'`$\s]|0[0-9])/;
const TELLING_ESCAPE_TS = /\\(?:[^ntr0\\"'`$ \t]|0[0-9])|&#/;

/** A rule's fragments for these options and this language; undefined when the rule runs on every file. */
export function fragmentsOf(
  meta: RuleMeta,
  options: Readonly<Record<string, unknown>>,
  language: LanguageId,
): readonly string[] | undefined {
  const needs = typeof meta.needs === 'function' ? meta.needs(options, language) : meta.needs;
  if (!needs) return undefined;
  for (const fragment of needs)
    if (!FRAGMENT_CHARACTERS.test(fragment))
      throw new Error(`rule ${meta.id}: the pre-filter fragment ${JSON.stringify(fragment)} holds a character an escape can stand for`);
  return needs;
}

/** Which rules of one list run on one file of one language. */
export class NeedsPlan {
  // Per rule (by its index in the list): the indexes of its fragments in the scanner, or undefined: it always runs.
  private readonly byRule: (readonly number[] | undefined)[];
  private readonly scanner: FragmentScanner | undefined;
  private readonly escape: RegExp;

  constructor(rules: readonly EffectiveRule[], language: LanguageId) {
    const index = new Map<string, number>();
    this.byRule = rules.map((effective) => {
      const meta = effective.rule.meta;
      if (!meta.languages.includes(language)) return undefined;
      const fragments = fragmentsOf(meta, effective.options, language);
      if (!fragments) return undefined;
      return fragments.map((fragment) => {
        const key = fragment.toLowerCase();
        let at = index.get(key);
        if (at === undefined) index.set(key, (at = index.size));
        return at;
      });
    });
    this.scanner = index.size ? scannerFor([...index.keys()]) : undefined;
    this.escape = language === 'typescript' || language === 'javascript' ? TELLING_ESCAPE_TS : TELLING_ESCAPE;
  }

  /** Per rule of the list: whether the file can give it nothing (none of its fragments occurs). */
  skips(text: string): boolean[] {
    const { scanner, byRule } = this;
    if (!scanner || this.escape.test(text)) return byRule.map(() => false);
    const found = new Uint8Array(scanner.fragments.length);
    scanner.scan(text, found);
    return byRule.map((ids) => !!ids && !ids.some((id) => found[id]));
  }
}

// Scanners by their fragment list: the rule lists of a project differ in a few rules' options at most.
const scanners = new Map<string, FragmentScanner>();
const MAX_SCANNERS = 64;

function scannerFor(fragments: string[]): FragmentScanner {
  const key = fragments.join('\n');
  let scanner = scanners.get(key);
  if (!scanner) {
    if (scanners.size >= MAX_SCANNERS) scanners.clear();
    scanners.set(key, (scanner = new FragmentScanner(fragments)));
  }
  return scanner;
}

// Plans by rule list and language: a list is shared by the files it governs (config.rulesFor caches them).
const plans = new WeakMap<readonly EffectiveRule[], Map<LanguageId, NeedsPlan>>();

/** The plan for a rule list on a language, built once per list and language. */
export function needsPlan(rules: readonly EffectiveRule[], language: LanguageId): NeedsPlan {
  let byLanguage = plans.get(rules);
  if (!byLanguage) plans.set(rules, (byLanguage = new Map()));
  let plan = byLanguage.get(language);
  if (!plan) byLanguage.set(language, (plan = new NeedsPlan(rules, language)));
  return plan;
}
