/**
 * Decodes the text of a string literal into its value, with the offsets of the content between the quotes.
 * Escapes are decoded for the common cases (a secret with `\"` in it must still compare equal to itself);
 * exotic escapes are kept verbatim, which is good enough for matching.
 */
import type { LanguageId } from '../types';

export interface DecodedString {
  value: string;
  /** Offset of the first content character within the literal text. */
  contentStart: number;
  contentEnd: number;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', '"': '"', "'": "'", '`': '`', $: '$' };

function unescape(body: string, raw: boolean): string {
  if (raw || !body.includes('\\')) return body;
  // `\u` takes exactly four hex digits (`"\u200b5ABCD"` is U+200B then `5ABCD`), or one to six in braces (JS);
  // `\U` takes eight (Python, C). A code point beyond U+10FFFF is not a character: kept verbatim.
  return body.replace(/\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/gs, (match, esc: string) => {
    if (esc.length > 1 && /^[xuU]/.test(esc)) {
      const code = parseInt(esc.replace(/[xuU{}]/g, ''), 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    return SIMPLE_ESCAPES[esc] ?? esc;
  });
}

export function decodeStringLiteral(language: LanguageId, text: string): DecodedString | undefined {
  // C++ raw strings: R"delim( ... )delim"
  const rawCpp = /^(?:u8|u|U|L)?R"([^(]*)\(/.exec(text);
  if (rawCpp) {
    const start = rawCpp[0].length;
    const end = text.length - rawCpp[1].length - 2;
    if (end < start) return undefined;
    return { value: text.slice(start, end), contentStart: start, contentEnd: end };
  }
  let i = 0;
  let raw = false;
  if (language === 'python') {
    while (i < text.length && /[rRbBuUfF]/.test(text[i])) {
      if (text[i] === 'r' || text[i] === 'R') raw = true;
      i++;
    }
  } else if (language === 'c' || language === 'cpp') {
    const prefix = /^(u8|u|U|L)/.exec(text);
    if (prefix) i = prefix[0].length;
  }
  const rest = text.slice(i);
  const quote = rest.startsWith('"""') ? '"""' : rest.startsWith("'''") ? "'''" : rest[0];
  if (quote !== '"' && quote !== "'" && quote !== '`' && quote !== '"""' && quote !== "'''") return undefined;
  const contentStart = i + quote.length;
  const contentEnd = text.endsWith(quote) && text.length - quote.length >= contentStart ? text.length - quote.length : text.length;
  const body = text.slice(contentStart, contentEnd);
  const isTextBlock = quote === '"""' && (language === 'java' || language === 'kotlin');
  return { value: unescape(body, raw || (isTextBlock && language === 'kotlin')), contentStart, contentEnd };
}
