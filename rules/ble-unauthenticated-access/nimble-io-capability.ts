/**
 * ble-unauthenticated-access, NimBLE pairing: the device declares it has no display and no keypad
 * (`ble_hs_cfg.sm_io_cap = BLE_SM_IO_CAP_NO_IO` in NimBLE C, `NimBLEDevice::setSecurityIOCap(BLE_HS_IO_NO_INPUT_OUTPUT)`
 * in NimBLE-Arduino) while it asks for bonding, MITM protection or Secure Connections. With NO_IO on one side the
 * Security Manager can only run Just Works, so the bond it stores is unauthenticated: the pairing the device relies on
 * cannot tell the clinician's phone from an attacker's. A device that never asks for pairing is left to the
 * characteristic checks; the Bluedroid counterpart (ESP_IO_CAP_NONE) is in detect.ts.
 *
 * The capability and the pairing request are often the project's configuration rather than literals: ESP-IDF's
 * NimBLE examples write `sm_io_cap = CONFIG_EXAMPLE_IO_TYPE` (a Kconfig `int` whose default is 3, NO_IO) and set
 * `sm_bonding = 1` under `#ifdef CONFIG_EXAMPLE_BONDING`; these findings hold when the project's Kconfig files and
 * configuration files give those values (a whole-project scan decides). NimBLE-Arduino's `NimBLEDevice::init()`
 * sets `sm_io_cap = BLE_HS_IO_NO_INPUT_OUTPUT` (NimBLEDevice.cpp, 1.x and 2.x), so a sketch that asks for pairing
 * and never calls `setSecurityIOCap()` anywhere in the project pairs by Just Works too.
 */
import type { Binding, Call, Directive } from '../../server/src/core/model/types';
import type { ProjectCondition, RuleContext, Span } from '../../server/src/core/types';
import { identifierTokens } from '../_shared/syntax';
import { symbolOn } from '../_shared/kconfig/facts';
import { symbolValue } from '../_shared/kconfig/values';
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

/** NimBLE's NO_IO capability as a number (`BLE_HS_IO_NO_INPUT_OUTPUT` is 3), as a Kconfig `int` gives it. */
const NO_IO_VALUE = 3;
/** Provided by a file that declares a capability other than NO_IO with `setSecurityIOCap()`. */
export const IO_CAP_DECLARED = 'nimble-io-capability-declared';

/** The Kconfig symbol a preprocessor condition tests, when it tests just one: `CONFIG_X`, `defined(CONFIG_X)`. */
function configSymbolTested(d: Directive): string | undefined {
  if (d.kind !== '#ifdef' && d.kind !== '#if') return undefined;
  const m = /^(?:defined\s*\(\s*CONFIG_(\w+)\s*\)|(?:defined\s+)?CONFIG_(\w+))$/.exec(d.condition.trim());
  return m ? (m[1] ?? m[2]) : undefined;
}

/**
 * The Kconfig symbol that must be on for this statement to be compiled: the innermost `#ifdef CONFIG_X` / `#if
 * CONFIG_X` around it inside its function. `undefined` when nothing of the kind guards it (an `#else` branch, a
 * macro that is not a Kconfig symbol): the statement is then taken as compiled, as a reader would.
 */
function guardingSymbol(directives: readonly Directive[], b: Binding): string | undefined {
  let innermost: Directive | undefined;
  for (const d of directives) {
    if (d.kind === '#error' || d.start > b.start || d.end < b.end) continue;
    if (b.fn && d.start < b.fn.start) continue;
    if (!innermost || d.start >= innermost.start) innermost = d;
  }
  return innermost ? configSymbolTested(innermost) : undefined;
}

/**
 * Whether the function that sets the capability asks for pairing (`ble_hs_cfg.sm_bonding = 1;`, or `sm_mitm`,
 * `sm_sc`), and on what: `[]` unconditionally, a condition when every such statement sits under `#ifdef CONFIG_X`
 * (one of those symbols on in the project), `undefined` when it does not ask.
 */
function cPairingRequested(ctx: RuleContext, ioCap: Binding): ProjectCondition[] | undefined {
  const requests = ctx.model.bindings.filter((b) => b.fn === ioCap.fn && PAIRING_FIELDS.has(b.name) && ON.test(b.value.text));
  if (!requests.length) return undefined;
  const guards = requests.map((b) => guardingSymbol(ctx.model.directives, b));
  if (guards.some((g) => g === undefined)) return [];
  return [symbolOn(new Set(guards as string[]))];
}

