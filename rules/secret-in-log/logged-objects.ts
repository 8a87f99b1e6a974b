/**
 * A logged variable that holds an object or dict built with a credential among its entries: `payload = { ...flow,
 * username, password: opts.carelinkPassword }` then `console.log('SUBMITTING LOGIN', payload)`, or
 * `data = {'j_password': password}` then `log.debug('login %s', data)`. The log prints the whole object, secret
 * included. The entry's key says what it holds, as a storage key does, or the value's own name does; only an unambiguous
 * credential or key name counts (`password`, `apiSecret`, `refresh_token`; never `token` or `key` alone), and only a value the program
 * receives (a literal is hardcoded-credential's finding, an empty or masked one is no secret).
 */
import type { Expr } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { perModel } from '../_shared/per-file';
import { classifySensitiveName, type SensitiveReference } from '../_shared/secret-references';

const LITERAL_KINDS = new Set(['string', 'number', 'boolean', 'null']);

export function credentialInLoggedObject(ctx: RuleContext, arg: Expr): { reference: SensitiveReference; entry: string } | undefined {
  // Java has no object or dict literal (its model has no key/value initializer), so no origin can be one: asking
  // the flow for the origins of every name every log call prints was a third of this rule's time on an Android app.
  if (arg.kind !== 'name' || ctx.language === 'java') return undefined;
  // Nor can an origin be one when no object literal of the file holds a credential entry: most C files log
  // dozens of names and have none, and the flow's origins of each were half this rule's time on a firmware SDK.
  if (!hasCredentialEntry(ctx.model)) return undefined;
  for (const origin of ctx.flow.origins(arg)) {
    if (origin.kind !== 'literal' || origin.expr.kind !== 'object') continue;
    for (const entry of origin.expr.entries ?? []) {
      const reference = credentialEntry(entry.key, entry.value);
      if (reference) return { reference: { ...reference, name: arg.text }, entry: entry.key };
    }
  }
  return undefined;
}

/**
 * The credential an object entry holds: its key names what it holds (`password:`), or the value's own name does
 * (`bearer: auth.accessToken`); a literal value is no received secret.
 */
function credentialEntry(key: string, value: Expr): SensitiveReference | undefined {
  if (LITERAL_KINDS.has(value.kind)) return undefined;
  const reference =
    classifySensitiveName(key.replace(/[^\w]/g, '_')) ??
    (value.kind === 'name' ? classifySensitiveName(value.value ?? value.text) : undefined);
  return reference && !reference.bare && reference.kind !== 'patient' ? reference : undefined;
}

/**
 * Whether any object literal entry of the file holds a credential. Every entry of an object literal is also one
 * of the model's `property` bindings (same key, same value expression), so the bindings answer without a walk.
 */
const hasCredentialEntry = perModel('medsec.hasCredentialEntry', (model) =>
  model.bindings.some((b) => b.kind === 'property' && credentialEntry(b.target, b.value) !== undefined),
);
