/**
 * When `mbedtls_aes_crypt_ecb` (one 16-byte block per call) is ECB over data rather than the block function a
 * mode is built from: it runs in a loop, it is called on consecutive blocks of one buffer, its function is called
 * in a loop on successive offsets of a buffer, or its input is an array declared longer than a block. A single
 * call on a counter, a challenge or a key-derivation block is the primitive and stays quiet.
 */
import type { Call, CodeModel, FunctionDef } from '../../server/src/core/model/types';
import type { Span } from '../../server/src/core/types';
import type { NonCodeSpans } from '../_shared/imports';
import { ValueIndex, parseInteger } from '../_shared/values';

const BLOCK = 16;

/** Whether `offset` lies in the body of a `for`/`while`/`do` loop that starts inside `body`. */
export function insideLoop(text: string, body: Span, offset: number, nonCode: NonCodeSpans): boolean {
  const re = /\b(for|while|do)\b/g;
  re.lastIndex = body.start;
  for (let m = re.exec(text); m && m.index < offset; m = re.exec(text)) {
    if (nonCode.contains(m.index)) continue;
    let i = m.index + m[0].length;
    if (m[1] !== 'do') {
      while (i < body.end && /\s/.test(text[i])) i++;
      if (text[i] !== '(') continue;
      i = matching(text, i, '(', ')');
      if (i < 0) continue;
      i++;
    }
    while (i < body.end && /\s/.test(text[i])) i++;
    const end = text[i] === '{' ? matching(text, i, '{', '}') : text.indexOf(';', i);
    if (end >= 0 && offset >= i && offset < end) return true;
  }
  return false;
}

function matching(text: string, open: number, o: string, c: string): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === o) depth++;
    else if (text[i] === c && --depth === 0) return i;
  }
  return -1;
}

/** `buf`, `buf + 16`, `&buf[16]`, `ctx->in + off`: the buffer and the offset into it ('0' when none). */
function bufferAt(text: string): { base: string; offset: string } | undefined {
  const t = text.replace(/\s+/g, '');
  const m = /^&?([A-Za-z_]\w*(?:(?:\.|->)[A-Za-z_]\w*)*)(?:\[([^\]]+)\]|\+(.+))?$/.exec(t);
  return m ? { base: m[1], offset: m[2] ?? m[3] ?? '0' } : undefined;
}

const isOffset = (text: string) => {
  const at = bufferAt(text);
  return !!at && at.offset !== '0';
};

export interface EcbContext {
  model: CodeModel;
  text: string;
  nonCode: NonCodeSpans;
  values: ValueIndex;
}

/** Why this `mbedtls_aes_crypt_ecb` call encrypts data longer than a block, for the message; undefined when it does not. */
export function ecbOverData(c: EcbContext, call: Call): string | undefined {
  const fn = call.fn;
  if (!fn?.body) return undefined;
  if (insideLoop(c.text, fn.body, call.start, c.nonCode)) return 'mbedtls_aes_crypt_ecb() in a loop';
  const input = call.args[2];
  if (!input) return undefined;
  const at = bufferAt(input.text);
  if (!at) return undefined;
  const sibling = fn.calls.find((other) => {
    if (other === call || other.name !== call.name || !other.args[2]) return false;
    const o = bufferAt(other.args[2].text);
    return !!o && o.base === at.base && o.offset !== at.offset;
  });
  if (sibling) return 'mbedtls_aes_crypt_ecb() on consecutive blocks of one buffer';
  const caller = loopCaller(c, fn, at.base);
  if (caller) return `mbedtls_aes_crypt_ecb() on each block of a buffer (${caller}() calls it in a loop)`;
  const size = declaredSize(c, fn, at.base);
  return at.offset === '0' && size !== undefined && size > BLOCK ? `mbedtls_aes_crypt_ecb() on a ${size}-byte buffer` : undefined;
}

/** A function of this file that calls `fn` inside a loop with successive offsets of a buffer for parameter `param`. */
function loopCaller(c: EcbContext, fn: FunctionDef, param: string): string | undefined {
  const index = fn.params.indexOf(param);
  if (index < 0 || !fn.name) return undefined;
  for (const call of c.model.calls) {
    if (call.name !== fn.name || call.fn === fn || !call.fn?.body) continue;
    const arg = call.args[index];
    if (arg && isOffset(arg.text) && insideLoop(c.text, call.fn.body, call.start, c.nonCode)) return call.fn.name || 'a caller';
  }
  return undefined;
}

const ARRAY_DECLARATION = (name: string) =>
  new RegExp(`\\b(?:u?int8_t|unsigned\\s+char|char|uint8|byte)\\s+${name}\\s*\\[\\s*([A-Za-z_0-9]+)\\s*\\]`);

/** The declared length of array `name` in `fn` (a local or a parameter written as an array) or at file level. */
function declaredSize(c: EcbContext, fn: FunctionDef, name: string): number | undefined {
  if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
  const declaration = ARRAY_DECLARATION(name);
  const found = declaration.exec(c.text.slice(fn.start, fn.end)) ?? (fn.params.includes(name) ? null : declaration.exec(c.text));
  if (!found) return undefined;
  const direct = parseInteger(found[1]);
  if (direct !== undefined) return direct;
  const sizes = c.values.bindingsOf(found[1]).map((b) => parseInteger(b.value.text.trim()));
  return sizes.length === 1 ? sizes[0] : undefined;
}
