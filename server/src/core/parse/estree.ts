/**
 * TypeScript and JavaScript through @typescript-eslint's parser front end (typescript-estree). It throws on
 * the first syntax error, so a broken file falls back to TypeScript's scanner: strings and comments are
 * still found (and so are the rules that look at them), and the caller is told the file did not parse.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { commentsOf } from './estree-comments';

export interface EstreeParse {
  ast?: TSESTree.Program;
  error?: { message: string; offset: number };
}

export function parseEstree(text: string, path: string): EstreeParse {
  const jsx = /\.(tsx|jsx)$/i.test(path) || /\.(js|mjs|cjs)$/i.test(path);
  try {
    return { ast: parseOnce(text, jsx) };
  } catch (first) {
    // Plain .js files are parsed with JSX on; retry without it for code that uses `<T>` casts or similar.
    if (jsx && !/\.(tsx|jsx)$/i.test(path)) {
      try {
        return { ast: parseOnce(text, false) };
      } catch {
        /* report the first error */
      }
    }
    if (first instanceof RangeError) return { error: { message: 'nesting too deep for the parser', offset: 0 } };
    const e = first as { message?: string; index?: number };
    return { error: { message: String(e.message ?? first).split('\n')[0], offset: typeof e.index === 'number' ? e.index : 0 } };
  }
}

/**
 * The ESTree of a file that TypeScript parsed, built when first asked for and then kept: only custom rules
 * with esquery selectors read it, so most scans never build it (issue 15: converting a 5 MB bundle held
 * both trees at once). It parses the text again rather than keep TypeScript's tree alive for every file;
 * undefined where typescript-estree rejects what TypeScript's parser accepted (parse/typescript.ts).
 */
export function lazyEstree(text: string, path: string): () => TSESTree.Program | undefined {
  let parsed: EstreeParse | undefined;
  return () => (parsed ??= parseEstree(text, path)).ast;
}

function parseOnce(text: string, jsx: boolean): TSESTree.Program {
  // Loaded with the first TypeScript / JavaScript file, so a C-only session never pays for it (about 25 MB).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous lazy load; import() would make callers async
  const { parse } = require('@typescript-eslint/typescript-estree') as typeof import('@typescript-eslint/typescript-estree');
  const program = parse(text, {
    range: true,
    // Found by estree-comments.ts instead: `comment: true` costs 400 MB at the peak on a 5 MB bundle.
    comment: false,
    jsx,
    loc: false,
    tokens: false,
    errorOnUnknownASTType: false,
    suppressDeprecatedPropertyWarnings: true,
  });
  program.comments = commentsOf(text, program);
  return program;
}
