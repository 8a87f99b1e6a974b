/**
 * The value text of a `#define`: what follows the macro's name to the end of the directive, with its comments
 * blanked to spaces of the same length (offsets into the file stay right). tree-sitter's `preproc_arg` keeps a
 * trailing `// comment` in the value (`#define BUF_LEN 64 // bytes` read as "64 // bytes", so the size was
 * never known) and stops at a `/*` even inside a string literal (`"a/*b"`), so the value is read from the
 * source here, skipping string and character literals as the preprocessor does.
 */
export function defineValueText(source: string): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i < source.length;) {
    const c = source[i];
    if (c === '"' || c === "'") {
      i = literalEnd(source, i);
    } else if (c === '/' && source[i + 1] === '/') {
      const newline = source.indexOf('\n', i);
      const end = newline < 0 ? source.length : newline;
      out += source.slice(copied, i) + ' '.repeat(end - i);
      copied = i = end;
    } else if (c === '/' && source[i + 1] === '*') {
      const close = source.indexOf('*/', i + 2);
      const end = close < 0 ? source.length : close + 2;
      out += source.slice(copied, i) + source.slice(i, end).replace(/[^\n]/g, ' ');
      copied = i = end;
    } else i++;
  }
  return out + source.slice(copied);
}

/** The offset after the literal opened at `start` (its closing quote, or the line's end when it has none). */
function literalEnd(source: string, start: number): number {
  const quote = source[start];
  for (let i = start + 1; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === quote) return i + 1;
    else if (c === '\n') return i;
  }
  return source.length;
}
