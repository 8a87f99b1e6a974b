/**
 * What a wildcard CORS header actually exposes. A page on another origin gains something only when the
 * response carries data and needs nothing the browser will not send by itself:
 * - a development server's headers (webpack `devServer.headers`) serve a developer's machine, not a product;
 * - a fixed response (an error status, or a body of a length written into the header text) carries no data,
 *   and when the same server sends its data responses with an origin it chooses at run time, the wildcard is
 *   limited to those fixed responses;
 * - an API that authenticates every request by an `Authorization` header (not a cookie) cannot be called by
 *   a foreign page, which never has the key; a policy without credentials then exposes nothing. Which files
 *   check that header is a project fact (`authorization-header`), resolved after a whole-project scan.
 */
import type { RuleContext, Span } from '../../server/src/core/types';
import { hasMarkWithin, matchOffsets } from '../_shared/call-marks';

export const AUTHORIZATION_FACT = 'authorization-header';

/** Within a webpack dev-server configuration: `devServer: { headers: { 'Access-Control-Allow-Origin': '*' } }`. */
export function inDevServerConfig(ctx: RuleContext, span: Span): boolean {
  return ctx.model.bindings.some(
    (b) => b.kind === 'property' && b.name === 'devServer' && b.value.start <= span.start && span.end <= b.value.end,
  );
}

/** A raw response that is an error (4xx/5xx), or whose body has a length fixed in the header text. */
export function isFixedResponse(text: string): boolean {
  if (/^HTTP\/\d(?:\.\d)?\s+[45]\d\d\b/.test(text)) return true;
  return /^HTTP\/\d(?:\.\d)?\s+\d{3}\b/.test(text) && /\r?\nContent-Length:\s*\d+\s*\r?\n/i.test(text);
}

/** Header text that ends at the origin (`"\r\nAccess-Control-Allow-Origin: "`): the value is chosen at run time. */
export function choosesOriginPerResponse(ctx: RuleContext): boolean {
  if (!/access-control-allow-origin/i.test(ctx.text.content)) return false;
  return ctx.model.strings.some((s) => /access-control-allow-origin:\s*$/i.test(s.value ?? ''));
}

/** The language family a fact value is scoped to: a Python API is not protected by a check in Java. */
export function family(language: string): string {
  if (language === 'typescript' || language === 'javascript') return 'node';
  if (language === 'java' || language === 'kotlin') return 'jvm';
  return language;
}

const AUTHORIZATION = /^authorization$/i;

/**
 * Whether the file reads the `Authorization` header of a request it serves: `request.headers.get('Authorization')`,
 * `req.get('authorization')`, `request.getHeader("Authorization")`, `req.headers.authorization`.
 */
export function readsAuthorizationHeader(ctx: RuleContext): boolean {
  // Either form writes the word inside the call: only calls around one have their arguments looked at.
  const mentions = matchOffsets(ctx.text.content, /authorization/gi);
  if (!mentions.length) return false;
  const calls = ctx.model.calls.filter((call) => hasMarkWithin(mentions, call));
  const reads = calls.some((call) => {
    const key = call.args[0];
    if (key?.kind !== 'string' || !AUTHORIZATION.test(key.value ?? '')) return false;
    if (/^(?:getHeader|getFirst|header|get_header)$/.test(call.name)) return true;
    return call.name === 'get' && /(?:^|\.)(?:headers|req|request)$/.test(call.receiver?.text ?? '');
  });
  if (reads) return true;
  return (
    calls.some((call) => call.args.some((arg) => /\b(?:req|request)\.headers\.authorization\b/.test(arg.text))) ||
    ctx.model.bindings.some((b) => /\b(?:req|request)\.headers\.authorization\b/.test(b.value.text))
  );
}
