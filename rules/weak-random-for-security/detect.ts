/**
 * weak-random-for-security detection: non-cryptographic RNG calls (libc `rand`, `Math.random`, `java.util.Random`,
 * Kotlin `Random`, Python `random`) whose value lands in a security-named target or is made by a security-named
 * function. Non-security purposes (jitter, backoff, UI, sampling, tests) named in the same place win.
 */
import type { Call, CodeModel, Expr } from '../../server/src/core/model/types';
import type { LanguageId, Span } from '../../server/src/core/types';
import { identifierWords } from '../_shared/identifier-words';
import { ValueIndex, bindingTargetsAround, parentCalls } from '../_shared/values';
import { NonCodeSpans, canonicalPythonCallee, pythonImports } from '../_shared/imports';

export interface WeakRandomHit { span: Span; api: string; purpose: string; call: Call }

export interface DetectInput { language: LanguageId; model: CodeModel; text: { content: string } }

const SECURITY_WORDS = new Set([
  'key', 'keys', 'iv', 'nonce', 'cnonce', 'token', 'tokens', 'session', 'sid', 'salt', 'secret', 'secrets', 'otp', 'totp', 'hotp',
  'challenge', 'password', 'passwd', 'pwd', 'passphrase', 'pin', 'passcode', 'csrf', 'xsrf', 'cookie', 'apikey', 'credential',
  'credentials', 'auth', 'authenticator', 'pairing', 'bonding', 'ltk', 'psk',
]);

const NON_SECURITY_WORDS = new Set([
  'jitter', 'backoff', 'delay', 'retry', 'retries', 'sleep', 'wait', 'timeout', 'interval', 'color', 'colour', 'hue', 'animation',
  'animate', 'sample', 'sampling', 'shuffle', 'shuffled', 'test', 'tests', 'mock', 'fake', 'dummy', 'demo', 'simulated', 'simulate',
  'simulator', 'chart', 'layout', 'position', 'offset', 'cache', 'gpio', 'led', 'button', 'pwm', 'noise', 'dither', 'particle',
  'placeholder', 'fixture', 'ui', 'tooltip', 'keyframe', 'hotkey', 'keyboard', 'keypad',
]);

/** Python `random` module functions (`random.SystemRandom` is a CSPRNG and is not listed). */
const PYTHON_RANDOM = new Set([
  'random', 'randint', 'randrange', 'choice', 'choices', 'getrandbits', 'randbytes', 'sample', 'shuffle', 'uniform',
]);

const C_RANDOM = new Set(['rand', 'random', 'rand_r', 'lrand48', 'mrand48', 'drand48', 'nrand48', 'jrand48', 'erand48']);

/** The weak RNG calls of a file, with the API as the message names it. */
function weakCalls(language: LanguageId, model: CodeModel, text: { content: string }): { call: Call; api: string }[] {
  const out: { call: Call; api: string }[] = [];
  const values = new ValueIndex(model);
  const javaUtilRandom = (receiver: Expr | undefined, at: Call): boolean => {
    if (!receiver) return false;
    if (receiver.kind === 'call') return receiver.call?.name === 'Random' && (receiver.call.isNew || language === 'kotlin');
    if (receiver.kind !== 'name' || !receiver.value) return false;
    if (language === 'kotlin' && /^(kotlin\.random\.)?Random$/.test(receiver.value)) return true;
    const bound = values.bindingsOf(receiver.value, at).some((b) => b.value.call?.name === 'Random' && b.value.call.callee !== 'SecureRandom');
    const declared = model.variables.some((v) => v.name === receiver.value!.split('.').pop() && /^(java\.util\.)?Random$/.test(v.type ?? ''));
    return bound || declared;
  };
  const pyImports = language === 'python' ? pythonImports(text.content, new NonCodeSpans(model)) : new Map<string, string>();
  for (const call of model.calls) {
    switch (language) {
      case 'c': case 'cpp':
        if ((C_RANDOM.has(call.callee) || call.callee === `std::${call.name}` && C_RANDOM.has(call.name))) out.push({ call, api: `${call.callee}()` });
        break;
      case 'typescript': case 'javascript':
        if (call.callee === 'Math.random' || call.callee === 'window.Math.random') out.push({ call, api: 'Math.random()' });
        break;
      case 'java': case 'kotlin':
        if (call.callee === 'Math.random' || call.callee === 'ThreadLocalRandom.current().' + call.name) out.push({ call, api: `${call.callee}()` });
        else if (/^next[A-Z]\w*$/.test(call.name) && javaUtilRandom(call.receiver, call)) out.push({ call, api: `${language === 'kotlin' && call.receiver?.kind === 'name' && /Random$/.test(call.receiver.value ?? '') ? call.receiver.value : 'java.util.Random'}.${call.name}()` });
        break;
      case 'python': {
        const canonical = canonicalPythonCallee(call.callee, pyImports);
        const m = /^random\.(\w+)$/.exec(canonical);
        if (m && PYTHON_RANDOM.has(m[1]) && (call.callee.includes('.') || pyImports.get(call.callee) === canonical)) out.push({ call, api: `${canonical}()` });
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** What the surrounding code says the random value is for: the target it is stored in, or its function's name. */
function purposeOf(call: Call, model: CodeModel, parents: Map<Call, Call>): string | undefined {
  const targetWords: string[] = [];
  const targetNames: string[] = [];
  const add = (name: string | undefined) => {
    if (!name) return;
    targetNames.push(name);
    targetWords.push(...identifierWords(name));
  };
  for (const b of bindingTargetsAround(model, call)) add(b.target);
  // `rng.nextBytes(token)`, `fill(key, rand())`: named arguments of the call or of the call it feeds.
  const named = (c: Call | undefined) => c?.args.filter((a) => a.kind === 'name').forEach((a) => add(a.value));
  if (/^next(Bytes)$/.test(call.name)) named(call);
  for (let parent = parents.get(call), depth = 0; parent && depth < 3; parent = parents.get(parent), depth++) {
    if (!bindingTargetsAround(model, parent).length) named(parent);
  }
  const has = (words: string[], set: ReadonlySet<string>) => words.find((w) => set.has(w));
  if (has(targetWords, NON_SECURITY_WORDS)) return undefined;
  const word = has(targetWords, SECURITY_WORDS);
  if (word) return `\`${targetNames.find((n) => identifierWords(n).includes(word))}\``;
  const fnWords = identifierWords(call.fn?.name ?? '');
  if (has(fnWords, NON_SECURITY_WORDS)) return undefined;
  return has(fnWords, SECURITY_WORDS) ? `the result of \`${call.fn!.name}()\`` : undefined;
}

export function detectWeakRandom({ language, model, text }: DetectInput): WeakRandomHit[] {
  const parents = parentCalls(model);
  const hits: WeakRandomHit[] = [];
  for (const { call, api } of weakCalls(language, model, text)) {
    const purpose = purposeOf(call, model, parents);
    if (purpose) hits.push({ span: call.calleeSpan, api, purpose, call });
  }
  return hits;
}
