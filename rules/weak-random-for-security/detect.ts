/**
 * weak-random-for-security detection: non-cryptographic RNG calls (libc `rand`, `Math.random`, `java.util.Random`,
 * Kotlin `Random`, Python `random`) whose value reaches a security sink (a key, an IV, a cookie, a password; followed
 * by the data-flow layer through variables, conversions, concatenation and helpers), or lands directly in a
 * security-named target, or is what a security-named function returns. Non-security purposes (jitter, backoff, UI,
 * sampling, tests) named in the same place win over names, never over a sink.
 */
import type { ValueFlow } from '../../server/src/core/flow/value-flow';
import type { Binding, Call, CodeModel, Expr, FunctionDef } from '../../server/src/core/model/types';
import type { LanguageId, Span } from '../../server/src/core/types';
import { securitySinkOf } from './sinks';
import { lookupHandleRole } from './lookup-handle';
import { identifierWords } from '../_shared/identifier-words';
import { ValueIndex, bindingTargetsAround, parentCalls } from '../_shared/values';
import { NonCodeSpans, canonicalPythonCallee, pythonImports } from '../_shared/imports';
import { pushAll } from '../../server/src/core/arrays';

export interface WeakRandomHit {
  span: Span;
  api: string;
  /** What the value is for: a sink's role (`reachesSink`), or the name that says so. */
  purpose: string;
  reachesSink: boolean;
  call: Call;
}

export interface DetectInput {
  language: LanguageId;
  model: CodeModel;
  text: { content: string };
  flow: ValueFlow;
}

const SECURITY_WORDS = new Set([
  'key',
  'keys',
  'iv',
  'nonce',
  'cnonce',
  'token',
  'tokens',
  'session',
  'sid',
  'salt',
  'secret',
  'secrets',
  'otp',
  'totp',
  'hotp',
  'challenge',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'pin',
  'passcode',
  'csrf',
  'xsrf',
  'cookie',
  'apikey',
  'credential',
  'credentials',
  'auth',
  'authenticator',
  'pairing',
  'bonding',
  'ltk',
  'psk',
]);

const NON_SECURITY_WORDS = new Set([
  'jitter',
  'backoff',
  'delay',
  'retry',
  'retries',
  'sleep',
  'wait',
  'timeout',
  'interval',
  'color',
  'colour',
  'hue',
  'animation',
  'animate',
  'sample',
  'sampling',
  'shuffle',
  'shuffled',
  'test',
  'tests',
  'mock',
  'fake',
  'dummy',
  'demo',
  'simulated',
  'simulate',
  'simulator',
  'chart',
  'layout',
  'position',
  'offset',
  'cache',
  'gpio',
  'led',
  'button',
  'pwm',
  'noise',
  'dither',
  'particle',
  'placeholder',
  'fixture',
  'ui',
  'tooltip',
  'keyframe',
  'hotkey',
  'keyboard',
  'keypad',
]);

/** A name that says the value is for something harmless (`sampleId`, `retryDelay`, `uiKey`). */
/**
 * Words that say where a value is shown or typed, not that it is harmless: a `uiKey` is a list key of a UI toolkit,
 * but a `uiPassword` or `keypadPin` is the credential that guards that UI.
 */
const PLACE_WORDS = new Set(['ui', 'keypad']);
const CREDENTIAL_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'pin', 'passcode', 'secret', 'token', 'otp']);

/** Whether a target's words name a harmless purpose, unless they only place a credential (`m_uiPassword`). */
function harmlessTarget(words: string[]): boolean {
  const harmless = words.filter((w) => NON_SECURITY_WORDS.has(w));
  if (!harmless.length) return false;
  return !(harmless.every((w) => PLACE_WORDS.has(w)) && words.some((w) => CREDENTIAL_WORDS.has(w)));
}

const namedHarmless = (name: string) => identifierWords(name).some((w) => NON_SECURITY_WORDS.has(w));

