/**
 * secret-in-url-query: a token, key or password put into the query string of a URL that is requested. The
 * query parameter is the server's API for the secret (`?token=`, `api_key=`, `password=`); the finding needs
 * more than that name: the value is a literal of the program, or comes from where secrets are kept (key
 * store, NVS, preferences, environment), and the URL reaches a network client (`ctx.flow.uses`).
 */
import { hasMarkWithin, matchOffsets } from '../_shared/call-marks';
import type { Call, Expr } from '../../server/src/core/model/types';
import type { Origin } from '../../server/src/core/flow/value-flow';
import type { RuleContext, Span } from '../../server/src/core/types';
import { sinksFor, type NetworkSink } from '../_shared/network-sinks';
import { isNotASecret } from '../_shared/secrets/placeholders';
import { pushAll } from '../../server/src/core/arrays';

export interface QuerySecret {
  span: Span;
  param: string;
  /** What the value is: "a hardcoded value", "a value read from NVS". */
  what: string;
  sink: { call: Call; sink: NetworkSink };
  /** The literal to mask in every output. */
  secret?: Span;
  confidence: 'high' | 'medium';
}

/** Query parameters through which APIs take a secret. Linear: one alternation between fixed delimiters. */
const PARAM =
  /[?&](access_token|auth_token|api_token|token|api_key|apikey|api-key|api_secret|key|client_secret|secret|password|passwd|pwd|pass|sig)=/gi;
const PARAM_AT_END =
  /[?&](access_token|auth_token|api_token|token|api_key|apikey|api-key|api_secret|key|client_secret|secret|password|passwd|pwd|pass|sig)=$/i;
/**
 * Parameters that hold a credential in every API that names one so (`api_secret` is Nightscout's): whatever the
 * program sends there at run time is its secret, wherever the value was read. `token`, `key`, `secret`, `pass`,
 * `pwd` and `sig` alone also name cursors, map keys and signatures, so they keep the bar of a literal or a store.
 */
const CREDENTIAL_PARAMS = new Set([
  'access_token',
  'auth_token',
  'api_token',
  'api_key',
  'apikey',
  'api-key',
  'api_secret',
  'client_secret',
  'password',
  'passwd',
]);
const STORED_SECRET = new Set(['keystore', 'nvs', 'preferences', 'environment']);
const MIN_LITERAL = 8;
const MAX_PARTS_DEPTH = 6;

export function findQuerySecrets(ctx: RuleContext): QuerySecret[] {
  if (!/[?&][\w-]+=/.test(ctx.text.content)) return [];
  const out: QuerySecret[] = [];
  const seen = new Set<number>();
  for (const root of urlRoots(ctx)) {
    for (const candidate of candidatesIn(root, 0)) {
      if (seen.has(candidate.span.start)) continue;
      const judged = judge(ctx, candidate);
      if (!judged) continue;
      const sink = networkSink(ctx, root);
      if (!sink) continue;
      seen.add(candidate.span.start);
      out.push({ ...judged, param: candidate.param, sink });
    }
  }
  return out;
}

/** Expressions that may be a URL as a whole: arguments, assigned values, returned values, with query text in them. */
function urlRoots(ctx: RuleContext): Expr[] {
  const roots: Expr[] = [];
  const add = (e: Expr | undefined) => {
    if (e && (e.kind === 'string' || e.kind === 'other') && /[?&][\w-]+=/.test(e.text)) roots.push(e);
  };
  // Query text in an expression is query text in the file at the same place: calls and bindings around none
  // have their arguments and values left unresolved.
  const queries = matchOffsets(ctx.text.content, /[?&][\w-]+=/g);
  for (const call of ctx.model.calls) if (hasMarkWithin(queries, call)) for (const arg of call.args) add(arg);
  for (const b of ctx.model.bindings) if (hasMarkWithin(queries, b)) add(b.value);
  for (const fn of ctx.model.functions) for (const r of fn.returns) add(r);
  return roots;
}

type Candidate = { param: string; span: Span; literal: string } | { param: string; span: Span; value: Expr };

