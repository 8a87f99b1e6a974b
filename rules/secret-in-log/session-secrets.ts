/**
 * Session IDs and OAuth authorization codes written to a log, by where the value comes from. Either one lets whoever
 * reads the log act as the logged-in user: a session ID until the session ends, an authorization code until it is
 * exchanged for tokens (RFC 6749 §10.5, §4.1.2).
 * - A session ID: a value named for one (`sessionId`, `session_id`, `JSESSIONID`) that the program received: from an
 *   HTTP response (its body, headers or the page a login returned), a cookie, or a URL's query. A session counter of
 *   a serial or BLE protocol, numbered by the device itself, is not one.
 * - An OAuth authorization code: a value read from a redirect URL's `code` query parameter, whatever it is named; or
 *   the redirect URL itself (the `Location` header of the response to a request that asked for `response_type=code`).
 *   A variable named `code` holds an HTTP status or an error code as often: the name alone is never the evidence.
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { perFile } from '../_shared/per-file';
import type { Origin } from '../../server/src/core/flow/value-flow';
import { identifierWords } from '../_shared/identifier-words';
import { printedPieces } from './printed-pieces';

export interface LoggedSessionSecret {
  span: Expr;
  name: string;
  /** What the value is, with its evidence: "a session ID, read from an HTTP response". */
  what: string;
}

