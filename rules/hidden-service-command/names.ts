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
  return namesHiddenEntry(identifierWords(name), false);
}

/**
 * Whether a `case` label of a C command switch names one. Labels are enumerators and macros, whose `service` is
 * often a software component's name (below): that sense is left out here. Strings, routes and shell commands
 * keep the word as it is, where `location_service_mode` is still a mode someone types.
 */
export function isHiddenCaseLabel(name: string): boolean {
  return namesHiddenEntry(identifierWords(name), true);
}

function namesHiddenEntry(words: readonly string[], componentServices: boolean): boolean {
  if (!words.length || words.length > 6) return false;
  if (words.some((w) => STRONG_WORDS.has(w))) return true;
  return words.some(
    (w, i) =>
      WEAK_WORDS.has(w) && !(componentServices && namesComponentService(words, i)) && words.some((m, j) => j !== i && MODE_WORDS.has(m)),
  );
}

/**
 * `service` after a noun that says what it serves names a software component (`EventServiceCommand`, the command
 * type of an event service; `LOG_SERVICE_CMD_FLUSH`), not the field-service mode a technician enters: the head of
 * an English noun compound is its last word. Field service keeps its own modifiers (`FIELD_SERVICE_CMD`), and a
 * verb, a weak, mode or command word before it (`ENTER_SERVICE_MODE`, `CMD_SERVICE_MODE`, `ENG_SERVICE_KEY`) leaves
 * it the service of a service mode.
 */
function namesComponentService(words: readonly string[], index: number): boolean {
  if (words[index] !== 'service' || index === 0) return false;
  const before = words[index - 1];
  return !SERVICE_MODE_WORDS.has(before) && !WEAK_WORDS.has(before) && !MODE_WORDS.has(before) && !STRONG_WORDS.has(before);
}
/** Words before `service` that keep it the field-service mode: its modifiers, and the verbs that enter or run it. */
const SERVICE_MODE_WORDS: ReadonlySet<string> = new Set([
  'field',
  'customer',
  'tech',
  'technician',
  'technical',
  'remote',
  'repair',
  'enter',
  'exit',
  'leave',
  'start',
  'stop',
  'set',
  'get',
  'is',
  'in',
  'to',
  'go',
  'do',
  'run',
  'open',
  'allow',
  'toggle',
  'req',
  'request',
  'handle',
  'check',
]);

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
