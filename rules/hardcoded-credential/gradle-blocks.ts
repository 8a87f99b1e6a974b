/**
 * Blocks of a Gradle script (`signingConfigs { release { … } }`), found by braces: both the debug key store's
 * password check (debug-keystore.ts) and the release-signing fact (release-signing.ts) ask which block a setting sits in.
 */

/** The offset of the `{` that opens the innermost block around `offset`, or -1 at the top level. */
export function openingBrace(content: string, offset: number): number {
  for (let i = offset - 1, depth = 0; i >= 0; i--) {
    if (content[i] === '}') depth++;
    else if (content[i] === '{' && depth-- === 0) return i;
  }
  return -1;
}
