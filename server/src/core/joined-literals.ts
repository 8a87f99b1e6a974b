/**
 * String literals the code model joins into one value, as the pre-filters (rule-needs.ts) must see them: C and
 * Python's adjacent literals (`"ht" "tp://"`, `L"pass" L"word"`, `'ht' f'tp'`) and two literals joined by `+`
 * (`"D" + "ES"`, Java's `"jdbc:mysql://" +\n "root:pw@db"`), which the flow layer folds into one constant. A
 * fragment split across the boundary is in neither literal of the text, only in the value a rule reads.
 *
 * `joinedLiterals` answers the text with every such boundary taken out (a closing quote, white space, an
 * optional `+`, white space, an optional string prefix and the opening quote), or undefined when the text has
 * none. It reads quotes as text, not tokens: a boundary it takes out where there is none (`" "`, a quote inside
 * a string) only lets a fragment be found, so a rule runs that could have been skipped, never the other way.
 * Not covered: a literal joined to a name whose value is another literal (`SCHEME "tp://"`, `a + "ES"`).
 */

/** The longest string prefix skipped before an opening quote: `u8`, `rb`, `L`, `f`. */
const MAX_PREFIX = 2;

/**
 * The last text asked about and its answer: the pre-filter asks first, then a rule that runs on the same file
 * (secret-in-log's hidden userinfo) asks again, and one file is checked at a time.
 */
let last: { text: string; joined: string | undefined } | undefined;

/** The text with every boundary between two joined literals taken out; undefined when it has none. */
export function joinedLiterals(text: string): string | undefined {
  if (last?.text !== text) last = { text, joined: join(text) };
  return last.joined;
}

function join(text: string): string | undefined {
  let out: string[] | undefined;
  let copied = 0;
  for (let at = nextQuote(text, 0); at >= 0; at = nextQuote(text, at + 1)) {
    const next = openingQuoteAfter(text, at + 1);
    if (next < 0) continue;
    (out ??= []).push(text.slice(copied, at));
    copied = next + 1;
    at = next;
  }
  if (!out) return undefined;
  out.push(text.slice(copied));
  return out.join('');
}

function isQuote(code: number): boolean {
  return code === 34 /* " */ || code === 39 /* ' */ || code === 96; /* ` */
}

function nextQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (isQuote(text.charCodeAt(i))) return i;
  return -1;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function isPrefixLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 56; /* 8 of u8 */
}

/**
 * The opening quote of a literal joined to one closing just before `from` (white space, at most one `+`, white
 * space, a short prefix), or -1. At least one space or a `+` must separate them: `""` is an empty literal.
 */
function openingQuoteAfter(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  let joined = i > from;
  if (text.charCodeAt(i) === 43 /* + */ && text.charCodeAt(i + 1) !== 43) {
    joined = true;
    i++;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  }
  if (!joined) return -1;
  let prefix = 0;
  while (prefix < MAX_PREFIX && i + prefix < text.length && isPrefixLetter(text.charCodeAt(i + prefix))) prefix++;
  return isQuote(text.charCodeAt(i + prefix)) ? i + prefix : -1;
}
