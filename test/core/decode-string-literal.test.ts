/** Escapes in string literals decode as each language reads them, and no literal stops a file being analysed. */
import { describe, expect, it } from 'vitest';
import { decodeStringLiteral } from '../../server/src/core/model/string-literals';

const valueOf = (language: Parameters<typeof decodeStringLiteral>[0], text: string) => decodeStringLiteral(language, text)?.value;

describe('decodeStringLiteral escapes', () => {
  it('reads \\u as exactly four hex digits, so hex text after it stays text', () => {
    // A zero-width space before an AE title in a DICOM test: six hex digits in a row would be no code point at all.
    expect(valueOf('python', '"\\u200b5ABCD"')).toBe('\u200b5ABCD');
    expect(valueOf('java', '"caf\\u00e9e"')).toBe('caf\u00e9e');
  });

  it('reads JavaScript braces and Python/C \\U escapes', () => {
    expect(valueOf('javascript', "'\\u{1F600}'")).toBe('\u{1F600}');
    expect(valueOf('python', "'\\U0001F600'")).toBe('\u{1F600}');
  });

  it('keeps an escape beyond U+10FFFF verbatim instead of failing', () => {
    expect(valueOf('javascript', "'\\u{110000}'")).toBe('\\u{110000}');
    expect(valueOf('python', "'\\UFFFFFFFF'")).toBe('\\UFFFFFFFF');
  });
});
