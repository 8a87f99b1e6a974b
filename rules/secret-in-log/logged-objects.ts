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
import { classifySensitiveName, type SensitiveReference } from '../_shared/secret-references';

const LITERAL_KINDS = new Set(['string', 'number', 'boolean', 'null']);

export function credentialInLoggedObject(ctx: RuleContext, arg: Expr): { reference: SensitiveReference; entry: string } | undefined {
  // Java has no object or dict literal (its model has no key/value initializer), so no origin can be one: asking
  // the flow for the origins of every name every log call prints was a third of this rule's time on an Android app.
  if (arg.kind !== 'name' || ctx.language === 'java') return undefined;
  for (const origin of ctx.flow.origins(arg)) {
    if (origin.kind !== 'literal' || origin.expr.kind !== 'object') continue;
    for (const entry of origin.expr.entries ?? []) {
      if (LITERAL_KINDS.has(entry.value.kind)) continue;
      // The entry's key names what it holds (`password:`), or the value's own name does (`bearer: auth.accessToken`).
      const reference =
        classifySensitiveName(entry.key.replace(/[^\w]/g, '_')) ??
        (entry.value.kind === 'name' ? classifySensitiveName(entry.value.value ?? entry.value.text) : undefined);
      if (reference && !reference.bare && reference.kind !== 'patient')
        return { reference: { ...reference, name: arg.text }, entry: entry.key };
    }
  }
  return undefined;
}
