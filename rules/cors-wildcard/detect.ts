/**
 * cors-wildcard: where a CORS policy admits every origin, per framework: raw `Access-Control-Allow-Origin`
 * headers, Express `cors`, Flask-CORS, Starlette/FastAPI `CORSMiddleware`, django-cors-headers, Spring.
 */
import type { CodeModel, Expr, Property } from '../../server/src/core/model/types';
import type { ValueFlow } from '../../server/src/core/flow/value-flow';
import type { Confidence, LanguageId, Span } from '../../server/src/core/types';
import { wildcardThroughFlow } from './defaults';
import { hasMarkWithin } from '../_shared/call-marks';
import { pushAll } from '../../server/src/core/arrays';

export interface CorsHit {
  span: Span;
  what: string;
  credentials?: boolean;
  confidence?: Confidence;
  /** A framework-wide policy (Flask-CORS, `cors()`, Spring), as opposed to one response's header. */
  policy?: boolean;
  /** Raw response text: the literal that holds it, to judge what that response carries. */
  text?: string;
}

const ALLOW_ORIGIN = 'access-control-allow-origin';
const isStar = (e: Expr | undefined) => e?.kind === 'string' && e.value?.trim() === '*';
const isTrue = (e: Expr | undefined) => e?.kind === 'boolean' && /^true$/i.test(e.text);
/** `"*"` or a list that contains it (`["*"]`, `List.of("*")`). */
const admitsAll = (e: Expr | undefined): boolean =>
  isStar(e) || (e?.kind === 'array' && !!e.elements?.some(isStar)) || (e?.kind === 'call' && !!e.call?.args.some(isStar));
