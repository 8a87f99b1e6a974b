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
/**
 * A C or C++ literal that turns a flag on. A value computed from a setting (`pol.bonding ? 1 : 0`) says nothing
 * about what the product does: a library that maps its caller's policy onto NimBLE is not the product's choice.
 */
const ON = /^\s*(?:1|true|0x0*1)\s*$/i;

/** The NimBLE host configuration, whose `sm_io_cap` the Security Manager reads (not a project's own policy struct). */
const HOST_CONFIG = /^(?:ble_hs_cfg\.)?sm_io_cap$/;

/** `ble_hs_cfg.sm_bonding = 1;` (or `sm_mitm`, `sm_sc`) in the function that sets the capability. */
function cPairingRequested(bindings: readonly Binding[], ioCap: Binding): boolean {
  return bindings.some((b) => b.fn === ioCap.fn && PAIRING_FIELDS.has(b.name) && ON.test(b.value.text));
}

/** `NimBLEDevice::setSecurityAuth(true, false, false)` or `setSecurityAuth(BLE_SM_PAIR_AUTHREQ_BOND)`. */
function arduinoPairingRequested(calls: readonly Call[]): boolean {
  return calls.some((c) => {
    if (c.name !== 'setSecurityAuth') return false;
    if (c.args.length === 1) return identifierTokens(c.args[0], AUTHREQ_FLAGS).length > 0;
    return c.args.some((arg) => ON.test(arg.text));
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
  for (const b of ctx.model.bindings) {
    if (b.name !== 'sm_io_cap' || !HOST_CONFIG.test(b.target.replace(/\s+/g, ''))) continue;
    if (!cPairingRequested(ctx.model.bindings, b)) continue;
    for (const token of identifierTokens(b.value, NO_IO)) report(out, token);
  }
  const setters = ctx.model.calls.filter((c) => c.name === 'setSecurityIOCap' && c.args[0]);
  if (setters.length && arduinoPairingRequested(ctx.model.calls)) {
    for (const c of setters) for (const token of identifierTokens(c.args[0], NO_IO)) report(out, token);
  }
}
