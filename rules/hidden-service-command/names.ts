/**
 * hidden-service-command: which command names and routes are factory, engineering, service or debug entry
 * points, and which code counts as an authentication or role check.
 */
import { identifierWords } from '../_shared/identifier-words';
import { replaceQuoted } from '../../server/src/core/string-literals';

/** Words that name a hidden entry point on their own. */
const STRONG_WORDS: ReadonlySet<string> = new Set([
  'factory',
  'engineering',
  'backdoor',
  'maintenance',
  'manufacturing',
  'mfg',
  'jailbreak',
  'superuser',
  'godmode',
  'rootshell',
  'bypass',
]);

/** Words that do so only next to a mode-like word: `debug_unlock`, `service_mode`, `test_mode`, `eng_menu`. */
const WEAK_WORDS: ReadonlySet<string> = new Set([
  'debug',
  'dbg',
  'service',
  'eng',
  'test',
  'dev',
  'diag',
  'calib',
  'unlock',
  'hidden',
  'secret',
]);
const MODE_WORDS: ReadonlySet<string> = new Set([
  'mode',
  'unlock',
  'shell',
  'menu',
  'access',
  'enable',
  'cmd',
  'command',
  'login',
  'root',
  'override',
  'console',
  'port',
  'key',
]);

/** Whether a command string, route or constant names a hidden or privileged entry point. */
export function isHiddenCommandName(name: string): boolean {
  const words = identifierWords(name);
  if (!words.length || words.length > 6) return false;
  if (words.some((w) => STRONG_WORDS.has(w))) return true;
  return words.some((w, i) => WEAK_WORDS.has(w) && words.some((m, j) => j !== i && MODE_WORDS.has(m)));
}

/** A literal that looks like a command token or a route, not a sentence. */
export function looksLikeCommand(value: string): boolean {
  return /^[\w\-/.:]{3,48}$/.test(value) && !/^\d+$/.test(value);
}

/** Word characters only, so any occurrence lies in a name: no `\b\w*…\w*\b` around them (polynomial). */
const AUTH_IDENTIFIER =
  /(?:auth|login|logged_?in|is_?admin|has_?role|check_?role|require_?role|role_?check|roles_?required|permission|privilege|verify_?pin|check_?pin|pin_?ok|pin_?verified|password|passcode|session|access_?level|security_?level|credential|token|challenge|signature_?ok|is_?unlocked)/i;

/** Whether code (a function body, route middleware, decorators) mentions an authentication or role check, strings aside. */
export function mentionsAuthCheck(code: string): boolean {
  const withoutStrings = replaceQuoted(replaceQuoted(replaceQuoted(code, '"', '""', true), "'", "''", true), '`', '``');
  return AUTH_IDENTIFIER.test(withoutStrings);
}
