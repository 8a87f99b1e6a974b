/**
 * unprotected-update-channel, C sources: an SMP command hook that authorizes mcumgr commands. Zephyr lets an
 * application see every command before mcumgr runs it (`mgmt_callback_register` of a callback for
 * `MGMT_EVT_OP_CMD_RECV`) and refuse it (`return MGMT_CB_ERROR_RC` with `MGMT_ERR_EACCESSDENIED`); a device that
 * checks a session, a pairing state or a signed token there authenticates the channel whatever its transport. Only a
 * hook that can refuse counts: one that returns `MGMT_CB_OK` on every path only watches.
 */
import type { RuleContext } from '../../server/src/core/types';

/** Project fact: a C file of the project registers an SMP command hook that can refuse commands. */
export const SMP_COMMANDS_AUTHORIZED = 'mcumgr-commands-authorized';

export function provideSmpAuthorization(ctx: RuleContext): void {
  const text = ctx.text.content;
  if (!text.includes('MGMT_EVT_OP_CMD_RECV') || !text.includes('mgmt_callback_register')) return;
  if (!ctx.model.calls.some((call) => call.name === 'mgmt_callback_register')) return;
  const refuses = ctx.model.functions.some((fn) => fn.returns.some((r) => r.text === 'MGMT_CB_ERROR_RC'));
  if (refuses) ctx.provide(SMP_COMMANDS_AUTHORIZED, ['yes']);
}
