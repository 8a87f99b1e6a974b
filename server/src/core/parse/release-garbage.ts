/**
 * A full garbage collection after parsing a large TypeScript / JavaScript file. typescript-estree builds
 * TypeScript's AST and then the ESTree from it; once it returns, TypeScript's AST (about as large as the
 * ESTree: 300 MB for a 5 MB bundle) is garbage, but V8 sizes its next collection on the peak, so the model
 * and the rules allocate on top of it and the process grows by another few hundred MB before it is freed.
 * Collecting once here, for large files only, costs a fraction of a second next to a parse of several.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Below this many characters a file's parse garbage is small next to the process: no collection. */
const LARGE_FILE_CHARS = 1_000_000;

let collect: (() => void) | null | undefined;

export function releaseParseGarbage(chars: number): void {
  if (chars < LARGE_FILE_CHARS) return;
  collect ??= garbageCollector();
  collect?.();
}

/** V8's full collection, or null where the runtime does not offer it. Exported for the suite's check. */
export function garbageCollector(): (() => void) | null {
  try {
    // `gc` is exposed only to contexts created after the flag is set: a fresh one, not the process's global.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    // Not available (a runtime without these V8 hooks): memory is then freed by V8's own schedule.
    return null;
  }
}
