/**
 * unchecked-peer-length-copy: a BLE write handler that copies as many bytes as the peer wrote (Zephyr's write
 * callback `len`, ESP-IDF Bluedroid's `param->write.len`) into a buffer of the device with `memcpy`/`memmove`,
 * and compares that length with nothing first. The peer picks the length, up to the ATT MTU or a long write's
 * total, so any central in radio range writes past the buffer.
 */
import type { Call } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { replaceQuoted } from '../../server/src/core/string-literals';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';
import { peerLengths, type PeerLength } from './peer-lengths';

export default defineRule({
  meta: {
    id: 'unchecked-peer-length-copy',
    title: 'BLE write handler copies as many bytes as the peer sent, with no length check',
    severity: 'high',
    confidence: 'medium',
    languages: ['c', 'cpp'],
    cwe: [120, 787],
    fda: ['app1.D.8', 'app1.D.11', '524b.b2'],
    sees: {
      'app1.D.8': 'BLE write handlers that copy a peer-chosen number of bytes without checking it',
      'app1.D.11': 'BLE write handlers that copy a peer-chosen number of bytes without checking it',
    },
    iec62443: ['CR 3.5'],
    fix: 'none',
    presets: ['recommended'],
    // Every report is in a BLE write handler peerLengths (peer-lengths.ts) finds: one registered with Zephyr's
    // `BT_GATT_*` macros, or a Bluedroid handler taking `esp_ble_gatts_cb_param_t`.
    needs: ['bt_gatt_', 'esp_ble_gatts_cb_param_t'],
    docs,
  },
  check(ctx) {
    if (!ctx.text.content.includes('memcpy') && !ctx.text.content.includes('memmove')) return;
    for (const peer of peerLengths(ctx)) checkHandler(ctx, peer);
  },
});

const COPIES = new Set(['memcpy', 'memmove']);

function checkHandler(ctx: RuleContext, peer: PeerLength): void {
  for (const call of peer.fn.calls) {
    if (!COPIES.has(call.name) || call.args.length !== 3) continue;
    if (flat(call.args[2].text) !== peer.length) continue;
    if (checkedBefore(ctx, peer, call) || sizedForLength(ctx, peer, call)) continue;
    ctx.report({
      span: call,
      message:
        `\`${call.name}\` copies \`${peer.length}\` bytes into \`${short(call.args[0].text)}\`, and \`${peer.length}\` is ${peer.what}, compared with nothing first: ` +
        `a peer that writes more than the buffer holds overwrites the memory after it (stack, therapy state, a return address), ` +
        `from anywhere in radio range that can write the characteristic. Check it before the copy: ${peer.reject}.`,
    });
  }
}

/**
 * A comparison of the length before the copy (`if (len > sizeof(buf))`, `offset + len > MAX`, `sizeof(v) < len`,
 * `len != sizeof(cmd)`),
 * the length given a new value (`len = MIN(len, sizeof buf)`), or a check the model keeps no comparison for
 * (`switch (len)`, `CHECKIF(len > X)`, `__ASSERT(len <= X)`): the handler bounds what it copies.
 */
function checkedBefore(ctx: RuleContext, peer: PeerLength, copy: Call): boolean {
  const reassigned = ctx.model.bindings.some((b) => b.fn === peer.fn && b.start < copy.start && flat(b.target) === peer.length);
  if (reassigned) return true;
  const before = flat(codeBetween(ctx, (peer.fn.body ?? peer.fn).start, copy.start));
  for (let at = before.indexOf(peer.length); at >= 0; at = before.indexOf(peer.length, at + 1)) {
    const prev = before[at - 1] ?? '';
    const next = before[at + peer.length.length] ?? '';
    if (/[\w.]/.test(prev) || /\w/.test(next)) continue; // part of another name (`xlen`, `len2`)
    if (next === '<' || next === '>' || prev === '<' || prev === '>') return true;
    // `if (len != sizeof(cmd)) return BT_GATT_ERR(...)`: a length that must equal a size is bounded by it.
    const after = before.slice(at + peer.length.length, at + peer.length.length + 2);
    if (after === '!=' || after === '==' || /[!=]=$/.test(before.slice(Math.max(0, at - 2), at))) return true;
    if (prev === '(' && GUARD_CALL.test(before.slice(Math.max(0, at - 16), at))) return true;
  }
  return false;
}

/** `switch(`, `CHECKIF(`, `__ASSERT(`, `MIN(`, `min(` right before the length: forms that bound it without `<`/`>`. */
const GUARD_CALL = /(?:switch|CHECKIF|__ASSERT|__ASSERT_NO_MSG|MIN|min)\($/;

/** The code between two offsets with comments and string literals blanked: a `for (i = 0; i < len; i++)` commented out checks nothing. */
function codeBetween(ctx: RuleContext, start: number, end: number): string {
  const chars = ctx.text.content.slice(start, end).split('');
  for (const comment of ctx.model.comments) {
    if (comment.end <= start || comment.start >= end) continue;
    for (let i = Math.max(comment.start, start); i < Math.min(comment.end, end); i++) chars[i - start] = ' ';
  }
  return replaceQuoted(chars.join(''), '"', '""', true);
}

/** The destination was allocated for the length in the same handler (`p = malloc(len + 1)`): it fits. */
function sizedForLength(ctx: RuleContext, peer: PeerLength, copy: Call): boolean {
  const dest = flat(copy.args[0].text);
  return ctx.model.bindings.some(
    (b) =>
      b.fn === peer.fn &&
      b.start < copy.start &&
      flat(b.target) === dest &&
      b.value.kind === 'call' &&
      !!b.value.call &&
      b.value.call.args.some((a) => flat(a.text).includes(peer.length)),
  );
}

const flat = (text: string) => text.replace(/\s+/g, '');

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 37)}...` : one;
}
