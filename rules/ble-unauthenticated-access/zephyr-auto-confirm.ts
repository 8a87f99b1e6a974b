/**
 * ble-unauthenticated-access, Zephyr: a numeric-comparison callback that accepts every pairing.
 *
 * Registering `bt_conn_auth_cb.passkey_confirm` tells the peer this device can show a number and take a yes or no
 * (DisplayYesNo), so LE Secure Connections pairs with numeric comparison and records the bond as authenticated
 * (MITM-protected). The comparison protects only when the user sees both numbers and answers: a callback that calls
 * `bt_conn_auth_passkey_confirm()` straight away, on no condition, accepts whoever is pairing, while the link and every
 * `_AUTHEN` permission treat the stranger as authenticated. A confirmation given later (a button handler, after a
 * semaphore or a check) is the user's answer and is not reported.
 */
import type { FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import type { BleFinding } from './detect';
import { NO_MITM } from './risks';

/** A token that makes what follows it conditional, or repeats it. */
const BRANCH = /\b(?:if|switch|while|for|do)\b|\?/;

export function zephyrAutoConfirm(ctx: RuleContext, out: BleFinding[]): void {
  if (!ctx.text.content.includes('bt_conn_auth_passkey_confirm')) return;
  const callbacks = new Set(
    ctx.model.bindings.filter((b) => b.name === 'passkey_confirm' && b.value.kind === 'name').map((b) => b.value.text.trim()),
  );
  for (const fn of ctx.model.functions) {
    if (!callbacks.has(fn.name) || !fn.body) continue;
    const confirm = fn.calls.find((c) => c.name === 'bt_conn_auth_passkey_confirm');
    if (!confirm || fn.calls.some((c) => c.name === 'bt_conn_auth_cancel')) continue;
    if (BRANCH.test(codeBefore(ctx, fn, confirm.start))) continue;
    out.push({
      span: confirm.calleeSpan,
      message: `${fn.name}() is the numeric-comparison callback (passkey_confirm) and confirms every pairing at once, without showing the number or asking the user: the peer is told this device can compare numbers, so the bond is recorded as authenticated, yet anyone in range who starts pairing gets it, and ${NO_MITM}. Show the passkey and call bt_conn_auth_passkey_confirm() only when the user accepts (bt_conn_auth_cancel() otherwise), or register no passkey_confirm on a device that cannot show one.`,
    });
  }
}

/** The text of `fn`'s body before `offset`, with its comments left out. */
function codeBefore(ctx: RuleContext, fn: FunctionDef, offset: number): string {
  const start = fn.body?.start ?? fn.start;
  let code = '';
  let at = start;
  for (const c of ctx.model.comments) {
    if (c.end <= start || c.start >= offset) continue;
    code += ctx.text.content.slice(at, Math.max(at, c.start));
    at = Math.max(at, c.end);
  }
  return code + ctx.text.content.slice(at, offset);
}