/** The secret parameters of a URL expression: written in a literal, or the operand right after `...?token=`. */
function candidatesIn(expr: Expr, depth: number): Candidate[] {
  if (expr.kind === 'string') return inlineValues(expr);
  if (expr.kind !== 'other' || depth > MAX_PARTS_DEPTH) return [];
  const parts = expr.parts?.() ?? [];
  const out: Candidate[] = [];
  parts.forEach((part, i) => {
    const next = parts[i + 1];
    const tail = trailingLiteral(part, depth);
    const atEnd = tail ? PARAM_AT_END.exec(tail.value ?? '') : null;
    if (atEnd && next && next.kind !== 'string') out.push({ param: atEnd[1], span: next, value: next });
    pushAll(out, candidatesIn(part, depth + 1));
  });
  return out;
}

/** The literal a part ends with: itself, or the last operand of a concatenation (`(a + "?token=") + t`). */
function trailingLiteral(part: Expr, depth: number): Expr | undefined {
  if (part.kind === 'string') return part;
  if (part.kind !== 'other' || part.operator !== '+' || depth > MAX_PARTS_DEPTH) return undefined;
  const parts = part.parts?.() ?? [];
  return parts.length ? trailingLiteral(parts[parts.length - 1], depth + 1) : undefined;
}

/** `"https://api.x.io/v1/readings?api_key=8f3c..."`: the value written after the parameter. */
function inlineValues(literal: Expr): Candidate[] {
  const value = literal.value ?? '';
  const content = literal.content;
  if (!content || !/^(?:https?:\/\/|\/|\?|&)/i.test(value)) return [];
  const out: Candidate[] = [];
  for (const m of value.matchAll(PARAM)) {
    const from = m.index! + m[0].length;
    const rest = value.slice(from);
    const secret = /^[^&#\s]*/.exec(rest)![0];
    if (!secret) continue;
    // The literal's text maps one to one onto its value only without escapes; otherwise the whole literal is masked.
    const verbatim = content.end - content.start === value.length;
    const span = verbatim ? { start: content.start + from, end: content.start + from + secret.length } : content;
    out.push({ param: m[1], span, literal: secret });
  }
  return out;
}

function judge(ctx: RuleContext, c: Candidate): Pick<QuerySecret, 'span' | 'what' | 'secret' | 'confidence'> | undefined {
  if ('literal' in c) {
    if (!isSecretLiteral(c.literal)) return undefined;
    return { span: c.span, what: 'a value written into the URL', secret: c.span, confidence: 'high' };
  }
  const origins = ctx.flow.origins(c.value);
  for (const origin of origins) {
    const found = fromOrigin(origin);
    if (found) return { span: c.span, ...found };
  }
  // A value the program only has at run time (a parameter, a field, a response) under a credential parameter.
  // No origin at all is a value the flow layer cannot place (a field set from a constructor parameter).
  if (CREDENTIAL_PARAMS.has(c.param.toLowerCase()) && (!origins.length || origins.some((o) => o.kind !== 'literal')))
    return { span: c.span, what: `the ${c.param} the program holds at run time`, confidence: 'medium' };
  return undefined;
}

function fromOrigin(origin: Origin): Pick<QuerySecret, 'what' | 'secret' | 'confidence'> | undefined {
  const through = origin.steps.length ? ` through \`${origin.steps[origin.steps.length - 1].label}\`` : '';
  if (origin.kind === 'literal' && origin.expr.kind === 'string' && isSecretLiteral(origin.expr.value ?? '')) {
    return { what: `a hardcoded value${through}`, secret: origin.expr.content, confidence: 'high' };
  }
  if (origin.kind === 'source' && STORED_SECRET.has(origin.source)) {
    return { what: `a secret read from ${SOURCE_NAMES[origin.source]}${through}`, confidence: 'medium' };
  }
  return undefined;
}

const SOURCE_NAMES: Record<string, string> = {
  keystore: 'the key store',
  nvs: 'non-volatile storage',
  preferences: 'the app preferences',
  environment: 'the environment',
};

function isSecretLiteral(value: string): boolean {
  return value.length >= MIN_LITERAL && !/^[%{$<]/.test(value) && !isNotASecret(value, true);
}

/** The network client the URL reaches, directly or through variables and helpers. */
function networkSink(ctx: RuleContext, root: Expr): { call: Call; sink: NetworkSink } | undefined {
  const sinks = sinksFor(ctx.language);
  for (const use of ctx.flow.uses(root)) {
    const sink = sinks.find((s) => s.slots.includes(use.slot) && s.matches(use.call));
    if (sink) return { call: use.call, sink };
  }
  return undefined;
}
