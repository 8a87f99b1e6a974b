/**
 * ble-unauthenticated-access, NXP connectivity framework (the BLE host of Kinetis KW, MCX W and QN9080 parts):
 * characteristic values declared writable with no write-security flag in the static GATT database.
 *
 * The database is a header of X-macros (`gatt_db.h`) that the SDK includes several times to build the attribute
 * table: `VALUE(name, uuid, permissions, length, …)` and its `_VARLEN`, `_UUID32`, `_UUID128` variants, the third
 * argument the value's access permissions. The host's GATT server checks a write against them alone:
 * `gPermissionFlagWritable_c` on its own lets any peer write over an unencrypted, unpaired link;
 * `gPermissionFlagWriteWithEncryption_c`, `…WithAuthentication_c` or `…WithAuthorization_c` beside it make the server
 * hold the write to the link's security (the service's security requirements) or to the application's authorization.
 * Descriptors are left out: the CCCD has its own macro (`CCCD(name)`), and every subscriber writes it.
 */
import type { RuleContext, Span } from '../../server/src/core/types';
import { replaceFix } from '../_shared/syntax';
import type { BleFinding } from './detect';
import { WRITE_RISK } from './risks';

/** The value macros of the GATT database; the permissions are their third argument. */
const VALUE_MACRO = /\bVALUE(?:_UUID(?:32|128))?(?:_VARLEN)?\s*\(/g;
const PERMISSIONS_ARG = 2;
const OPEN_WRITE = /\bgPermissionFlagWritable_c\b/;
const WRITE_SECURITY = /\bgPermissionFlagWriteWith(?:Encryption|Authentication|Authorization)_c\b/;

export function nxpGattDatabase(ctx: RuleContext, out: BleFinding[]): void {
  const text = ctx.text.content;
  if (!text.includes('gPermissionFlagWritable_c')) return;
  const comments = ctx.model.comments;
  for (const m of text.matchAll(VALUE_MACRO)) {
    const at = m.index ?? 0;
    if (comments.some((c) => c.start <= at && at < c.end)) continue;
    const permissions = macroArguments(text, at + m[0].length)[PERMISSIONS_ARG];
    if (!permissions) continue;
    const written = text.slice(permissions.start, permissions.end);
    const open = OPEN_WRITE.exec(written);
    if (!open || WRITE_SECURITY.test(written)) continue;
    const span = { start: permissions.start + open.index, end: permissions.start + open.index + open[0].length };
    out.push({
      span,
      message: `This characteristic value is declared in the GATT database with gPermissionFlagWritable_c and no write-security flag, so the NXP BLE host accepts a write from any peer over an unencrypted, unpaired link: ${WRITE_RISK}. Add gPermissionFlagWriteWithAuthentication_c (with pairing and MITM protection on) and check the command in the write handler.`,
      fix: replaceFix(
        'Require an authenticated link (gPermissionFlagWriteWithAuthentication_c)',
        span,
        'gPermissionFlagWritable_c | gPermissionFlagWriteWithAuthentication_c',
        'suggestion',
      ),
    });
  }
}

/**
 * The top-level arguments of a macro call whose `(` ends just before `from`: split at commas outside nested
 * parentheses and string or character literals, up to the matching `)`. Empty when the call is not closed.
 */
function macroArguments(text: string, from: number): Span[] {
  const args: Span[] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      i = literalEnd(text, i);
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') {
      if (depth === 0) {
        args.push({ start, end: i });
        return args;
      }
      depth--;
    } else if (ch === ',' && depth === 0) {
      args.push({ start, end: i });
      start = i + 1;
    }
  }
  return [];
}

/** The index of the quote that closes the literal opened at `open` (or the end of the line when it is not closed). */
function literalEnd(text: string, open: number): number {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote || text[i] === '\n') return i;
  }
  return text.length;
}
