/**
 * Whether a release build signs with the Android debug key. A committed key store holding only the Android SDK's
 * debug key (`androiddebugkey`) signs debug builds, which are not shipped: its key protects nothing. It is a leaked
 * signing key when a build that ships uses it, which the module's Gradle script says: a build type other than `debug`
 * (`release { signingConfig signingConfigs.debug }`, as React Native's app template leaves it) or a signing
 * configuration other than `debug` whose `storeFile` is the debug key store. The script provides the fact; the key
 * store's finding in the same project stands only with it.
 */
import type { RuleContext } from '../../server/src/core/types';
import { openingBrace } from './gradle-blocks';

export const RELEASE_SIGNED_WITH_DEBUG_KEY = 'release-signed-with-debug-key';

const GRADLE_SCRIPT = /\.gradle(?:\.kts)?$/;
/** `signingConfig signingConfigs.debug`, `signingConfig = signingConfigs.getByName("debug")`, `signingConfigs["debug"]`. */
const SIGNING_CONFIG_REF = /\bsigningConfig[ \t=]*signingConfigs\b/g;
const DEBUG_SELECTOR = /\s*(?:\.\s*debug\b|\.\s*getByName\s*\(\s*["']debug["']|\[\s*["']debug["'])/y;
/** `storeFile file('debug.keystore')`, `storeFile = file("${rootDir}/debug.keystore")`, a fallback to it: on one line. */
const DEBUG_KEY_STORE_FILE = /debug\.keystore["']/;

/** Provides the fact when this Gradle script signs a non-debug build or configuration with the debug key. */
export function provideReleaseDebugSigning(ctx: RuleContext): void {
  if (!GRADLE_SCRIPT.test(ctx.path)) return;
  const content = ctx.text.content;
  if (!content.includes('signingConfig')) return;
  const outsideDebug = (offsets: number[]) => offsets.some((offset) => blockName(content, offset) !== 'debug');
  const usesDebugConfig = [...content.matchAll(SIGNING_CONFIG_REF)]
    .filter((m) => {
      DEBUG_SELECTOR.lastIndex = m.index + m[0].length;
      return DEBUG_SELECTOR.test(content);
    })
    .map((m) => m.index);
  if (outsideDebug(usesDebugConfig) || outsideDebug(debugStoreFiles(content))) ctx.provide(RELEASE_SIGNED_WITH_DEBUG_KEY, ['yes']);
}

/** Offsets of the `storeFile` settings whose line names the debug key store. */
function debugStoreFiles(content: string): number[] {
  const offsets: number[] = [];
  for (let at = content.indexOf('storeFile'); at >= 0; at = content.indexOf('storeFile', at + 1)) {
    const lineEnd = content.indexOf('\n', at);
    if (DEBUG_KEY_STORE_FILE.test(content.slice(at, lineEnd < 0 ? undefined : lineEnd))) offsets.push(at);
  }
  return offsets;
}

/**
 * The name of the innermost `{ … }` block around `offset`: `release` in `release {`, in `getByName("release") {`,
 * `create("release") {` or `named("release") {`; undefined at the top level.
 */
function blockName(content: string, offset: number): string | undefined {
  const open = openingBrace(content, offset);
  if (open < 0) return undefined;
  const head = content.slice(Math.max(0, open - 80), open).trimEnd();
  const quoted = /["']([\w-]+)["']\s*\)$/.exec(head);
  return quoted ? quoted[1] : trailingWord(head);
}

/** The identifier `text` ends with (`release` in `    release`), or undefined. */
function trailingWord(text: string): string | undefined {
  let start = text.length;
  while (start > 0 && /\w/.test(text[start - 1])) start--;
  return start < text.length ? text.slice(start) : undefined;
}
