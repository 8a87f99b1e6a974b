/**
 * Whether a text holds an escape that could decode to one of some characters: what the pre-filters
 * (rule-needs.ts) ask before trusting that a fragment missing from the text is missing from its decoded string
 * literals and identifiers too. An escape that can only decode to other characters (`\n`, `\x1b`, `\u00e9`)
 * hides no fragment: every fragment in the decoded value lies in the runs between such escapes, which the text
 * holds as they are.
 *
 * Escapes are paired as lexers pair them, from each backslash to the next character (`\\d` in a Java or C
 * regex string is an escaped backslash, then a `d`), and each is decoded every way a lexer or medsec's own
 * decoding (model/string-literals.ts, the TypeScript parser, JSX entities) can read it: `\x` with one, two or
 * all its hex digits (C takes them all), `\u` and `\U`, octal digits (C, legacy JavaScript) and the digit itself
 * (the model), `\b` as the letter (the model) or backspace. JavaScript drops an escaped line break, joining the
 * text around it, and Python's `\N{name}` names any character: both count as able to decode to anything.
 */
import { foldedCode } from './fragment-scan';

const BACKSLASH = 92;

/** Whether `text` holds an escape whose decoded character, case-folded, can be in `alphabet` (folded codes). */
export function escapeCanSpell(text: string, language: string, alphabet: ReadonlySet<number>): boolean {
  const script = language === 'typescript' || language === 'javascript';
  const spells = (code: number) => alphabet.has(foldedCode(code));
  for (let at = text.indexOf('\\'); at >= 0 && at + 1 < text.length; at = text.indexOf('\\', at + 2))
    if (escapeSpells(text, at + 1, script, spells)) return true;
  return script && entityCanSpell(text, spells);
}

/** The escape whose backslash is just before `at`: whether one of its decodings is a character `spells` wants. */
function escapeSpells(text: string, at: number, script: boolean, spells: (code: number) => boolean): boolean {
  const code = text.charCodeAt(at);
  switch (text[at]) {
    case 'x': {
      const digits = hexRun(text, at + 1, 8);
      if (digits < 2 && spells(code)) return true; // the model keeps `\x` without two digits as `x`
      return (
        (digits >= 1 && spells(hexValue(text, at + 1, 1))) ||
        (digits >= 2 && spells(hexValue(text, at + 1, 2))) ||
        (digits > 2 && (spells(hexValue(text, at + 1, digits)) || spells(hexValue(text, at + 1, digits) & 0xff)))
      );
    }
    case 'u':
      if (text[at + 1] === '{') {
        const digits = hexRun(text, at + 2, 6);
        if (digits && text[at + 2 + digits] === '}') return spells(hexValue(text, at + 2, digits));
      }
      return hexRun(text, at + 1, 4) === 4 ? spells(hexValue(text, at + 1, 4)) : spells(code);
    case 'U':
      return hexRun(text, at + 1, 8) === 8 ? spells(hexValue(text, at + 1, 8)) : spells(code);
    case 'N':
      return text[at + 1] === '{' || spells(code);
    case 'n':
    case 't':
    case 'r':
      return false; // a control character, everywhere
    case '\n':
    case '\r':
    case '\u2028':
    case '\u2029':
      return script; // JavaScript joins the lines; the model keeps the line break
    default:
      if (code >= 48 && code <= 55) return octalSpells(text, at, spells) || (code !== 48 && spells(code));
      if (script && (code === 98 || code === 102 || code === 118)) return false; // \b \f \v: control characters
      return code !== BACKSLASH && spells(code);
  }
}

/** One to three octal digits from `at`, each prefix a lexer may take. */
function octalSpells(text: string, at: number, spells: (code: number) => boolean): boolean {
  let value = 0;
  for (let i = at; i < at + 3 && i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 7) break;
    value = value * 8 + digit;
    if (spells(value)) return true;
  }
  return false;
}

/** How many hex digits start at `at`, up to `max`. */
function hexRun(text: string, at: number, max: number): number {
  let n = 0;
  while (n < max && at + n < text.length && /[0-9a-fA-F]/.test(text[at + n])) n++;
  return n;
}

function hexValue(text: string, at: number, digits: number): number {
  return parseInt(text.slice(at, at + digits), 16);
}

/** Named references JSX decodes to characters no fragment holds; any other name may be `&lowbar;` or `&period;`. */
const PLAIN_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos', 'nbsp', 'copy', 'reg', 'trade', 'hellip', 'mdash', 'ndash']);

/** A JSX character reference (`&#112;`, `&#x70;`, `&name;`) that can decode to a character `spells` wants. */
function entityCanSpell(text: string, spells: (code: number) => boolean): boolean {
  for (const m of text.matchAll(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]*));/g)) {
    if (m[1] !== undefined ? spells(parseInt(m[1], 10)) : m[2] !== undefined ? spells(parseInt(m[2], 16)) : !PLAIN_ENTITIES.has(m[3]))
      return true;
  }
  return false;
}
