/**
 * TypeScript and JavaScript through TypeScript's own parser, with no ESTree conversion: the code model is
 * built from the `SourceFile` (model/ts-model.ts). The file is parsed as typescript-estree's `parse` would
 * parse it for this path (parse/estree.ts), so a file parses here exactly when its parse diagnostics are
 * empty, which is typescript-estree's first test; see `parseTypeScript` for the one difference.
 */
import * as ts from 'typescript';

export interface TypeScriptParse {
  sourceFile?: ts.SourceFile;
  error?: { message: string; offset: number };
}

/** Whether the file is parsed with JSX first: every .js-like file (JSX in .js is common), and .tsx / .jsx. */
export function parsesWithJsx(path: string): boolean {
  return /\.(tsx|jsx|js|mjs|cjs)$/i.test(path);
}

/**
 * Parses `text` the way typescript-estree does for `path` (parse/estree.ts: `jsx` on for .js, retried
 * without it): the same script kind (its file name is `estree.tsx` or `estree.ts`), JSDoc left unparsed,
 * no external-module indicator. typescript-estree also throws on a few grammar errors TypeScript's parser
 * accepts (a second `default:` in a `switch`, `declare` with a body, ...): those files get the full model
 * here, which is what a linter wants from code whose structure is clear.
 */
export function parseTypeScript(text: string, path: string): TypeScriptParse {
  const jsx = parsesWithJsx(path);
  let first: TypeScriptParse;
  try {
    first = parseOnce(text, jsx);
  } catch (error) {
    // The parser recurses per nesting level: absurd nesting overflows the stack (as in typescript-estree).
    if (error instanceof RangeError) return { error: { message: 'nesting too deep for the parser', offset: 0 } };
    throw error;
  }
  if (first.sourceFile || !jsx || /\.(tsx|jsx)$/i.test(path)) return first;
  // Plain .js files are parsed with JSX on; retry without it for code that uses `<T>` casts or similar.
  try {
    const second = parseOnce(text, false);
    return second.sourceFile ? second : first;
  } catch {
    return first;
  }
}

function parseOnce(text: string, jsx: boolean): TypeScriptParse {
  const sourceFile = ts.createSourceFile(
    jsx ? 'estree.tsx' : 'estree.ts',
    text,
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    false,
    jsx ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const diagnostics = (sourceFile as unknown as { parseDiagnostics: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics;
  const [diagnostic] = diagnostics;
  if (!diagnostic) return { sourceFile };
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n').split('\n')[0];
  return { error: { message, offset: diagnostic.start } };
}
