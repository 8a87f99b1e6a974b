/**
 * ble-unauthenticated-access, NimBLE pairing: the device declares it has no display and no keypad
 * (`ble_hs_cfg.sm_io_cap = BLE_SM_IO_CAP_NO_IO` in NimBLE C, `NimBLEDevice::setSecurityIOCap(BLE_HS_IO_NO_INPUT_OUTPUT)`
 * in NimBLE-Arduino) while it asks for bonding, MITM protection or Secure Connections. With NO_IO on one side the
 * Security Manager can only run Just Works, so the bond it stores is unauthenticated: the pairing the device relies on
 * cannot tell the clinician's phone from an attacker's. A device that never asks for pairing is left to the
 * characteristic checks; the Bluedroid counterpart (ESP_IO_CAP_NONE) is in detect.ts.
 */
import type { Binding, Call } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { identifierTokens } from '../_shared/syntax';
import type { BleFinding } from './detect';
import { NO_MITM } from './risks';

/** NimBLE's "no input, no output" capability, by its Security Manager and its host name (both 0x03). */
const NO_IO = ['BLE_SM_IO_CAP_NO_IO', 'BLE_HS_IO_NO_INPUT_OUTPUT'];
/** `ble_hs_cfg` fields that ask for pairing. */
const PAIRING_FIELDS = new Set(['sm_bonding', 'sm_mitm', 'sm_sc']);
/** The pairing request flags NimBLE-Arduino's one-argument `setSecurityAuth(flags)` takes. */
const AUTHREQ_FLAGS = ['BLE_SM_PAIR_AUTHREQ_BOND', 'BLE_SM_PAIR_AUTHREQ_MITM', 'BLE_SM_PAIR_AUTHREQ_SC'];
/** A C or C++ literal that turns a flag off. */
const OFF = /^\s*(?:0|false|0x0+)\s*$/i;

/** `ble_hs_cfg.sm_bonding = 1;` (or `sm_mitm`, `sm_sc`) anywhere in the file. */
function cPairingRequested(bindings: readonly Binding[]): boolean {
  return bindings.some((b) => PAIRING_FIELDS.has(b.name) && !OFF.test(b.value.text));
}

/** `NimBLEDevice::setSecurityAuth(true, false, false)` or `setSecurityAuth(BLE_SM_PAIR_AUTHREQ_BOND)`. */
function arduinoPairingRequested(calls: readonly Call[]): boolean {
  return calls.some((c) => {
    if (c.name !== 'setSecurityAuth') return false;
    if (c.args.length === 1) return identifierTokens(c.args[0], AUTHREQ_FLAGS).length > 0;
    return c.args.some((arg) => !OFF.test(arg.text));
  });
}

function report(out: BleFinding[], token: { name: string; span: BleFinding['span'] }): void {
  out.push({
    span: token.span,
    message: `${token.name} declares no display and no keypad while this device asks for pairing (bonding, MITM protection or Secure Connections): NimBLE can then only pair by Just Works, whose bond is unauthenticated, so ${NO_MITM}. Declare the display or keypad the device has (BLE_HS_IO_DISPLAY_ONLY with a random passkey, BLE_HS_IO_DISPLAY_YESNO for numeric comparison), or use out-of-band pairing.`,
    confidence: 'medium',
  });
}

export function nimbleNoIoPairing(ctx: RuleContext, out: BleFinding[]): void {
  const text = ctx.text.content;
  if (!NO_IO.some((name) => text.includes(name))) return;
  const ioCaps = ctx.model.bindings.filter((b) => b.name === 'sm_io_cap');
  if (ioCaps.length && cPairingRequested(ctx.model.bindings)) {
    for (const b of ioCaps) for (const token of identifierTokens(b.value, NO_IO)) report(out, token);
  }
  const setters = ctx.model.calls.filter((c) => c.name === 'setSecurityIOCap' && c.args[0]);
  if (setters.length && arduinoPairingRequested(ctx.model.calls)) {
    for (const c of setters) for (const token of identifierTokens(c.args[0], NO_IO)) report(out, token);
  }
}
