/**
 * unchecked-peer-length-copy: a BLE write handler that copies as many bytes as the peer wrote (Zephyr's write
 * callback `len`, ESP-IDF Bluedroid's `param->write.len`) into a buffer of the device with `memcpy`/`memmove`,
 * and compares that length with nothing first. The peer picks the length, up to the ATT MTU or a long write's
 * total, so any central in radio range writes past the buffer.
 */
import type { Call } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import type { Node } from 'web-tree-sitter';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';
import { peerLengths, type PeerLength } from './peer-lengths';
import { boundedOnEveryPath, firstComparison } from './length-bounds';

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
  const body = handlerBody(ctx, peer);
  if (!body) return;
  for (const call of peer.fn.calls) {
    if (!COPIES.has(call.name) || call.args.length !== 3) continue;
    if (flat(call.args[2].text) !== peer.length) continue;
    if (reassignedBefore(ctx, peer, call) || sizedForLength(ctx, peer, call) || heldByStackValue(ctx, peer, call)) continue;
    if (boundedOnEveryPath(body, call, peer.length)) continue;
    ctx.report({ span: call, message: message(ctx, peer, call, firstComparison(body, call.start, peer.length)) });
  }
}

function message(ctx: RuleContext, peer: PeerLength, call: Call, compared: Node | undefined): string {
  const checked = compared
    ? `compared on line ${ctx.text.positionAt(compared.startIndex).line + 1} (\`${short(compared.text, 60)}\`), but that does not bound it on every path to the copy`
    : 'compared with nothing first';
  return (
    `\`${call.name}\` copies \`${peer.length}\` bytes into \`${short(call.args[0].text)}\`, and \`${peer.length}\` is ${peer.what}, ${checked}: ` +
    `a peer that writes more than the buffer holds overwrites the memory after it (stack, therapy state, a return address), ` +
    `from anywhere in radio range that can write the characteristic. Check it before the copy: ${peer.reject}.`
  );
}

/** The handler's body in the syntax tree. */
function handlerBody(ctx: RuleContext, peer: PeerLength): Node | undefined {
  const body = peer.fn.body;
  if (!body || !ctx.tree) return undefined;
  let node: Node | null = ctx.tree.rootNode.descendantForIndex(body.start, Math.max(body.start, body.end - 1));
  while (node && !(node.startIndex === body.start && node.endIndex === body.end)) node = node.parent;
  return node ?? undefined;
}

/** The length given a new value before the copy (`len = MIN(len, sizeof buf)`): it is no longer what the peer chose. */
function reassignedBefore(ctx: RuleContext, peer: PeerLength, copy: Call): boolean {
  return ctx.model.bindings.some((b) => b.fn === peer.fn && b.start < copy.start && place(b.target) === place(peer.length));
}

/** The destination was allocated for the length in the same handler (`p = malloc(len + 1)`): it fits. */
function sizedForLength(ctx: RuleContext, peer: PeerLength, copy: Call): boolean {
  const dest = place(copy.args[0].text);
  return ctx.model.bindings.some(
    (b) =>
      b.fn === peer.fn &&
      b.start < copy.start &&
      place(b.target) === dest &&
      b.value.kind === 'call' &&
      !!b.value.call &&
      b.value.call.args.some((a) => flat(a.text).includes(peer.length)),
  );
}

/**
 * The destination is the value of the Bluetooth stack's own attribute-value struct (`esp_gatt_rsp_t`'s
 * `attr_value.value`, an `esp_gatt_value_t`'s `value`): Bluedroid sizes it `ESP_GATT_MAX_ATTR_LEN`, the same
 * `GATT_MAX_ATTR_LEN` its GATT server's write request holds the peer's value in before the event is raised, so a
 * write event's `len` never exceeds it. Known by the declared type of the destination, not by its name.
 */
function heldByStackValue(ctx: RuleContext, peer: PeerLength, copy: Call): boolean {
  if (!peer.stackValueTypes) return false;
  const dest = STACK_VALUE.exec(flat(copy.args[0].text));
  if (!dest) return false;
  const [, base, path] = dest;
  const wanted = path === 'attr_value.value' ? 'esp_gatt_rsp_t' : path === 'value' ? 'esp_gatt_value_t' : undefined;
  if (!wanted || !peer.stackValueTypes.includes(wanted)) return false;
  return ctx.model.variables.some(
    (v) => v.name === base && (v.fn === peer.fn || !v.fn) && v.start < copy.start && declaredAs(v.type, wanted),
  );
}

/** `rsp.attr_value.value`, `p_rsp->attr_value.value`, `val.value`: a variable and the member path copied into. */
const STACK_VALUE = /^&?([A-Za-z_]\w*)(?:->|\.)((?:attr_value\.)?value)$/;

function declaredAs(type: string | undefined, wanted: string): boolean {
  return !!type && type.replace(/\b(?:const|struct|volatile)\b/g, '').trim() === wanted;
}

const flat = (text: string) => text.replace(/\s+/g, '');

/** An lvalue as the model names a binding's target: `node->data` is bound as `node.data`. */
const place = (text: string) => flat(text).split('->').join('.');

function short(text: string, max = 40): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}
