/**
 * The rules' pre-filters (`RuleMeta.needs`): which rules a file can give nothing to, from one pass over its text.
 *
 * A rule that declares needs is skipped on a file that holds none of its fragments (case-insensitively,
 * fragment-scan.ts; `<name>` anchors a fragment at an identifier's edges). The scanner is compiled once per
 * distinct set of fragments, and the plan (which fragments are each rule's) once per rule list and language: the
 * configuration hands every file of a folder one list.
 *
 * A rule whose evidence includes shapes no fragment names (a provider token's, found by its own scanner) also
 * declares `needsAlso`, asked only of a file that holds none of its fragments.
 *
 * What the text does not show: string literals are decoded (`\x70ass`, `\u0070`, `\p` read as `p`, JSX's `&#112;`),
 * so a fragment may occur in a decoded value but not in the text. A file with an escape that can decode to a
 * character of the plan's fragments runs every rule (escapes.ts); the rest decode to characters no fragment
 * holds (`\n`, `\x1b`, `\\d` in a Java regex), and a fragment is made only of characters that appear as
 * themselves (FRAGMENT_CHARACTERS). Literals the model joins (`"ht" "tp://"`, `"D" + "ES"`) are also scanned
 * joined, without the boundary between them (joined-literals.ts).
 */
import { FragmentScanner, parseFragment } from './fragment-scan';
import { escapeCanSpell } from './escapes';
import { joinedLiterals } from './joined-literals';
import type { EffectiveRule, LanguageId, RuleMeta } from './types';

/** Letters, digits and the punctuation that never stands for an escape's decoded value in a literal. */
const FRAGMENT_CHARACTERS = /^[A-Za-z0-9_.:/\-=+#@%,;!?*()[\]{}|~^]+$/;

/** A rule's fragments for these options and this language; undefined when the rule runs on every file. */
export function fragmentsOf(
  meta: RuleMeta,
  options: Readonly<Record<string, unknown>>,
  language: LanguageId,
): readonly string[] | undefined {
  const needs = typeof meta.needs === 'function' ? meta.needs(options, language) : meta.needs;
  if (!needs) return undefined;
  for (const fragment of needs)
    if (!FRAGMENT_CHARACTERS.test(parseFragment(fragment).text))
      throw new Error(`rule ${meta.id}: the pre-filter fragment ${JSON.stringify(fragment)} holds a character an escape can stand for`);
  return needs;
}

/** Which rules of one list run on one file of one language. */
export class NeedsPlan {
  // Per rule (by its index in the list): the indexes of its fragments in the scanner, or undefined: it always runs.
  private readonly byRule: (readonly number[] | undefined)[];
  // Per rule: its other evidence (RuleMeta.needsAlso), asked of a file that holds none of its fragments.
  private readonly also: (((text: string, language: LanguageId) => boolean) | undefined)[];
  private readonly scanner: FragmentScanner | undefined;
  // The folded characters of the plan's fragments: an escape that cannot decode to one of them hides none.
  private readonly alphabet = new Set<number>();

  constructor(
    rules: readonly EffectiveRule[],
    private readonly language: LanguageId,
  ) {
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
    this.also = rules.map((effective, i) => (this.byRule[i] ? effective.rule.meta.needsAlso : undefined));
    this.scanner = index.size ? scannerFor([...index.keys()]) : undefined;
    for (const fragment of index.keys()) {
      const { text } = parseFragment(fragment);
      for (let i = 0; i < text.length; i++) this.alphabet.add(text.charCodeAt(i));
    }
  }

  /** Per rule of the list: whether the file can give it nothing (none of its fragments occurs). */
  skips(text: string): boolean[] {
    const { scanner, byRule } = this;
    if (escapeCanSpell(text, this.language, this.alphabet)) return byRule.map(() => false);
    // No scanner: no rule of the list names a fragment, and one that declared none (an empty list) needs what
    // no file holds — only its other evidence can make it run.
    const found = new Uint8Array(scanner?.fragments.length ?? 0);
    if (scanner) {
      scanJoinedLiterals(scanner, text, found);
      scanner.scan(text, found);
    }
    return byRule.map((ids, i) => !!ids && !ids.some((id) => found[id]) && !this.also[i]?.(text, this.language));
  }
}

/** Fragments that lie across the boundary of two literals the model joins (`"ht" "tp://"`, `"D" + "ES"`). */
function scanJoinedLiterals(scanner: FragmentScanner, text: string, found: Uint8Array): void {
  const joined = joinedLiterals(text);
  if (joined !== undefined) scanner.scan(joined, found);
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