/** Python `random` module functions (`random.SystemRandom` is a CSPRNG and is not listed). */
const PYTHON_RANDOM = new Set([
  'random',
  'randint',
  'randrange',
  'choice',
  'choices',
  'getrandbits',
  'randbytes',
  'sample',
  'shuffle',
  'uniform',
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
    const bound = values
      .bindingsOf(receiver.value, at)
      .some((b) => b.value.call?.name === 'Random' && b.value.call.callee !== 'SecureRandom');
    const declared = model.variables.some(
      (v) => v.name === receiver.value!.split('.').pop() && /^(java\.util\.)?Random$/.test(v.type ?? ''),
    );
    return bound || declared;
  };
  const pyImports = language === 'python' ? pythonImports(text.content, new NonCodeSpans(model)) : new Map<string, string>();
  for (const call of model.calls) {
    switch (language) {
      case 'c':
      case 'cpp':
        // The model writes `std::rand` as `std.rand`.
        if (
          C_RANDOM.has(call.callee) ||
          ((call.callee === `std::${call.name}` || call.callee === `std.${call.name}`) && C_RANDOM.has(call.name))
        )
          out.push({ call, api: `${call.callee}()` });
        break;
      case 'typescript':
      case 'javascript':
        if (call.callee === 'Math.random' || call.callee === 'window.Math.random') out.push({ call, api: 'Math.random()' });
        break;
      case 'java':
      case 'kotlin':
        if (call.callee === 'Math.random' || call.callee === 'ThreadLocalRandom.current().' + call.name)
          out.push({ call, api: `${call.callee}()` });
        else if (/^next[A-Z]\w*$/.test(call.name) && javaUtilRandom(call.receiver, call))
          out.push({
            call,
            api: `${language === 'kotlin' && call.receiver?.kind === 'name' && /Random$/.test(call.receiver.value ?? '') ? call.receiver.value : 'java.util.Random'}.${call.name}()`,
          });
        break;
      case 'python': {
        const canonical = canonicalPythonCallee(call.callee, pyImports);
        const m = /^random\.(\w+)$/.exec(canonical);
        if (m && PYTHON_RANDOM.has(m[1]) && (call.callee.includes('.') || pyImports.get(call.callee) === canonical))
          out.push({ call, api: `${canonical}()` });
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
    pushAll(targetWords, identifierWords(name));
  };
  // A binding whose value is a function (`authFromCredentials(creds) { … }` in an object literal) names what the
  // function does, like a function's own name: it does not say what every value computed inside it is for.
  for (const b of bindingTargetsAround(model, call)) if (!holdsFunction(b, model)) add(b.target);
  // `rng.nextBytes(token)`, `fill(key, rand())`: named arguments of the call or of the call it feeds.
  const named = (c: Call | undefined) => c?.args.filter((a) => a.kind === 'name').forEach((a) => add(a.value));
  if (/^next(Bytes)$/.test(call.name)) named(call);
  for (let parent = parents.get(call), depth = 0; parent && depth < 3; parent = parents.get(parent), depth++) {
    if (!bindingTargetsAround(model, parent).length) named(parent);
  }
  const has = (words: string[], set: ReadonlySet<string>) => words.find((w) => set.has(w));
  if (harmlessTarget(targetWords)) return undefined;
  const word = has(targetWords, SECURITY_WORDS);
  if (word) return `\`${targetNames.find((n) => identifierWords(n).includes(word))}\``;
  // An arrow function is named by the binding that holds it (`const makeToken = () => …`).
  const fnName = call.fn?.name || model.bindings.find((b) => call.fn && holdsFunction(b, model, call.fn))?.target || '';
  const fnWords = identifierWords(fnName);
  if (has(fnWords, NON_SECURITY_WORDS)) return undefined;
  // A function's name speaks for what it returns, not for every value it computes on the way (the padding
  // bytes a `packLinkKey()` mixes into its output are not the key).
  if (has(fnWords, SECURITY_WORDS)) return returnedBy(call, call.fn!, model) ? `the result of \`${fnName}()\`` : undefined;
  // `object PairingCode { fun next() = Random.nextInt(...) }`: a class named for the secret value it makes speaks for
  // what its methods return (only those words: a class named `auth` or `session` does many other things).
  const classWords = identifierWords(call.fn?.className ?? '');
  if (has(classWords, NON_SECURITY_WORDS) || !has(classWords, CLASS_VALUE_WORDS)) return undefined;
  return returnedBy(call, call.fn!, model) ? `the result of \`${call.fn!.className}.${call.fn!.name}()\`` : undefined;
}

/** Whether the binding's value is a function (`fn`, or any function of the file when not given). */
function holdsFunction(binding: Binding, model: CodeModel, fn?: FunctionDef): boolean {
  const held = (f: FunctionDef) => f.start === binding.value.start && f.end === binding.value.end;
  return fn ? held(fn) : model.functions.some(held);
}

/** Words that name a secret value itself, for class names (`PairingCode`, `OtpGenerator`, `NonceFactory`). */
const CLASS_VALUE_WORDS: ReadonlySet<string> = new Set([
  'pairing',
  'pin',
  'passcode',
  'otp',
  'totp',
  'hotp',
  'nonce',
  'salt',
  'token',
  'password',
  'passphrase',
  'challenge',
]);

/** Whether the value of `call` is returned by `fn`: inside a return expression, or in a local that is returned. */
function returnedBy(call: Call, fn: FunctionDef, model: CodeModel): boolean {
  const inside = (outer: Span) => outer.start <= call.start && call.end <= outer.end;
  if (fn.returns.some(inside)) return true;
  const locals = bindingTargetsAround(model, call)
    .filter((b) => b.fn === fn)
    .map((b) => b.target);
  return fn.returns.some((r) => locals.some((name) => mentions(r.text, name)));
}

/** Whether `text` mentions the identifier `name` as a whole word (no regex built from the name). */
function mentions(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = text[at - 1] ?? ' ';
    const after = text[at + name.length] ?? ' ';
    if (!/[\w$]/.test(before) && !/[\w$]/.test(after)) return true;
  }
  return false;
}

/** The first security sink the PRNG value reaches, as the data-flow layer follows it, with the names it passed. */
function sinkReached(call: Call, model: CodeModel, flow: ValueFlow): string | undefined {
  const starts: { value: Expr | Call; via: string[] }[] = [
    { value: call, via: [] },
    ...filledBufferReads(call, model).map((read) => ({ value: read, via: [`${read.text} (${call.name})`] })),
  ];
  for (const { value, via } of starts) {
    for (const use of flow.uses(value)) {
      const sink = securitySinkOf(use.call, use.slot);
      if (!sink) continue;
      const through = [...via, ...use.steps.map((s) => s.label)].map((label) => `\`${label}\``);
      return through.length ? `${sink.role} (through ${through.join(' → ')})` : sink.role;
    }
  }
  return undefined;
}

/**
 * `rng.nextBytes(buf)` returns nothing: the random value is the buffer it fills. The reads of that buffer later in
 * the same function are where the value goes on (`new IvParameterSpec(buf)`).
 */
function filledBufferReads(call: Call, model: CodeModel): Expr[] {
  const buffer = call.name === 'nextBytes' ? call.args[0] : undefined;
  if (buffer?.kind !== 'name' || !buffer.value) return [];
  const reads: Expr[] = [];
  for (const later of model.calls) {
    if (later.fn !== call.fn || later.start <= call.end) continue;
    for (const arg of later.args) if (arg.kind === 'name' && arg.value === buffer.value) reads.push(arg);
  }
  return reads;
}

export function detectWeakRandom({ language, model, text, flow }: DetectInput): WeakRandomHit[] {
  // Built for the first PRNG call that reaches no sink: it resolves the arguments of every call.
  let parents: Map<Call, Call> | undefined;
  const hits: WeakRandomHit[] = [];
  for (const { call, api } of weakCalls(language, model, text)) {
    const sink = sinkReached(call, model, flow);
    // `if (failRate > Math.random())`: a value compared with a threshold makes a yes/no decision, never a secret,
    // whatever the function or variable around it is called (a simulated login that fails one time in five).
    if (!sink && call.resultUse === 'comparison') continue;
    const named = sink ?? purposeOf(call, model, (parents ??= parentCalls(model)));
    // Unnamed: what the code does with the value (a code the server stores data under and looks up from a request).
    const purpose = named ?? lookupHandleRole(call, model, text.content, flow, namedHarmless);
    if (purpose) hits.push({ span: call.calleeSpan, api, purpose, reachesSink: sink !== undefined, call });
  }
  return hits;
}
