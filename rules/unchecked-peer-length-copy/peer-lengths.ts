/**
 * Where a BLE peer chooses a length the device then uses: the `len` parameter of a Zephyr GATT write callback
 * (the function a `BT_GATT_CHARACTERISTIC`, `BT_GATT_DESCRIPTOR` or `BT_GATT_ATTRIBUTE` of this file names as
 * its write handler), and `param->write.len` in an ESP-IDF Bluedroid GATT server event handler.
 */
import type { FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { functionsNamed } from '../../server/src/core/model/functions-by-name';

export interface PeerLength {
  fn: FunctionDef;
  /** The length as written in the handler, spaces removed: `len`, `param->write.len`. */
  length: string;
  /** What the length is, for the message. */
  what: string;
  /** How the handler should refuse a write that does not fit, for the message. */
  reject: string;
  /** The stack's own attribute-value structs, whose value array holds any write the stack delivers (Bluedroid). */
  stackValueTypes?: readonly string[];
}

/** The macros that declare an attribute, and the argument that names its write callback. */
const WRITE_CALLBACK_ARG: Readonly<Record<string, number>> = {
  BT_GATT_CHARACTERISTIC: 4,
  BT_GATT_DESCRIPTOR: 3,
  BT_GATT_ATTRIBUTE: 3,
};
/** Zephyr's write callback: `(conn, attr, buf, len, offset, flags)`. */
const ZEPHYR_LEN_PARAM = 3;
/** An ESP-IDF Bluedroid GATT server callback's event parameter: `esp_ble_gatts_cb_param_t *param`. */
const BLUEDROID_PARAM = /esp_ble_gatts_cb_param_t\*(\w+)/;

export function peerLengths(ctx: RuleContext): PeerLength[] {
  return [...zephyrWriteCallbacks(ctx), ...bluedroidHandlers(ctx)];
}

function zephyrWriteCallbacks(ctx: RuleContext): PeerLength[] {
  const found: PeerLength[] = [];
  const seen = new Set<FunctionDef>();
  for (const call of ctx.model.calls) {
    const at = Object.prototype.hasOwnProperty.call(WRITE_CALLBACK_ARG, call.name) ? WRITE_CALLBACK_ARG[call.name] : undefined;
    const handler = at === undefined ? undefined : call.args[at];
    if (!handler || handler.kind !== 'name' || !/^[A-Za-z_]\w*$/.test(handler.text.trim())) continue;
    for (const fn of functionsNamed(ctx.model, handler.text.trim())) {
      const len = fn.params[ZEPHYR_LEN_PARAM];
      if (seen.has(fn) || !len || fn.params.length < 4) continue;
      seen.add(fn);
      found.push({
        fn,
        length: len,
        what: `the number of bytes the peer wrote (the write callback's \`${len}\`)`,
        reject: `\`if (offset + ${len} > sizeof(buf)) return BT_GATT_ERR(BT_ATT_ERR_INVALID_ATTRIBUTE_LEN);\``,
      });
    }
  }
  return found;
}

function bluedroidHandlers(ctx: RuleContext): PeerLength[] {
  if (!ctx.text.content.includes('esp_ble_gatts_cb_param_t')) return [];
  const found: PeerLength[] = [];
  for (const fn of ctx.model.functions) {
    const header = ctx.text.content.slice(fn.start, (fn.body ?? fn).start).replace(/\s+/g, '');
    const param = BLUEDROID_PARAM.exec(header)?.[1];
    if (!param) continue;
    const length = `${param}->write.len`;
    found.push({
      fn,
      length,
      what: `the number of bytes the peer wrote (\`${length}\` of the write event)`,
      reject: `\`if (${length} > sizeof(buf))\`, answer the write with \`ESP_GATT_INVALID_ATTR_LEN\``,
      stackValueTypes: ['esp_gatt_rsp_t', 'esp_gatt_value_t'],
    });
  }
  return found;
}
