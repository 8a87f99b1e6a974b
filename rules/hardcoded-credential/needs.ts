/**
 * The rule's pre-filter (RuleMeta.needs, core/rule-needs.ts) on code: what a source file must hold for the rule to
 * report or provide anything there. Every finding and fact of the rule rests on one of:
 * - a credential name (a binding, a key, a named argument, a compared or copied-into name, a parameter): one of
 *   its words (credentialNameFragments), or a project's `extraNames`;
 * - a call the rule knows by name: an authentication API (CREDENTIAL_PARAMETERS' fragments), a curl secret option,
 *   an Authorization header, a login-worded setter whose password parameter another file declares (LOGIN_WORDS);
 * - a secret recognisable by its shape (a provider token, an armoured key, a password in a URL), or a name that
 *   names its provider: these are not fragments but the secrets library's own scan (`needsAlso` below);
 * - a test certificate (the fact that keys in test code pair with it).
 * Configuration, text and key-container files run the rule whole: their secrets are found by shape and by name.
 */
import { escapeCanSpell } from '../../server/src/core/escapes';
import { FragmentScanner } from '../../server/src/core/fragment-scan';
import type { LanguageId } from '../../server/src/core/types';
import { credentialNameFragments } from '../_shared/credential-names';
import { findSecrets } from '../_shared/secrets/find-secrets';
import { SLOT_FORMATS } from '../_shared/secrets/formats';
import { LOGIN_WORDS } from './declared-parameters';

/** The code languages: the rest are read by shape and by name in the text (recognisable-secrets.ts). */
const CODE_LANGUAGES: ReadonlySet<LanguageId> = new Set(['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript']);

/** What an `extraNames` entry may be to serve as a fragment; any other runs the rule on every file. */
const PLAIN_NAME = /^[A-Za-z0-9_]+$/;

/** The fragments of a code file for these options; undefined (every file) for other languages and odd extra names. */
export function credentialNeeds(
  options: Readonly<Record<string, unknown>>,
  language: LanguageId,
  parameterFragments: readonly (readonly string[])[],
): readonly string[] | undefined {
  if (!CODE_LANGUAGES.has(language)) return undefined;
  const extraNames = (options.extraNames as string[] | undefined) ?? [];
  if (!extraNames.every((name) => PLAIN_NAME.test(name))) return undefined;
  return [
    ...new Set([
      ...credentialNameFragments(language),
      ...[...LOGIN_WORDS].map((word) => `<<${word}>>`),
      ...parameterFragments.flat(),
      // curl_easy_setopt(h, CURLOPT_USERPWD, "…"); `Authorization: Basic …` set as a header or a binding.
      'curlopt_',
      'authorization',
      ...extraNames,
    ]),
  ];
}

/**
 * Provider names the value-shape checks on bindings look for (reportProviderSlots, formats.ts `nameMatches`): a name
 * names a provider when every word of one of its groups is a word of the name, or (five letters or more, or the
 * group's last word) lies in the name's letters and digits run together (`TWILIO_AUTH_TOKEN` → twilioauthtoken).
 * A word of a name is a word-anchored fragment of the text; the name's letters run together lie in the text's.
 */
const PROVIDER_GROUPS = SLOT_FORMATS.flatMap((format) => format.words);
const PROVIDER_WORDS = [...new Set(PROVIDER_GROUPS.flat())];
const AS_WORDS = new FragmentScanner(PROVIDER_WORDS.map((word) => `<<${word}>>`));
const RUN_TOGETHER = new FragmentScanner(PROVIDER_WORDS);
const PROVIDER_ALPHABET = new Set([...PROVIDER_WORDS.join('')].map((c) => c.charCodeAt(0)));

/** Evidence on a code file that no fragment names: a recognisable secret, a provider's name, a test certificate. */
export function credentialShapes(text: string, language: LanguageId): boolean {
  if (text.includes('-----BEGIN CERTIFICATE-----')) return true;
  // A Gradle script that signs a build: whether a release ships with the debug key (release-signing.ts).
  if (language === 'kotlin' && text.includes('signingConfigs')) return true;
  if (findSecrets(text, { kind: 'source', path: '', assignments: 'none' }).length) return true;
  // A name may be a decoded string key (`"twilio\x5fsid"`): an escape that can spell a provider word's letter counts.
  if (escapeCanSpell(text, language, PROVIDER_ALPHABET)) return true;
  const asWord = new Uint8Array(PROVIDER_WORDS.length);
  const runTogether = new Uint8Array(PROVIDER_WORDS.length);
  AS_WORDS.scan(text, asWord);
  RUN_TOGETHER.scan(lettersAndDigits(text), runTogether);
  return PROVIDER_GROUPS.some((group) =>
    group.every((word, i) => {
      const at = PROVIDER_WORDS.indexOf(word);
      return asWord[at] || (runTogether[at] && (word.length >= 5 || (group.length > 1 && i === group.length - 1)));
    }),
  );
}

/** The text's ASCII letters and digits, in order, with everything else left out. */
function lettersAndDigits(text: string): string {
  let out = '';
  let from = -1;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0;
    const kept = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    if (kept && from < 0) from = i;
    else if (!kept && from >= 0) {
      out += text.slice(from, i);
      from = -1;
    }
  }
  return out;
}
