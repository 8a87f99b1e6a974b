/**
 * A random value used as a bearer code by what the code does with it: the server stores something under it
 * (`db[code] = creds`, `pending.set(code, device)`) and finds it again by a value taken from a request
 * (`res.send(db[req.query.code])`). Whoever presents the value gets what is stored, so it is an enrolment, claim
 * or one-time code whatever it is called (`numCode`), and a guessable one hands the stored data to anyone who
 * tries the few numbers a non-cryptographic PRNG makes.
 */
import type { ValueFlow } from '../../server/src/core/flow/value-flow';
import type { Call, CodeModel, Expr } from '../../server/src/core/model/types';
import { bindingTargetsAround } from '../_shared/values';

/** `db[numCode]`, `this.pending[code]`: a collection indexed by one name. */
const SUBSCRIPT = /^([A-Za-z_$][\w$.]*)\s*\[\s*([A-Za-z_$][\w$]*)\s*\]$/;
const MAP_WRITES = new Set(['set', 'put', 'setItem', 'putIfAbsent']);
const MAP_READS = new Set(['get', 'getItem', 'has', 'containsKey', 'remove', 'delete']);

/** The role of the random value when it is such a code (for the message), or undefined. */
export function lookupHandleRole(
  call: Call,
  model: CodeModel,
  content: string,
  flow: ValueFlow,
  namedHarmless: (name: string) => boolean,
): string | undefined {
  const holders = new Set(
    bindingTargetsAround(model, call)
      .filter((b) => b.fn === call.fn && b.kind !== 'property')
      .map((b) => b.target),
  );
  if (!holders.size || [...holders].some(namedHarmless)) return undefined;
  const collections = collectionsKeyedBy(call, model, content, holders);
  for (const collection of collections) {
    if (readWithRequestKey(collection, model, flow))
      return `the code a client presents to get what is stored under it in \`${collection}\``;
  }
  return undefined;
}

/** Collections the function of `call` writes an entry to under one of the names holding the random value. */
function collectionsKeyedBy(call: Call, model: CodeModel, content: string, holders: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  for (const b of model.bindings) {
    if (b.fn !== call.fn || b.start < call.end) continue;
    const m = SUBSCRIPT.exec(content.slice(b.targetSpan.start, b.targetSpan.end).trim());
    if (m && holders.has(m[2])) found.add(m[1]);
  }
  for (const c of model.calls) {
    if (c.fn !== call.fn || c.start < call.end || !MAP_WRITES.has(c.name) || !c.receiver) continue;
    const key = c.args[0];
    if (key?.kind === 'name' && holders.has(key.value ?? key.text)) found.add(c.receiver.text);
  }
  return found;
}

/** Whether the file reads `collection[k]` or `collection.get(k)` with a `k` that comes from a request. */
function readWithRequestKey(collection: string, model: CodeModel, flow: ValueFlow): boolean {
  for (const c of model.calls) {
    if (MAP_READS.has(c.name) && c.receiver?.text === collection && c.args[0] && fromRequest(c.args[0], flow)) return true;
    // `res.send(db[code])`, `res.send(db[code] ?? -1)`: the read as an argument, or an operand of one.
    for (const arg of c.args.flatMap((a) => (a.kind === 'other' ? (a.parts?.() ?? []) : [a]))) {
      const m = arg.kind === 'name' ? SUBSCRIPT.exec(arg.text) : null;
      if (!m || m[1] !== collection) continue;
      const at = arg.start + arg.text.lastIndexOf(m[2]);
      if (fromRequest({ kind: 'name', value: m[2], text: m[2], start: at, end: at + m[2].length }, flow)) return true;
    }
  }
  return false;
}

function fromRequest(expr: Expr, flow: ValueFlow): boolean {
  return flow.origins(expr).some((origin) => origin.kind === 'source' && origin.source === 'input');
}
