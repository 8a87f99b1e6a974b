/**
 * The Android SDK creates every developer's debug key store itself, with the documented store and key password
 * `android` and the key alias `androiddebugkey`. A Gradle signing configuration that names that key store (its alias
 * or a `debug.keystore` file in the same block) and gives it `android` repeats public documentation: the password
 * unlocks nothing that is not already everyone's. The same password for any other key store (a release key) stays
 * reported, and so does any other password for the debug key store.
 */
import type { Binding } from '../../server/src/core/model/types';
import { openingBrace } from './gradle-blocks';

const GRADLE_SCRIPT = /(?:^|\/)[\w.-]+\.gradle\.kts$/;
const SIGNING_PASSWORDS = new Set(['storePassword', 'keyPassword']);
const DEBUG_KEY_STORE = /["']androiddebugkey["']|debug\.keystore["']/;

/** Whether `binding` gives the Android SDK's debug key store its public password, in a Gradle script. */
export function isDebugKeyStorePassword(path: string, content: string, binding: Binding): boolean {
  if (!GRADLE_SCRIPT.test(path) || !SIGNING_PASSWORDS.has(binding.name)) return false;
  if (binding.value.kind !== 'string' || binding.value.value !== 'android') return false;
  return DEBUG_KEY_STORE.test(enclosingBlock(content, binding.start, binding.end));
}

/** The text of the innermost `{ … }` block around a span (a signing configuration's `create("…") { … }`). */
function enclosingBlock(content: string, start: number, end: number): string {
  const open = openingBrace(content, start);
  let close = -1;
  for (let i = end, depth = 0; i < content.length && close < 0; i++) {
    if (content[i] === '{') depth++;
    else if (content[i] === '}' && depth-- === 0) close = i;
  }
  return open < 0 || close < 0 ? '' : content.slice(open, close);
}