/** `NimBLEDevice::setSecurityAuth(true, false, false)` or `setSecurityAuth(BLE_SM_PAIR_AUTHREQ_BOND)`. */
function asksForPairing(c: Call): boolean {
  if (c.name !== 'setSecurityAuth') return false;
  if (c.args.length === 1) return identifierTokens(c.args[0], AUTHREQ_FLAGS).length > 0;
  return c.args.some((arg) => ON.test(arg.text));
}

const JUST_WORKS = `NimBLE can then only pair by Just Works, whose bond is unauthenticated, so ${NO_MITM}`;
const DECLARE =
  'Declare the display or keypad the device has (BLE_HS_IO_DISPLAY_ONLY with a random passkey, BLE_HS_IO_DISPLAY_YESNO for numeric comparison), or use out-of-band pairing.';

function report(out: BleFinding[], span: Span, what: string, when: ProjectCondition[] = []): void {
  out.push({
    span,
    message: `${what} declares no display and no keypad while this device asks for pairing (bonding, MITM protection or Secure Connections): ${JUST_WORKS}. ${DECLARE}`,
    confidence: 'medium',
    ...(when.length ? { when } : {}),
  });
}

/** `ble_hs_cfg.sm_io_cap = BLE_SM_IO_CAP_NO_IO;` or `= CONFIG_X;` where the project gives X the value 3. */
function hostConfigNoIo(ctx: RuleContext, out: BleFinding[]): void {
  for (const b of ctx.model.bindings) {
    if (b.name !== 'sm_io_cap' || !HOST_CONFIG.test(b.target.replace(/\s+/g, ''))) continue;
    const pairing = cPairingRequested(ctx, b);
    if (!pairing) continue;
    for (const token of identifierTokens(b.value, NO_IO)) report(out, token.span, token.name, pairing);
    const symbol = /^\s*CONFIG_([A-Za-z0-9_]+)\s*$/.exec(b.value.text)?.[1];
    if (!symbol) continue;
    const what = `CONFIG_${symbol}, which this project's Kconfig and configuration files set to ${NO_IO_VALUE} (NO_IO),`;
    report(out, b.value, what, [symbolValue(symbol, [NO_IO_VALUE]), ...pairing]);
  }
}

/**
 * NimBLE-Arduino: `setSecurityIOCap(BLE_HS_IO_NO_INPUT_OUTPUT)` in a file that asks for pairing; or a call that asks
 * for pairing when no `setSecurityIOCap()` of the project declares another capability (the library's default is NO_IO).
 */
function arduinoNoIo(ctx: RuleContext, out: BleFinding[]): void {
  const setters = ctx.model.calls.filter((c) => c.name === 'setSecurityIOCap' && c.args[0]);
  const declared = setters.filter((c) => !identifierTokens(c.args[0], NO_IO).length);
  if (declared.length) ctx.provide(IO_CAP_DECLARED, ['yes']);
  const requests = ctx.model.calls.filter((c) => asksForPairing(c) && isNimbleDevice(c));
  if (!requests.length) return;
  for (const c of setters) for (const token of identifierTokens(c.args[0], NO_IO)) report(out, token.span, token.name);
  if (setters.length) return;
  for (const c of requests) {
    out.push({
      span: c.calleeSpan,
      message: `This asks for pairing (bonding, MITM protection or Secure Connections) but nothing sets the I/O capability, and NimBLE-Arduino's default is BLE_HS_IO_NO_INPUT_OUTPUT (no display, no keypad): ${JUST_WORKS}. Call NimBLEDevice::setSecurityIOCap() with the display or keypad the device has (BLE_HS_IO_DISPLAY_ONLY with a random passkey, BLE_HS_IO_DISPLAY_YESNO for numeric comparison), or use out-of-band pairing.`,
      confidence: 'medium',
      unless: { fact: IO_CAP_DECLARED, anyOf: ['yes'] },
    });
  }
}

/** `NimBLEDevice::setSecurityAuth(...)`, or the call on a `NimBLEDevice` object (the library's static members). */
function isNimbleDevice(c: Call): boolean {
  return /(?:^|::|\.)NimBLEDevice(?:::|\.)setSecurityAuth$/.test(c.callee) || /NimBLEDevice/.test(c.receiver?.text ?? '');
}

export function nimbleNoIoPairing(ctx: RuleContext, out: BleFinding[]): void {
  const text = ctx.text.content;
  if (text.includes('sm_io_cap')) hostConfigNoIo(ctx, out);
  if (text.includes('setSecurity')) arduinoNoIo(ctx, out);
}
