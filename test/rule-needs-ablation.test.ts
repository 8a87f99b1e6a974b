/**
 * Every fragment of every pre-filter (`meta.needs`) earns its place: for each one, some fixture gives the rule a
 * finding or a fact and holds no other fragment of the rule, so dropping or misspelling that fragment
 * (`set_verify` → `set_verifx`) skips the rule there and rule-needs.test.ts fails. Without this, a fixture that
 * holds several of a rule's fragments proves only that one of them is right.
 *
 * The ablation is real: the rule's plan is rebuilt without the fragment (NeedsPlan, escapes and anchors included)
 * and asked whether it skips the file. The fragments no fixture needed when this test came are listed in
 * rule-needs-unexercised.txt: add the fixture that needs one (the API or spelling it stands for, alone among the
 * rule's fragments in a file) and take it off the list; a fragment no code needs is dropped. Regenerate the list
 * with MEDSEC_WRITE_UNEXERCISED=1 only to shrink it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index';
import { checkFile } from '../server/src/core/check';
import { fragmentsOf, NeedsPlan } from '../server/src/core/rule-needs';
import { detectFileLanguage as detectLanguage } from '../server/src/core/language';
import type { EffectiveRule, LanguageId, Rule } from '../server/src/core/types';
import { RULES, ruleFixtureFiles } from './helpers/rule-fixture-files';

const ANNOTATION_LINE = /^\s*(?:\/\/|#|\/\*|\*|<!--)\s*(?:ruleid|ok|todoruleid|todook):[^\n]*$/gm;

const effective = (rule: Rule): EffectiveRule => ({ rule, severity: rule.meta.severity, options: {} });

/** The rule with one fragment taken out of its pre-filter, on every language. */
function without(rule: Rule, fragment: string): Rule {
  return {
    ...rule,
    meta: {
      ...rule.meta,
      needs: (options, language) => fragmentsOf(rule.meta, options, language)?.filter((f) => f !== fragment),
    },
  };
}

interface Fixture {
  relativePath: string;
  language: LanguageId;
  text: string;
  /** The rules (with needs) that report or provide something on this file when run without their pre-filter. */
  productive: Set<string>;
}

async function fixtures(declared: readonly Rule[]): Promise<Fixture[]> {
  const files = builtinRules.flatMap((rule) => ruleFixtureFiles(rule.meta.id));
  const unfiltered = declared.map((rule) => effective({ ...rule, meta: { ...rule.meta, needs: undefined } }));
  const out: Fixture[] = [];
  for (const file of files) {
    const language = detectLanguage(file)!;
    const text = fs.readFileSync(file, 'utf8').replace(ANNOTATION_LINE, (line) => ' '.repeat(line.length));
    const relativePath = path.relative(RULES, file).split(path.sep).join('/');
    const input = { path: file, relativePath, text, language, testCode: { policy: 'report', by: 'content' } as const };
    const result = await checkFile(input, unfiltered);
    const productive = new Set([
      ...result.findings.map((f) => f.ruleId),
      ...Object.keys(result.facts ?? {}),
      ...result.ruleFailures.map((f) => f.ruleId),
    ]);
    out.push({ relativePath, language, text, productive });
  }
  return out;
}

/** `rule: fragment` for each declared fragment whose removal no fixture notices. */
export async function unexercisedFragments(): Promise<string[]> {
  const declared = builtinRules.filter((rule) => rule.meta.needs);
  const all = await fixtures(declared);
  const unexercised: string[] = [];
  let declaredCount = 0;
  for (const rule of declared) {
    const byFragment = new Map<string, LanguageId[]>();
    for (const language of rule.meta.languages)
      for (const fragment of fragmentsOf(rule.meta, {}, language) ?? [])
        byFragment.set(fragment, [...(byFragment.get(fragment) ?? []), language]);
    const productive = all.filter((f) => f.productive.has(rule.meta.id) && rule.meta.languages.includes(f.language));
    for (const [fragment, languages] of byFragment) {
      const ablated = [effective(without(rule, fragment))];
      const plans = new Map<LanguageId, NeedsPlan>();
      const planFor = (language: LanguageId) => plans.get(language) ?? plans.set(language, new NeedsPlan(ablated, language)).get(language)!;
      const needed = productive.some((f) => languages.includes(f.language) && planFor(f.language).skips(f.text)[0]);
      if (!needed) unexercised.push(`${rule.meta.id}: ${fragment}`);
      declaredCount++;
    }
  }
  console.log(`${declaredCount - unexercised.length} of ${declaredCount} declared fragments are each needed by a fixture`);
  return unexercised;
}

/**
 * The fragments no fixture needed when this test was written (one per line): the test fails when another joins
 * them (a new fragment without its fixture, a fixture that lost its only fragment) and when one leaves (a fixture
 * now needs it: take it off the list). Shrink it by adding fixtures; never grow it by hand.
 */
const BASELINE = path.join(__dirname, 'rule-needs-unexercised.txt');

describe('rule pre-filter ablation', () => {
  it('every declared fragment is the only one of its rule in some fixture the rule reports on, but the listed', async () => {
    const unexercised = await unexercisedFragments();
    if (process.env.MEDSEC_WRITE_UNEXERCISED) fs.writeFileSync(BASELINE, unexercised.join('\n') + '\n');
    const listed = fs.readFileSync(BASELINE, 'utf8').split('\n').filter(Boolean);
    expect({
      newlyUnexercised: unexercised.filter((f) => !listed.includes(f)),
      nowExercised: listed.filter((f) => !unexercised.includes(f)),
    }).toEqual({
      newlyUnexercised: [],
      nowExercised: [],
    });
  }, 1_200_000);
});
