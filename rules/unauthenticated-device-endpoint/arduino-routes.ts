/**
 * The routes of an Arduino-style device web server: `WebServer` / `ESP8266WebServer` / `ESPAsyncWebServer`
 * `server.on(path, [method,] handler[, upload])`, and ESP-IDF `httpd_register_uri_handler(server, &uri)` with
 * its `httpd_uri_t` table entry. Each route is given with the functions that handle it, when the file has them.
 */
import type { Call, Expr, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';
import { functionsNamed } from '../../server/src/core/model/functions-by-name';
import type { DeclaredObjects } from '../_shared/objects-declared-elsewhere';

export interface Route {
  /** Where to report: the registration. */
  span: Span;
  path: string;
  /** Upper-case HTTP method, `ANY` when the registration takes every method. */
  method: string;
  handlers: FunctionDef[];
  /** The server speaks plain HTTP (no TLS server class, no `httpd_ssl_start`). */
  plain: boolean;
  /**
   * The receiver is not declared in this file (`server->on(...)` in a class whose header declares the member):
   * the route stands only where another file of the project declares a plain web server by that name.
   */
  serverElsewhere?: string;
  /**
   * The handler's parameter the framework hands the parsed request body in (`JsonVariant &json` of an
   * ESPAsyncWebServer JSON handler): reading it is reading the request, with no `getParam` call to see.
   */
  bodyParam?: string;
}

/** Web server classes of the Arduino cores and of ESPAsyncWebServer; the `Secure` ones serve TLS. */
const SERVER_TYPES = /^(?:(?:BearSSL::)?ESP8266WebServer(?:Secure)?|WebServer(?:Secure)?|ESP32WebServer|AsyncWebServer|PsychicHttpServer)$/;

/** Project fact: the names of plain-HTTP web server objects a file declares, for routes registered in other files. */
export const PLAIN_WEB_SERVERS: DeclaredObjects = {
  fact: 'plain-web-server',
  // Every server type's name contains one of these.
  typeWords: ['WebServer', 'PsychicHttpServer'],
  isType: (type) => SERVER_TYPES.test(type) && !/Secure$/.test(type),
};
const SERVER_HEADERS = /(?:^|\/)(?:WebServer|ESP8266WebServer|ESP8266WebServerSecure|ESPAsyncWebServer|WebServerSecure|ESP32WebServer)\.h$/;
/** A handler's parameter list that only an ESPAsyncWebServer request handler has. */
const ASYNC_HANDLER = /\bAsyncWebServerRequest\b/;
const METHOD = /^(?:HTTP_)?(GET|POST|PUT|PATCH|DELETE|OPTIONS|HEAD|ANY)$/;

export function arduinoRoutes(ctx: RuleContext): Route[] {
  const registrations = ctx.model.calls.filter((c) => c.name === 'on' && c.receiver?.kind === 'name' && c.args.length >= 2);
  if (!registrations.length) return [];
  const serverTypes = new Map<string, string>();
  const declared = new Set<string>();
  for (const v of ctx.model.variables) {
    declared.add(v.name);
    if (v.type && SERVER_TYPES.test(v.type)) serverTypes.set(v.name, v.type);
  }
  const includesServer = ctx.model.imports.some((i) => SERVER_HEADERS.test(i.module));
  const routes: Route[] = [];
  for (const call of registrations) {
    const path = routePath(ctx, call.args[0]);
    if (path === undefined) continue;
    const method = METHOD.exec(call.args.length > 2 ? call.args[1].text : '')?.[1] ?? (call.args.length > 2 ? undefined : 'ANY');
    if (!method) continue;
    const handlers = call.args.slice(method === 'ANY' && call.args.length === 2 ? 1 : 2).flatMap((a) => handlerOf(ctx, a));
    if (!handlers.length) continue;
    const receiver = call.receiver!.value ?? '';
    const type = serverTypes.get(receiver);
    const isServer = !!type || (includesServer && !serverTypes.size) || handlers.some((h) => ASYNC_HANDLER.test(signature(ctx, h)));
    if (isServer) routes.push({ span: call, path, method, handlers, plain: !/Secure$/.test(type ?? '') });
    // Declared here as something else, it is no web server; not declared here, a header may say it is one.
    else if (!declared.has(receiver)) routes.push({ span: call, path, method, handlers, plain: true, serverElsewhere: receiver });
  }
  return routes;
}

/**
 * ESPAsyncWebServer's JSON and MessagePack handlers: `server.addHandler(new AsyncCallbackJsonWebHandler("/api/x",
 * [](AsyncWebServerRequest *request, JsonVariant &json) {...}))`, or the handler kept in a variable and added later.
 * The object is a route as much as `server.on()` is; it takes POST, PUT and PATCH unless `setMethod` says otherwise.
 * A handler object never added to a server in this file serves nothing here; one given `setAuthentication` or an
 * authentication middleware is guarded.
 */
const BODY_HANDLER_TYPES = /^(?:AsyncCallbackJsonWebHandler|AsyncCallbackMessagePackWebHandler)$/;

export function bodyHandlerRoutes(ctx: RuleContext): Route[] {
  const creations = ctx.model.calls.filter((c) => c.isNew && BODY_HANDLER_TYPES.test(c.name) && c.args.length >= 2);
  if (!creations.length) return [];
  const adds = ctx.model.calls.filter((c) => c.name === 'addHandler' && c.args.length === 1);
  const serverTypes = new Map(ctx.model.variables.filter((v) => v.type && SERVER_TYPES.test(v.type)).map((v) => [v.name, v.type!]));
  const routes: Route[] = [];
  for (const creation of creations) {
    const path = routePath(ctx, creation.args[0]);
    const handler = handlerOf(ctx, creation.args[1])[0];
    if (path === undefined || !handler) continue;
    const variable = ctx.model.bindings.find((b) => b.value.call === creation)?.name;
    const add = adds.find((a) => within(creation, a.args[0]) || (!!variable && a.args[0].text.replace(/^&/, '') === variable));
    if (!add) continue;
    const onHandler = (c: Call) => !!variable && c.receiver?.text === variable;
    const onAdd = (c: Call) => c.receiver?.kind === 'call' && c.receiver.start === add.start;
    const guarded = ctx.model.calls.some((c) => (onHandler(c) || onAdd(c)) && /^(?:setAuthentication|addMiddleware)$/.test(c.name));
    if (guarded) continue;
    const setMethod = ctx.model.calls.find((c) => onHandler(c) && c.name === 'setMethod');
    const method = setMethod ? (METHOD.exec(setMethod.args[0]?.text ?? '')?.[1] ?? 'ANY') : 'POST';
    const type = serverTypes.get(add.receiver?.value ?? '');
    routes.push({ span: creation, path, method, handlers: [handler], plain: !/Secure$/.test(type ?? ''), bodyParam: handler.params[1] });
  }
  return routes;
}

function within(outer: Call, inner: Expr): boolean {
  return outer.start >= inner.start && outer.end <= inner.end;
}

/**
 * `"/json"`, or a constant that holds the path (`server.on(HTTP_ROUTE_COMMAND, ...)`), by its value when the file
 * defines it and by its name when a header does (the server's type already says this is a route).
 */
function routePath(ctx: RuleContext, arg: Expr | undefined): string | undefined {
  if (!arg) return undefined;
  const value = arg.kind === 'string' ? arg.value : ctx.flow.constant(arg)?.value;
  if (typeof value === 'string') return value.startsWith('/') ? value : undefined;
  return arg.kind === 'name' && /^[A-Z][A-Z0-9_]*$/.test(arg.text) ? arg.text : undefined;
}

/** The function a handler argument names, or the lambda written in place. */
function handlerOf(ctx: RuleContext, arg: Expr): FunctionDef[] {
  if (arg.kind === 'name') return [...functionsNamed(ctx.model, (arg.value ?? '').replace(/^&/, ''))].slice(0, 1);
  const lambda = ctx.model.functions.find((f) => f.start >= arg.start && f.end <= arg.end && !f.name);
  return lambda ? [lambda] : [];
}

/** A function's text up to its body: the parameter list. */
function signature(ctx: RuleContext, fn: FunctionDef): string {
  return ctx.text.content.slice(fn.start, fn.body?.start ?? Math.min(fn.end, fn.start + 200));
}

/** ESP-IDF: `httpd_register_uri_handler(server, &cmd_uri)` with `httpd_uri_t cmd_uri = { .uri = "/cmd", ... }`. */
export function idfRoutes(ctx: RuleContext): Route[] {
  const calls = ctx.model.calls.filter((c) => c.name === 'httpd_register_uri_handler');
  if (!calls.length) return [];
  const plain = !ctx.model.calls.some((c) => c.name === 'httpd_ssl_start');
  const routes: Route[] = [];
  for (const call of calls) {
    const table = call.args[1]?.text.replace(/^&\s*/, '');
    if (!table) continue;
    const fields = uriTable(ctx, table);
    const handler = fields.get('handler');
    const uri = fields.get('uri');
    if (!handler || uri?.kind !== 'string' || !uri.value?.startsWith('/')) continue;
    const handlers = handlerOf(ctx, handler);
    if (!handlers.length) continue;
    const method = METHOD.exec(fields.get('method')?.text ?? '')?.[1] ?? 'GET';
    routes.push({ span: call, path: uri.value, method, handlers, plain });
  }
  return routes;
}

/** The fields of an `httpd_uri_t` initializer or of assignments to its members (`uri.handler = fn`). */
function uriTable(ctx: RuleContext, name: string): Map<string, Expr> {
  const fields = new Map<string, Expr>();
  for (const b of ctx.model.bindings) {
    if (b.target === name && b.value.entries) for (const e of b.value.entries) fields.set(e.key.replace(/^\./, ''), e.value);
    else if (b.target.startsWith(`${name}.`)) fields.set(b.name, b.value);
  }
  return fields;
}

/**
 * `ElegantOTA.begin(&server)` without a user name and password and no `setAuth`: an open upload page. (An
 * `HTTPUpdateServer` set up without credentials is unsigned-firmware-update's, which reports it at the setup.)
 */
export function openUpdatePages(ctx: RuleContext): Call[] {
  const elegant = (c: Call) => /^(?:ElegantOTA|AsyncElegantOTA)$/.test(c.receiver?.text ?? '') && c.name === 'begin';
  const withAuth = ctx.model.calls.some((o) => o.name === 'setAuth' && /^(?:ElegantOTA|AsyncElegantOTA)$/.test(o.receiver?.text ?? ''));
  return withAuth ? [] : ctx.model.calls.filter((c) => elegant(c) && c.args.length < 3);
}
