/**
 * ble-unauthenticated-access: a pairing confirmation answered "yes" by the firmware itself, for the stacks other than
 * Zephyr (zephyr-auto-confirm.ts): ESP-IDF Bluedroid (`esp_ble_confirm_reply`, and Classic `esp_bt_gap_ssp_confirm_reply`),
 * NimBLE (`numcmp_accept = 1` injected with `ble_sm_inject_io`), the Arduino BLE libraries (`onConfirmPIN` returning
 * true, NimBLE-Arduino 2's `injectConfirmPasskey(..., true)`) and TI Bluetopia (`Confirmation = TRUE` for
 * `atUserConfirmationRequest`).
 *
 * The stack asks the application to confirm when numeric comparison (or, on Bluetooth Classic, Just Works) is under way:
 * the yes is meant to be the user's, after comparing the number on both screens. A literal yes given in the handler,
 * under no condition other than which event or action it is, accepts whoever is pairing, while the bond is recorded as
 * authenticated when the device claims it can compare. A yes that depends on anything else (a button, a value the user
 * typed, a check) is the application's answer and is not reported, nor is a literal no.
 */
import type { Node } from 'web-tree-sitter';
import type { Binding, Call, Expr, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';
import type { BleFinding } from './detect';
import { NO_MITM } from './risks';
import { pushAll } from '../../server/src/core/arrays';

/** A literal "yes" as C, C++ and the Bluetopia headers write it. */
const YES = /^\s*(?:true|TRUE|1|1U)\s*$/;

/**
 * What a condition may test and still leave the yes unconditional: which event, action or pairing method the stack is
 * reporting, or the device's own I/O capability. Each entry is the stack's own constant vocabulary (Bluetopia's event
 * and authentication types are `etAuthentication`, `atUserConfirmationRequest`).
 */
const DISPATCH = {
  esp: /\bESP_(?:GAP_BLE|BT_GAP)_\w+_EVT\b/,
  nimble: /\bBLE_(?:SM_IOACT|GAP_EVENT)_\w+\b/,
  bluetopia: /\b[ae]t[A-Z]\w+\b|\bic(?:DisplayOnly|DisplayYesNo|KeyboardOnly|NoInputNoOutput)\b/,
  none: /$^/,
};
type Stack = keyof typeof DISPATCH;

interface ConfirmSite {
  span: Span;
  stack: Stack;
  /** The API that was answered, for the message. */
  api: string;
}

export function autoConfirmPairing(ctx: RuleContext, out: BleFinding[]): void {
  const text = ctx.text.content;
  // A host stack's own tests answer its prompts on purpose; the device's pairing is not decided there.
  if (!ctx.tree || ctx.inTestCode || !/confirm_reply|numcmp_accept|Authentication_Data|onConfirmPIN|injectConfirmPasskey/.test(text))
    return;
  for (const site of confirmSites(ctx)) {
    if (isGated(ctx, site)) continue;
    out.push({
      span: site.span,
      message: `${site.api} answers the pairing confirmation with a literal yes, under no condition but which event it is: the number is never compared by a user, so anyone in radio range who starts pairing is accepted (as authenticated, where the device declared it can compare), and ${NO_MITM}. Show the number and confirm only on the user's answer (a button or prompt), refuse otherwise, or declare no display/yes-no capability on a device that has none.`,
    });
  }
}

function confirmSites(ctx: RuleContext): ConfirmSite[] {
  const sites: ConfirmSite[] = [];
  for (const call of ctx.model.calls) {
    const site = callSite(call);
    if (site) sites.push(site);
  }
  for (const b of ctx.model.bindings) {
    const site = bindingSite(b);
    if (site) sites.push(site);
  }
  pushAll(sites, arduinoConfirmPin(ctx));
  return sites.filter((s) => !pairsWithoutIo(ctx, s.stack));
}

/** `esp_ble_confirm_reply(addr, true)`, `esp_bt_gap_ssp_confirm_reply(addr, true)`, `injectConfirmPasskey(info, true)`. */
function callSite(call: Call): ConfirmSite | undefined {
  const stack: Stack | undefined =
    call.name === 'esp_ble_confirm_reply' || call.name === 'esp_bt_gap_ssp_confirm_reply'
      ? 'esp'
      : call.name === 'injectConfirmPasskey'
        ? 'none'
        : undefined;
  const answer = call.args[1];
  if (!stack || !answer || !YES.test(answer.text)) return undefined;
  return { span: call.calleeSpan, stack, api: `${call.name}()` };
}

/** NimBLE `pkey.numcmp_accept = 1` (or `.numcmp_accept = 1` in an initializer); Bluetopia `...Authentication_Data.Confirmation = TRUE`. */
function bindingSite(b: Binding): ConfirmSite | undefined {
  if (!YES.test(b.value.text)) return undefined;
  const target = b.target.replace(/\s+/g, '');
  if (b.name === 'numcmp_accept') return { span: b, stack: 'nimble', api: 'numcmp_accept = 1 (ble_sm_inject_io)' };
  if (b.name === 'Confirmation' && /Authentication_Data\.Confirmation$/.test(target))
    return { span: b, stack: 'bluetopia', api: 'GAP_Authentication_Response() with Confirmation = TRUE' };
  return undefined;
}

/**
 * ESP32 BLE and NimBLE-Arduino (1.x): the security or server callbacks' `onConfirmPIN(pass_key)` is the numeric
 * comparison, answered by its return value. Only a method of a class that derives from the library's callbacks, whose
 * every return is a literal true, is a site.
 */
function arduinoConfirmPin(ctx: RuleContext): ConfirmSite[] {
  if (ctx.language !== 'cpp') return [];
  const sites: ConfirmSite[] = [];
  for (const cls of ctx.model.classes) {
    if (!cls.supertypes.some((s) => /Callbacks$/.test(s.replace(/^.*::/, '')))) continue;
    for (const method of cls.methods) {
      if (method.name !== 'onConfirmPIN') continue;
      const yes = alwaysReturnsYes(method);
      if (yes) sites.push({ span: yes, stack: 'none', api: 'onConfirmPIN() returning true' });
    }
  }
  return sites;
}

function alwaysReturnsYes(fn: FunctionDef): Expr | undefined {
  const returns = fn.returns;
  if (!returns.length || !returns.every((r) => YES.test(r.text))) return undefined;
  return returns[0];
}

/**
 * Whether the file declares an I/O capability with no display and no input, under which the stack never asks for a
 * comparison (Just Works): the confirmation handler is then dead code, and the capability itself is reported
 * (nimble-io-capability.ts, the ESP_IO_CAP_NONE check in detect.ts).
 */
function pairsWithoutIo(ctx: RuleContext, stack: Stack): boolean {
  const names = stack === 'esp' ? ['ESP_IO_CAP_NONE'] : stack === 'nimble' ? ['BLE_SM_IO_CAP_NO_IO', 'BLE_HS_IO_NO_INPUT_OUTPUT'] : [];
  if (!names.length) return false;
  return ctx.model.bindings.some((b) => names.includes(b.value.text.trim()));
}

/** Node types whose condition decides whether their body runs, and the field that holds it. */
const CONDITION_FIELD: Record<string, string> = {
  if_statement: 'condition',
  while_statement: 'condition',
  for_statement: 'condition',
  do_statement: 'condition',
  conditional_expression: 'condition',
  case_statement: 'value',
};
const FUNCTION_TYPES = new Set(['function_definition', 'lambda_expression']);

/**
 * Whether something other than the event decides the yes: a condition around it that tests anything else (a switch
 * `default:` included), or a branch on anything else between the innermost event test (or the function's start) and
 * the yes (`if (!user_ok) return;`).
 */
function isGated(ctx: RuleContext, site: ConfirmSite): boolean {
  const vocabulary = DISPATCH[site.stack];
  const params = ctx.flow.functionAt(site.span.start)?.params ?? [];
  let from: number | undefined;
  let node: Node | null = ctx.tree!.rootNode.descendantForIndex(site.span.start, site.span.end);
  for (; node && !FUNCTION_TYPES.has(node.type); node = node.parent) {
    const field = CONDITION_FIELD[node.type];
    if (!field) continue;
    const condition = node.childForFieldName(field);
    // The yes is in the condition itself (`if (esp_ble_confirm_reply(addr, true) != ESP_OK)`): it runs either way.
    if (condition && condition.startIndex <= site.span.start && site.span.end <= condition.endIndex) continue;
    if (!condition || !isDispatch(condition.text, vocabulary, params)) return true;
    from ??= condition.endIndex;
  }
  const body = node?.childForFieldName('body');
  if (!node || !body) return true;
  return branchesBefore(body, from ?? body.startIndex, site.span.start, (c) => isDispatch(c, vocabulary, params));
}

/** Whether a condition (if, loop, switch case, `?:`) on anything but the event starts in [from, to) under `node`. */
function branchesBefore(node: Node, from: number, to: number, dispatch: (condition: string) => boolean): boolean {
  for (const child of node.children) {
    if (!child || child.endIndex <= from || child.startIndex >= to) continue;
    const field = CONDITION_FIELD[child.type];
    const condition = field ? child.childForFieldName(field) : null;
    if (field && child.startIndex >= from && (!condition || !dispatch(condition.text))) return true;
    if (branchesBefore(child, from, to, dispatch)) return true;
  }
  return false;
}

/**
 * A condition made only of tests of the stack's event, action or capability constants (`a == X && b == Y`), or of the
 * handler's own parameters (`if (BluetoothStackID && GAP_Event_Data)`): what the stack delivered, never the user's answer.
 */
function isDispatch(condition: string, vocabulary: RegExp, params: readonly string[]): boolean {
  return condition.split(/&&|\|\|/).every((operand) => vocabulary.test(operand) || testsOnly(operand, params));
}

/** Whether every name an operand reads is one of `params` (fields of them aside), with no call. */
function testsOnly(operand: string, params: readonly string[]): boolean {
  if (/\w\s*\(/.test(operand.replace(/\bsizeof\s*\(/g, ''))) return false;
  const roots = [...operand.matchAll(/(?<![.>\w])[A-Za-z_]\w*/g)].map((m) => m[0]);
  return roots.length > 0 && roots.every((name) => params.includes(name) || name === 'NULL' || name === 'nullptr');
}
