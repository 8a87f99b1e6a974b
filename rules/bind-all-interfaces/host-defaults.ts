/**
 * bind-all-interfaces: the address a server is given when it is not written at the call, followed by data flow to
 * where its value is set: a literal through variables (`host = LISTEN_ALL`), the default of a command-line option
 * (`parser.add_argument("--host", default="0.0.0.0")` read back as `args.host`: what runs unless the operator
 * passes one), or a field of an options object written as a literal (`{ bindAddress: "0.0.0.0" }` read back as
 * `opts.bindAddress`), or the fallback of an environment variable (`process.env.HOST || "0.0.0.0"`,
 * `os.environ.get("HOST", "0.0.0.0")`). The field's name is never the evidence: the value that reaches the listening call is.
 */
import type { ValueFlow } from '../../server/src/core/flow/value-flow';
import type { Call, CodeModel, Expr } from '../../server/src/core/model/types';

export interface ResolvedHost {
  value: string;
  /** Where the value was set, for the message (`the --host default`), when not at the call. */
  via?: string;
}

/** The one string every origin of `expr` gives, following option defaults and object fields one hop. */
export function resolveHost(expr: Expr | undefined, model: CodeModel, flow: ValueFlow): ResolvedHost | undefined {
  if (!expr) return undefined;
  if (expr.kind === 'string') return expr.value === undefined ? undefined : { value: expr.value };
  if (expr.kind !== 'name') return undefined;
  const found: ResolvedHost[] = [];
  // `process.env.HOST || "0.0.0.0"`, `os.environ.get("HOST", "0.0.0.0")`: the environment is the operator's
  // setting, like a command-line option; its fallback is what runs unless they set one.
  let environment: Expr | undefined;
  for (const origin of flow.origins(expr)) {
    if (origin.kind === 'literal' && origin.expr.kind === 'string' && origin.expr.value !== undefined)
      found.push({ value: origin.expr.value });
    else if (origin.kind === 'source' && origin.source === 'environment') environment ??= origin.expr;
    else if (origin.kind === 'unknown' && origin.expr.kind === 'name') {
      const field = fieldValue(origin.expr, model, flow);
      if (!field) return undefined;
      found.push(field);
    } else return undefined;
  }
  if (!found.length || !found.every((f) => f.value === found[0].value)) return undefined;
  if (!environment || found[0].via) return found[0];
  const variable = environmentVariable(environment);
  return {
    value: found[0].value,
    via: `the default when ${variable ? `the ${variable} environment variable` : 'the environment'} is unset`,
  };
}

/** `HOST` of `process.env.HOST`, `os.environ["HOST"]`, `os.environ.get("HOST", …)`, `getenv("HOST")`. */
function environmentVariable(read: Expr): string | undefined {
  const key = read.kind === 'call' ? read.call?.args[0] : undefined;
  if (key?.kind === 'string') return key.value;
  return ENV_MEMBER.exec(read.text.trim())?.[1];
}

const ENV_MEMBER = /(?:\.|\[\s*["'])(\w+)(?:["']\s*\])?$/;

/** `args.host` after `args = parser.parse_args()`, or `opts.bindAddress` after `opts = { bindAddress: "..." }`. */
function fieldValue(member: Expr, model: CodeModel, flow: ValueFlow): ResolvedHost | undefined {
  const path = member.value ?? member.text;
  const dot = path.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const [owner, field] = [path.slice(0, dot), path.slice(dot + 1)];
  const probe: Expr = { kind: 'name', value: owner, text: owner, start: member.start, end: member.start + owner.length };
  const origins = flow.origins(probe);
  if (!origins.length) return undefined;
  const values = origins.map((o) => {
    if (o.kind === 'parameter') return undefined;
    const call = o.expr.kind === 'call' ? o.expr.call : undefined;
    if (call && /^parse(?:_known)?_args$/.test(call.name)) return optionDefault(model, field);
    if (o.expr.kind !== 'object') return undefined;
    const entry = o.expr.entries?.find((e) => e.key === field);
    return entry?.value.kind === 'string' && entry.value.value !== undefined
      ? { value: entry.value.value, via: `the '${field}' field of ${owner}` }
      : undefined;
  });
  return values.every((v) => v && v.value === values[0]!.value) ? values[0] : undefined;
}

/** The `default=` string of the argparse option whose destination is `dest` (`--host`, `--bind-address`, `dest=`). */
function optionDefault(model: CodeModel, dest: string): ResolvedHost | undefined {
  const option = model.calls.find((c) => c.name === 'add_argument' && destinationOf(c) === dest);
  const value = option?.named.find((p) => p.key === 'default')?.value;
  if (!option || value?.kind !== 'string' || value.value === undefined) return undefined;
  const flag = option.args.find((a) => a.kind === 'string' && a.value?.startsWith('--'))?.value ?? dest;
  return { value: value.value, via: `the ${flag} option's default` };
}

function destinationOf(option: Call): string | undefined {
  const named = option.named.find((p) => p.key === 'dest')?.value;
  if (named?.kind === 'string') return named.value;
  const flags = option.args.filter((a) => a.kind === 'string').map((a) => a.value ?? '');
  const long = flags.find((f) => f.startsWith('--')) ?? flags.find((f) => !f.startsWith('-'));
  return long?.replace(/^-+/, '').replace(/-/g, '_');
}