/** An origin echoed back from the request: `req.headers.origin`, `request.headers.get("Origin")`. */
const reflectsOrigin = (e: Expr | undefined) =>
  !!e &&
  e.kind !== 'string' &&
  /headers?(?:\.origin\b|\s*\[\s*['"]origin['"]|\.get\(\s*['"]origin['"]|\(\s*['"]origin['"])|getHeader\(\s*"origin"/i.test(e.text);

const isAllowOrigin = (a: Expr) => a.kind === 'string' && a.value?.trim().toLowerCase() === ALLOW_ORIGIN;

const entry = (props: Property[] | undefined, key: string) => props?.find((p) => p.key === key)?.value;

/** `setHeader("Access-Control-Allow-Origin", "*")` in any framework (Express, Java servlets, ESP-IDF `httpd_resp_set_hdr`). */
function headerCalls(model: CodeModel, flow: ValueFlow): CorsHit[] {
  const hits: CorsHit[] = [];
  // The header's name is a string literal of the file (the model lists them all): only a call around one can pass it.
  const marks = model.strings
    .filter(isAllowOrigin)
    .map((literal) => literal.start)
    .sort((a, b) => a - b);
  if (!marks.length) return hits;
  for (const call of model.calls) {
    if (!hasMarkWithin(marks, call)) continue;
    const index = call.args.findIndex(isAllowOrigin);
    if (index < 0) continue;
    const value = call.args[index + 1];
    const viaFlow = isStar(value) ? undefined : wildcardThroughFlow(flow, value);
    if (isStar(value)) hits.push({ span: call, what: `\`${call.callee}\` sets \`Access-Control-Allow-Origin: *\`` });
    else if (viaFlow)
      hits.push({ span: call, what: `\`${call.callee}\` sets \`Access-Control-Allow-Origin\` to \`${value!.text}\`, which ${viaFlow}` });
    else if (reflectsOrigin(value))
      hits.push({
        span: call,
        what: `\`${call.callee}\` copies the request's \`Origin\` into \`Access-Control-Allow-Origin\`, which admits every origin`,
      });
  }
  return hits;
}

/** `{ 'Access-Control-Allow-Origin': '*' }`, `resp.headers["Access-Control-Allow-Origin"] = "*"`, django `CORS_ALLOW_ALL_ORIGINS = True`. */
function headerBindings(model: CodeModel, language: LanguageId, flow: ValueFlow): CorsHit[] {
  const hits: CorsHit[] = [];
  for (const b of model.bindings) {
    const header = b.name.trim().toLowerCase() === ALLOW_ORIGIN;
    const viaFlow = header && !isStar(b.value) ? wildcardThroughFlow(flow, b.value) : undefined;
    if (viaFlow) {
      hits.push({ span: b, what: `the response sets \`Access-Control-Allow-Origin\` to \`${b.value.text}\`, which ${viaFlow}` });
    } else if (header && (isStar(b.value) || reflectsOrigin(b.value))) {
      hits.push({
        span: b,
        what: isStar(b.value)
          ? 'the response sets `Access-Control-Allow-Origin: *`'
          : "the response copies the request's `Origin` into `Access-Control-Allow-Origin`, which admits every origin",
      });
    } else if (language === 'python' && /^(?:CORS_ALLOW_ALL_ORIGINS|CORS_ORIGIN_ALLOW_ALL)$/.test(b.target) && isTrue(b.value)) {
      hits.push({ span: b, what: `\`${b.target} = True\` (django-cors-headers) admits every origin` });
    }
  }
  return hits;
}

/** Raw header text: `"Access-Control-Allow-Origin: *\r\n"` (mongoose, lwIP httpd, hand-built responses). */
function headerStrings(model: CodeModel): CorsHit[] {
  return model.strings
    .filter((s) => !s.standalone && /access-control-allow-origin:\s*\*/i.test(s.value ?? ''))
    .map((s) => ({
      span: { start: s.start, end: s.end },
      what: 'the response header text sets `Access-Control-Allow-Origin: *`',
      text: s.value,
    }));
}

const CORS_MODULES = /^(?:cors|@fastify\/cors|@koa\/cors|fastify-cors)$/;
/** `require('cors')` written where the middleware is used: `app.use(require('cors')())`, `register(require('@fastify/cors'), …)`. */
const INLINE_CORS_REQUIRE = /^require\(\s*(['"])(?:cors|@fastify\/cors|@koa\/cors|fastify-cors)\1\s*\)$/;

function nodeCors(model: CodeModel, flow: ValueFlow, content: string): CorsHit[] {
  const hits: CorsHit[] = [];
  const corsNames = new Set(model.imports.filter((i) => CORS_MODULES.test(i.module)).map((i) => i.local ?? 'cors'));
  const isCors = (text: string) => corsNames.has(text) || INLINE_CORS_REQUIRE.test(text);
  for (const call of model.calls) {
    let options: Expr | undefined;
    // `require('cors')()`: the model names that callee `require()`; its text says which module.
    if (
      isCors(call.callee) ||
      (call.callee === 'require()' && INLINE_CORS_REQUIRE.test(content.slice(call.calleeSpan.start, call.calleeSpan.end)))
    ) {
      options = call.args[0];
      if (!options) {
        const shown = call.callee === 'require()' ? content.slice(call.calleeSpan.start, call.calleeSpan.end) : call.callee;
        hits.push({ span: call, what: `\`${shown}()\` without options sends \`Access-Control-Allow-Origin: *\`` });
        continue;
      }
    } else if (call.name === 'register' && call.args.some((a) => isCors(a.text))) {
      options = call.args.find((a) => a.kind === 'object');
      if (!options) {
        hits.push({ span: call, what: 'registering CORS without options admits every origin' });
        continue;
      }
    } else if (call.name === 'enableCors') {
      // NestJS: `app.enableCors()` with no options admits every origin.
      options = call.args[0];
      if (!options) {
        hits.push({ span: call, what: `\`${call.callee}()\` without options admits every origin` });
        continue;
      }
    } else {
      continue;
    }
    if (options.kind !== 'object') continue;
    const origin = entry(options.entries, 'origin');
    const credentials = isTrue(entry(options.entries, 'credentials'));
    const viaFlow = admitsAll(origin) ? undefined : wildcardThroughFlow(flow, origin);
    if (admitsAll(origin)) hits.push({ span: call, what: '`origin: "*"` admits every origin', credentials });
    else if (viaFlow) hits.push({ span: call, what: `\`origin: ${origin!.text}\` ${viaFlow}, which admits every origin`, credentials });
    else if (isTrue(origin))
      hits.push({ span: call, what: '`origin: true` reflects whatever origin asks, which admits every origin', credentials });
  }
  return hits;
}

function pythonCors(model: CodeModel, flow: ValueFlow): CorsHit[] {
  const hits: CorsHit[] = [];
  for (const call of model.calls) {
    if (call.name === 'CORS' || call.name === 'cross_origin') {
      const origins = call.named.find((p) => p.key === 'origins')?.value;
      const resources = call.named.find((p) => p.key === 'resources')?.value;
      const credentials = isTrue(call.named.find((p) => p.key === 'supports_credentials')?.value);
      const resourceOrigins = resources?.entries?.flatMap((r) => (r.value.kind === 'object' ? [entry(r.value.entries, 'origins')] : []));
      const viaFlow = wildcardThroughFlow(flow, origins);
      if (viaFlow) {
        hits.push({
          span: call,
          what: `\`${call.callee}\` origins \`${origins!.text}\` ${viaFlow}, which admits every origin`,
          credentials,
        });
      } else if (admitsAll(origins) || resourceOrigins?.some(admitsAll)) {
        hits.push({ span: call, what: `\`${call.callee}\` with origins "*" admits every origin`, credentials });
      } else if (!origins && !resources && call.args.length <= 1) {
        hits.push({ span: call, what: `\`${call.callee}\` without \`origins\` defaults to "*", which admits every origin`, credentials });
      }
    } else if (call.name === 'add_middleware' && call.args[0]?.text === 'CORSMiddleware') {
      const origins = call.named.find((p) => p.key === 'allow_origins')?.value;
      const regex = call.named.find((p) => p.key === 'allow_origin_regex')?.value;
      const credentials = isTrue(call.named.find((p) => p.key === 'allow_credentials')?.value);
      const viaFlow = wildcardThroughFlow(flow, origins);
      if (admitsAll(origins) || (regex?.kind === 'string' && /^\.\*\$?$/.test(regex.value ?? ''))) {
        hits.push({ span: call, what: '`CORSMiddleware` with `allow_origins=["*"]` admits every origin', credentials });
      } else if (viaFlow) {
        hits.push({
          span: call,
          what: `\`CORSMiddleware\` \`allow_origins=${origins!.text}\` ${viaFlow}, which admits every origin`,
          credentials,
        });
      }
    }
  }
  return hits;
}

function springCors(model: CodeModel): CorsHit[] {
  const hits: CorsHit[] = [];
  for (const call of model.calls) {
    if (
      !/^(?:allowedOrigins|allowedOriginPatterns|addAllowedOrigin|addAllowedOriginPattern|setAllowedOrigins|setAllowedOriginPatterns)$/.test(
        call.name,
      )
    )
      continue;
    if (!call.args.some(admitsAll)) continue;
    // `.allowedOrigins("*").allowCredentials(true)` in the same chain or function.
    const credentials = !!call.fn?.calls.some((c) => /^(?:allowCredentials|setAllowCredentials)$/.test(c.name) && isTrue(c.args[0]));
    hits.push({ span: call, what: `\`${call.name}("*")\` admits every origin`, credentials });
  }
  return hits;
}

/** Spring `@CrossOrigin`: annotations are not in the code model, so they are found in the text outside comments. */
function springAnnotations(content: string, model: CodeModel): CorsHit[] {
  const hits: CorsHit[] = [];
  const inComment = (offset: number) => model.comments.some((c) => c.start <= offset && offset < c.end);
  const inString = (offset: number) => model.strings.some((s) => s.start - 1 <= offset && offset < s.end + 1);
  const annotation = /@CrossOrigin\b(\s*\(([^)]*)\))?/g;
  for (let m = annotation.exec(content); m; m = annotation.exec(content)) {
    if (inComment(m.index) || inString(m.index)) continue;
    const args = m[2]?.trim() ?? '';
    const span = { start: m.index, end: m.index + m[0].length };
    if (!args) hits.push({ span, what: '`@CrossOrigin` without `origins` admits every origin', confidence: 'medium' });
    else if (/^(?:[[{]\s*|\s*)"\*"|\b(?:origins|value|originPatterns)\s*=\s*(?:[[{]\s*)?"\*"/.test(args)) {
      hits.push({
        span,
        what: '`@CrossOrigin` with origins "*" admits every origin',
        credentials: /allowCredentials\s*=\s*"true"/.test(args),
      });
    }
  }
  return hits;
}

export function findWildcardCors(language: LanguageId, model: CodeModel, content: string, flow: ValueFlow): CorsHit[] {
  const hits = [...headerCalls(model, flow), ...headerBindings(model, language, flow), ...headerStrings(model)];
  const policies: CorsHit[] = [];
  if (language === 'typescript' || language === 'javascript') pushAll(policies, nodeCors(model, flow, content));
  if (language === 'python') pushAll(policies, pythonCors(model, flow));
  if (language === 'java' || language === 'kotlin') pushAll(policies, springCors(model), springAnnotations(content, model));
  return [...hits, ...policies.map((hit) => ({ ...hit, policy: true }))];
}
