/**
 * An IV or nonce that is the cipher's key, or a copy of it: `new IvParameterSpec(key)` beside
 * `new SecretKeySpec(key, "AES")`, `createCipheriv(alg, key, key)`, `memcpy(iv, key, 16)` or
 * `System.arraycopy(key, 0, iv, 0, 16)` before the IV goes to the cipher. The evidence is that one buffer reaches
 * both a key parameter and an IV parameter of the file's crypto APIs in one function: no name is read.
 */
import type { Call, CodeModel, Expr, FunctionDef } from '../../server/src/core/model/types';
import type { Span } from '../../server/src/core/types';
import { ivArgumentOf } from '../_shared/iv-apis';
import { keyParameterOf } from '../_shared/crypto-key-apis';
import { afterOptionalCast } from '../_shared/expression-text';

export interface KeyAsIvHit {
  span: Span;
  api: string;
  /** The buffer both parameters get. */
  key: string;
  /** The IV buffer and how it was made from the key, when it is a copy: `iv`, `memcpy(...)`. */
  copy?: { iv: string; how: string };
}

/** The buffer an argument names: `key`, `&key[0]`, `(uint8_t *)key`, `this.key`, `key.getBytes()` → its root. */
function bufferOf(arg: Expr | undefined): string | undefined {
  if (!arg) return undefined;
  let text = afterOptionalCast(arg.text.trim(), 'at-most-one')
    .replace(/^&\s*/, '')
    .replace(/^(?:this|self)\./, '');
  const conversion = text.endsWith(')') ? text.search(/\.(?:getBytes|toByteArray|encode)\(/) : -1;
  if (conversion > 0) text = text.slice(0, conversion);
  return /^([A-Za-z_][\w.]*(?:->\w+)*)(?:\s*\[\s*0\s*\])?$/.exec(text)?.[1];
}

/** Copies inside a function: destination buffer ← source buffer. */
function copiesIn(calls: readonly Call[]): { from: string; to: string; call: Call }[] {
  const out: { from: string; to: string; call: Call }[] = [];
  for (const call of calls) {
    let from: string | undefined;
    let to: string | undefined;
    if (/^(?:memcpy|memmove|memcpy_s)$/.test(call.name))
      [to, from] = [bufferOf(call.args[0]), bufferOf(call.args[call.name === 'memcpy_s' ? 2 : 1])];
    else if (call.callee === 'System.arraycopy') [from, to] = [bufferOf(call.args[0]), bufferOf(call.args[2])];
    if (from && to) out.push({ from, to, call });
  }
  return out;
}

/** `iv = Arrays.copyOf(key, 16)`, `iv = key.clone()`, `iv = key[:16]`, `iv = key` in the function. */
function assignedCopies(model: CodeModel, fn: FunctionDef): { from: string; to: string; how: string }[] {
  const out: { from: string; to: string; how: string }[] = [];
  for (const b of model.bindings) {
    if (b.fn !== fn || (b.kind !== 'declaration' && b.kind !== 'assignment')) continue;
    const v = b.value;
    const from =
      v.kind === 'name'
        ? bufferOf(v)
        : v.kind === 'call' && v.call && /^(?:Arrays\.copyOf|Arrays\.copyOfRange|copyOf|copyOfRange)$/.test(v.call.callee)
          ? bufferOf(v.call.receiver ?? v.call.args[0])
          : v.kind === 'call' && v.call?.name === 'clone' && v.call.receiver
            ? bufferOf(v.call.receiver)
            : undefined;
    if (from) out.push({ from, to: b.target.replace(/^(?:this|self)\./, ''), how: v.kind === 'call' ? `${v.call!.callee}(...)` : '=' });
  }
  return out;
}

export function detectKeyAsIv(model: CodeModel): KeyAsIvHit[] {
  const hits: KeyAsIvHit[] = [];
  for (const fn of model.functions) {
    const keys = new Set<string>();
    for (const call of fn.calls) {
      const parameter = keyParameterOf(call);
      const key = parameter ? bufferOf(call.args[parameter.index]) : undefined;
      if (key) keys.add(key);
    }
    if (!keys.size) continue;
    const derived = new Map<string, { key: string; how: string }>();
    for (const c of copiesIn(fn.calls)) if (keys.has(c.from)) derived.set(c.to, { key: c.from, how: `${c.call.callee}(...)` });
    for (const c of assignedCopies(model, fn)) if (keys.has(c.from) && !keys.has(c.to)) derived.set(c.to, { key: c.from, how: c.how });
    for (const call of fn.calls) {
      const index = ivArgumentOf(call);
      const iv = index === undefined ? undefined : bufferOf(call.args[index]);
      if (!iv) continue;
      if (keys.has(iv)) hits.push({ span: call.args[index!], api: call.callee, key: iv });
      const copy = derived.get(iv);
      if (!keys.has(iv) && copy) hits.push({ span: call.args[index!], api: call.callee, key: copy.key, copy: { iv, how: copy.how } });
    }
  }
  return hits;
}
