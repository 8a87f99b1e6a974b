/**
 * ble-unauthenticated-access, Nordic nRF5 SDK (SoftDevice): GATT characteristics added with a write property and
 * an open write permission, and the SDK's Nordic UART Service, whose RX characteristic is always open.
 *
 * The SoftDevice checks an attribute's write permission (`ble_gatts_attr_md_t.write_perm`, or
 * `ble_add_char_params_t.write_access` with the SDK 15+ `characteristic_add()` helper) before it hands a write to
 * the application as a `BLE_GATTS_EVT_WRITE`: an open permission (`BLE_GAP_CONN_SEC_MODE_SET_OPEN`, `SEC_OPEN`)
 * lets any central write over an unencrypted, unpaired link. A characteristic is the span of code between one
 * `characteristic_add` call and the one before it in the same function, as the SDK's services write them: one
 * metadata struct filled, added, cleared and filled again.
 */
import type { Binding, Call, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';
import { identifierTokens, replaceFix } from '../_shared/syntax';
import type { BleFinding } from './detect';
import { WRITE_RISK } from './risks';

const ADD_CHARACTERISTIC = new Set(['sd_ble_gatts_characteristic_add', 'characteristic_add']);
/** The properties that let a central write the value (`char_props.write`, `char_props.write_wo_resp`). */
const WRITE_PROPS = /(?:^|\.)char_props\.(?:write|write_wo_resp)$/;
/** A C literal that turns a flag on. */
const ON = /^\s*(?:1|true|0x0*1)\s*$/i;

export function nrf5SdkPermissions(ctx: RuleContext, out: BleFinding[]): void {
  const text = ctx.text.content;
  if (text.includes('characteristic_add')) {
    for (const call of ctx.model.calls) {
      if (!ADD_CHARACTERISTIC.has(call.name) || !call.fn) continue;
      const segment = characteristicSegment(call.fn, call);
      const structs = writableStructs(ctx, call.fn, segment);
      if (!structs.size) continue;
      openWriteAccess(ctx, call.fn, segment, structs, out);
      openWritePerm(ctx, call.fn, segment, out);
    }
  }
  if (text.includes('ble_nus_init')) nusReceiver(ctx, out);
}

/** From the previous `characteristic_add` call in the same function (or the function's start) to this one. */
function characteristicSegment(fn: FunctionDef, add: Call): Span {
  let start = fn.start;
  for (const c of fn.calls) if (ADD_CHARACTERISTIC.has(c.name) && c.end <= add.start && c.end > start) start = c.end;
  return { start, end: add.start };
}

function inSegment(b: Binding | Call, fn: FunctionDef, segment: Span): boolean {
  return b.fn === fn && b.start >= segment.start && b.end <= segment.end;
}

/** The structs given a write property in the segment: `add_char_params` of `add_char_params.char_props.write = 1`. */
function writableStructs(ctx: RuleContext, fn: FunctionDef, segment: Span): Set<string> {
  const out = new Set<string>();
  for (const b of ctx.model.bindings) {
    const target = b.target.replace(/\s+/g, '');
    if (inSegment(b, fn, segment) && WRITE_PROPS.test(target) && ON.test(b.value.text))
      out.add(target.slice(0, target.lastIndexOf('.char_props.')));
  }
  return out;
}

/**
 * SDK 15+: `add_char_params.write_access = SEC_OPEN;` on the struct given the write property (a user description
 * descriptor's own `write_access` is another struct).
 */
function openWriteAccess(ctx: RuleContext, fn: FunctionDef, segment: Span, structs: Set<string>, out: BleFinding[]): void {
  for (const b of ctx.model.bindings) {
    if (b.name !== 'write_access' || !inSegment(b, fn, segment)) continue;
    const target = b.target.replace(/\s+/g, '');
    if (!structs.has(target.slice(0, target.lastIndexOf('.')))) continue;
    const open = identifierTokens(b.value, ['SEC_OPEN'])[0];
    if (!open) continue;
    out.push({
      span: open.span,
      message: `This writable characteristic is added with write_access = SEC_OPEN, which needs neither encryption nor authentication: ${WRITE_RISK}. Use SEC_MITM (or SEC_SIGNED_MITM) and check the command in the write handler.`,
      fix: replaceFix('Require an authenticated link (SEC_MITM)', open.span, 'SEC_MITM', 'suggestion'),
    });
  }
}

/**
 * SoftDevice API: `BLE_GAP_CONN_SEC_MODE_SET_OPEN(&attr_md.write_perm)` for the attribute metadata the value is
 * added with. The CCCD's own metadata (`char_md.p_cccd_md = &cccd_md`) is open on purpose: every subscriber writes it.
 */
function openWritePerm(ctx: RuleContext, fn: FunctionDef, segment: Span, out: BleFinding[]): void {
  const cccd = new Set(
    ctx.model.bindings.filter((b) => b.fn === fn && b.name === 'p_cccd_md').map((b) => b.value.text.replace(/^\s*&\s*/, '').trim()),
  );
  for (const call of fn.calls) {
    if (call.name !== 'BLE_GAP_CONN_SEC_MODE_SET_OPEN' || !inSegment(call, fn, segment)) continue;
    const m = /^\s*&\s*([\w.[\]]+)\.write_perm\s*$/.exec(call.args[0]?.text ?? '');
    if (!m || cccd.has(m[1])) continue;
    out.push({
      span: call.calleeSpan,
      message: `BLE_GAP_CONN_SEC_MODE_SET_OPEN on ${m[1]}.write_perm lets this writable characteristic be written without encryption or authentication: ${WRITE_RISK}. Use BLE_GAP_CONN_SEC_MODE_SET_ENC_WITH_MITM (or _LESC_ENC_WITH_MITM) and check the command in the write handler.`,
      fix: replaceFix(
        'Require an encrypted, MITM-protected link (BLE_GAP_CONN_SEC_MODE_SET_ENC_WITH_MITM)',
        call.calleeSpan,
        'BLE_GAP_CONN_SEC_MODE_SET_ENC_WITH_MITM',
        'suggestion',
      ),
    });
  }
}

/**
 * The SDK's Nordic UART Service (`ble_nus_init`) adds its RX characteristic with `write_access = SEC_OPEN` and
 * offers no setting to change it; the application receives what any central writes as `BLE_NUS_EVT_RX_DATA`.
 * Reported when this file takes that data (`rx_data`); a firmware that only sends over NUS ignores what is written.
 * Medium confidence: a project may ship its own edited copy of ble_nus.c.
 */
function nusReceiver(ctx: RuleContext, out: BleFinding[]): void {
  const text = ctx.text.content;
  if (!text.includes('BLE_NUS_EVT_RX_DATA') && !/\brx_data\s*\.\s*p_data\b/.test(text)) return;
  for (const call of ctx.model.calls) {
    if (call.name !== 'ble_nus_init') continue;
    out.push({
      span: call.calleeSpan,
      message: `The nRF5 SDK's Nordic UART Service adds its RX characteristic with write_access = SEC_OPEN, and this firmware takes what is written to it (BLE_NUS_EVT_RX_DATA): ${WRITE_RISK}. Raise the RX characteristic's write_access to SEC_MITM in the project's copy of ble_nus.c, pair with MITM protection, and authenticate each command.`,
      confidence: 'medium',
    });
  }
}
