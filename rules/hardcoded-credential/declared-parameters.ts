/**
 * Credentials passed to a project's own setter: `setFtpAuth("ftp", "ftp")` against
 * `void FileTransferManager::setFtpAuth(String username, String password)`. The evidence is the parameter's name
 * in the function's definition, in this file or (as a project fact) in another file of the project.
 */
import type { Call, CodeModel, FunctionDef } from '../../server/src/core/model/types';
import type { ProjectConditions, RuleContext } from '../../server/src/core/types';
import type { CredentialName } from '../_shared/credential-names';
import { functionsNamed } from '../../server/src/core/model/functions-by-name';
import { identifierWords } from '../_shared/identifier-words';

/** Project fact: `name#index` of every parameter named for a password in a function the project defines. */
export const PASSWORD_PARAMETERS = 'password-parameters';

/** Kinds of names whose parameter takes a password-like secret (tokens and keys have their own value checks). */
const PASSWORD_KINDS: ReadonlySet<string> = new Set(['password', 'secret']);

type Classify = (name: string) => CredentialName | undefined;

/** Declares this file's functions' password parameters to the rest of the project. */
export function providePasswordParameters(ctx: RuleContext, classify: Classify): void {
  const values: string[] = [];
  for (const fn of ctx.model.functions) {
    if (!fn.name) continue;
    fn.params.forEach((param, index) => {
      if (PASSWORD_KINDS.has(classify(param)?.kind ?? '')) values.push(`${fn.name}#${index}`);
    });
  }
  if (values.length) ctx.provide(PASSWORD_PARAMETERS, [...new Set(values)]);
}

/** A password parameter of a same-file definition of the called function: the function, its index and its name. */
export function localPasswordParameters(
  model: CodeModel,
  call: Call,
  classify: Classify,
): { fn: FunctionDef; index: number; name: string }[] {
  const out: { fn: FunctionDef; index: number; name: string }[] = [];
  for (const fn of functionsNamed(model, call.name)) {
    fn.params.forEach((name, index) => {
      if (index < call.args.length && PASSWORD_KINDS.has(classify(name)?.kind ?? '')) out.push({ fn, index, name });
    });
  }
  return out;
}

/**
 * Words of a setter's name that say it takes a login (`setFtpAuth`, `setCredentials`, `loginAs`): the calls whose
 * literal arguments wait for another file to show a password parameter. Most calls (logging, drawing) have none
 * of them, so few findings wait on the project.
 */
export const LOGIN_WORDS: ReadonlySet<string> = new Set([
  'auth',
  'login',
  'logon',
  'signin',
  'credential',
  'credentials',
  'creds',
  'cred',
  'password',
  'passwd',
  'pwd',
  'pass',
  'user',
  'account',
]);

/** The condition under which argument `index` of `call` is a password parameter defined in another file. */
export function declaredElsewhere(call: Call, index: number): ProjectConditions | undefined {
  if (!namesLogin(call.name)) return undefined;
  return { fact: PASSWORD_PARAMETERS, anyOf: [`${call.name}#${index}`] };
}

/**
 * Whether a call can pass a password to a parameter the project declares: a same-file function of its name, or
 * a name with a login word for a definition in another file. Asked first, so the arguments of every other call
 * (most of a file's calls) are never resolved for this.
 */
export function mayTakeDeclaredPassword(model: CodeModel, call: Call): boolean {
  return functionsNamed(model, call.name).length > 0 || namesLogin(call.name);
}

/**
 * Every login word written in any case: a name's words are lower-cased slices of it, so a name without one of
 * these has no login word, and is not split (asked for every call of a file).
 */
const LOGIN_WORD_TEXT = /auth|log[io]n|signin|cred|pass|pwd|user|account/i;

function namesLogin(name: string): boolean {
  return LOGIN_WORD_TEXT.test(name) && identifierWords(name).some((w) => LOGIN_WORDS.has(w));
}