/** Reads of a URL's query parameter `code`: `searchParams.get('code')`, `getQueryParameter("code")`, `query.code`, `parse_qs(q)['code']`. */
const CODE_QUERY_READ =
  /\b(?:(?:searchParams|params|query|args|queryParams|GET)\s*\.\s*(?:get|getAll|getFirst)|getQueryParameter|queryParameter)\s*\(\s*["']code["']|\b(?:query|params|searchParams|args|GET)\s*(?:\.\s*code\b|\[\s*["']code["'])|\bparse_qs\s*\([^()]{0,200}\)\s*\[\s*["']code["']/;
/** A cookie read: `getCookie(…)`, `cookies.get(…)`, `req.cookies.sid`, `document.cookie`, `CookieManager…getCookie`. */
const COOKIE_READ = /\b(?:getCookies?|cookies?|Cookies?|CookieManager|cookieJar)\b/;
/** A URL query read. */
const QUERY_READ = /\b(?:searchParams|getQueryParameter|queryParameter|parse_qs|urlparse|query)\b/;
/** A response's redirect target, as a dotted name: `res.headers.location`. */
const LOCATION_READ = /\.headers?\.location$/i;
/** Calls that send an HTTP request (`axios.get`, `http.post`, `session.request`, `fetch`, `urlopen`). */
const REQUEST_VERB = /^(?:get|post|put|patch|request|fetch|urlopen|send|execute)$/;
/** An authorization request: it asks for `response_type=code` (an entry, or in the URL). */
const ASKS_FOR_CODE = /response_type["']?\s*[:=,]\s*["']?code\b/;

/** The session ID or authorization code a log call prints, if one of its values is one by its origin. */
export function loggedSessionSecret(ctx: RuleContext, logged: readonly Expr[]): LoggedSessionSecret | undefined {
  const readsCode = readsCodeParameter(ctx);
  if (!readsCode && !namesSessionOrLocation(ctx)) return undefined;
  for (const arg of logged) {
    for (const value of printedPieces(arg)) {
      const found = sessionId(ctx, value) ?? (readsCode ? authorizationCode(ctx, value) : undefined) ?? redirectWithCode(ctx, value);
      if (found) return { ...found, span: arg };
    }
  }
  return undefined;
}

/** Whether the file reads a `code` query parameter somewhere: only then are logged values followed for one (once a file). */
const readsCodeParameter = perFile('medsec.readsCodeParameter', (ctx) => CODE_QUERY_READ.test(ctx.text.content));

/**
 * Whether the file's text can name a session ID (`sessionId`, `JSESSIONID`, `PHPSESSID`: each holds `sess`) or a
 * redirect target (`headers.location`): without either, and without a `code` read, no logged value is one, and a
 * log call's arguments are not taken apart (Java corpus: most files log, few name a session).
 */
const namesSessionOrLocation = perFile('medsec.namesSessionOrLocation', (ctx) => /sess|location/i.test(ctx.text.content));

function sessionId(ctx: RuleContext, value: Expr): { name: string; what: string } | undefined {
  if (value.kind !== 'name') return undefined;
  const name = value.value ?? value.text;
  const last = name.split('.').pop() ?? name;
  if (!isSessionIdName(last)) return undefined;
  const from = receivedFrom(ctx, ctx.flow.origins(value));
  return from ? { name, what: `a session ID, ${from}` } : undefined;
}

/** `sessionId`, `session_id`, `sessionID`, `JSESSIONID`, `PHPSESSID`: not `sessionCount`, `sessionIndex`. */
function isSessionIdName(name: string): boolean {
  if (/^(?:JSESSIONID|PHPSESSID|ASP\.NET_SessionId)$/i.test(name)) return true;
  const words = identifierWords(name);
  return words.length >= 2 && words[words.length - 1] === 'id' && words[words.length - 2] === 'session';
}

/** Where a value was received from (an HTTP response, a cookie, a URL's query), for the message; undefined if not. */
function receivedFrom(ctx: RuleContext, origins: Origin[]): string | undefined {
  for (const origin of origins) {
    // An HTTP response; not any payload of a peer (a BLE or serial protocol numbers its own sessions).
    if (origin.kind === 'source' && origin.source === 'network' && isRequestResult(origin.expr)) return 'read from an HTTP response';
    if (origin.kind !== 'unknown') continue;
    const text = origin.expr.text;
    if (COOKIE_READ.test(text)) return 'read from a cookie';
    if (QUERY_READ.test(text)) return "read from a URL's query";
    if (responseIn(ctx, origin.expr)) return 'read from an HTTP response';
  }
  return undefined;
}

/** Whether an expression reads a value that is the result of an HTTP request (`regex.exec(response.data)`). */
function responseIn(ctx: RuleContext, expr: Expr): boolean {
  const names = [...expr.text.matchAll(/[A-Za-z_$][\w$]*/g)].slice(0, 6);
  return names.some((m) => {
    const at = expr.start + m.index!;
    const probe: Expr = { kind: 'name', value: m[0], text: m[0], start: at, end: at + m[0].length };
    return ctx.flow.origins(probe).some((origin) => isRequestResult(exprOf(origin)));
  });
}

/** `await axios.get(url)`, `requests.post(…)`, `fetch(…)`: the expression is (awaits) the result of an HTTP request. */
function isRequestResult(expr: Expr | undefined): boolean {
  const call = expr && requestCallOf(expr);
  return !!call && REQUEST_VERB.test(call.name) && call.args.length > 0 && !(call.receiver?.kind === 'string');
}

/** The expression an origin is (a parameter has none). */
function exprOf(origin: Origin): Expr | undefined {
  return origin.kind === 'parameter' ? undefined : origin.expr;
}

function requestCallOf(expr: Expr): Call | undefined {
  if (expr.kind === 'call') return expr.call;
  if (expr.kind !== 'other' || expr.operator !== undefined) return undefined;
  const parts = expr.parts?.() ?? [];
  return parts.length === 1 && parts[0].kind === 'call' ? parts[0].call : undefined;
}

function authorizationCode(ctx: RuleContext, value: Expr): { name: string; what: string } | undefined {
  const direct = value.kind === 'call' && CODE_QUERY_READ.test(value.text);
  const read =
    direct || ctx.flow.origins(value).some((origin) => origin.kind !== 'literal' && CODE_QUERY_READ.test(exprOf(origin)?.text ?? ''));
  return read ? { name: value.text, what: "an OAuth authorization code, read from the redirect URL's code parameter" } : undefined;
}

/** `response.headers.location` of the response to an authorization request: the redirect that carries the code. */
function redirectWithCode(ctx: RuleContext, value: Expr): { name: string; what: string } | undefined {
  if (value.kind !== 'name' || !LOCATION_READ.test(value.value ?? value.text)) return undefined;
  const base = (value.value ?? value.text).split('.')[0];
  const probe: Expr = { kind: 'name', value: base, text: base, start: value.start, end: value.start + base.length };
  const asked = ctx.flow.origins(probe).some((origin) => {
    const expr = exprOf(origin);
    const call = expr && requestCallOf(expr);
    return !!call && REQUEST_VERB.test(call.name) && ASKS_FOR_CODE.test(ctx.text.content.slice(call.start, call.end));
  });
  return asked
    ? { name: value.text, what: 'the redirect URL of an OAuth authorization request, which carries the authorization code' }
    : undefined;
}
