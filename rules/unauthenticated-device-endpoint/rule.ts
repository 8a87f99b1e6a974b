/**
 * unauthenticated-device-endpoint: a web server on the device (Arduino `WebServer`, ESPAsyncWebServer, ESP-IDF
 * httpd, Flask/FastAPI on embedded Linux) whose route takes a firmware image, accepts a command or a setting, or
 * serves health data, on a path that checks no credential.
 */
import type { Call, Expr, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext, Severity } from '../../server/src/core/types';
import { arduinoRoutes, bodyHandlerRoutes, idfRoutes, openUpdatePages, PLAIN_WEB_SERVERS, type Route } from './arduino-routes';
import { pythonRoutes } from './python-routes';
import { socketIoCommandEvents, type CommandEvent } from './socket-events';
import {
  builtAtRunTime,
  changesState,
  checksCredential,
  deletesStoredData,
  handlerPath,
  mentionsAuth,
  namesHealthData,
  readsRequest,
  writesFirmware,
  type HandlerPath,
} from './handler-path';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';
import { declaredElsewhere, provideDeclaredObjects } from '../_shared/objects-declared-elsewhere';

export default defineRule({
  meta: {
    id: 'unauthenticated-device-endpoint',
    title: 'Device web endpoint for updates, commands or health data without authentication',
    severity: 'high',
    confidence: 'medium',
    languages: ['c', 'cpp', 'python', 'typescript', 'javascript'],
    cwe: [306, 319],
    fda: ['app1.A.1', 'app1.A.4', 'app1.B.1', 'app1.E.1', '524b.b2'],
    sees: {
      'app1.A.1': 'device web endpoints that take commands, settings or firmware with no authentication',
      'app1.A.4': 'firmware upload pages and handlers served without a credential',
      'app1.B.1': 'device web routes that change settings or serve health data to anyone who asks',
      'app1.E.1': 'health data served by the device over plain HTTP to unauthenticated clients',
    },
    iec62443: ['CR 1.2', 'CR 2.1', 'CR 4.1'],
    fix: 'none',
    presets: ['recommended'],
    docs,
  },
  check(ctx) {
    if (ctx.language === 'javascript' || ctx.language === 'typescript') {
      for (const event of socketIoCommandEvents(ctx)) reportCommandEvent(ctx, event);
      return;
    }
    if (ctx.language === 'python') {
      const { routes, appWideChecks } = pythonRoutes(ctx);
      if (mentionsAuth(appWideChecks)) return;
      for (const route of routes) judge(ctx, route, ctx.text.content.slice(route.span.end, route.handlers[0].body?.start));
      return;
    }
    provideDeclaredObjects(ctx, PLAIN_WEB_SERVERS);
    if (serverWideAuth(ctx)) return;
    for (const route of [...arduinoRoutes(ctx), ...bodyHandlerRoutes(ctx), ...idfRoutes(ctx)]) judge(ctx, route, '');
    for (const setup of openUpdatePages(ctx)) reportOpenUpdater(ctx, setup);
  },
});

/** What the route does that needs a credential, worst first. */
interface Critical {
  what: string;
  severity: Severity;
}

function judge(ctx: RuleContext, route: Route, decorators: string): void {
  if (route.method === 'OPTIONS' || route.method === 'HEAD') return;
  if (mentionsAuth(decorators) || guardedByChain(ctx, route)) return;
  const path = handlerPath(ctx, route.handlers);
  if (checksCredential(path)) return;
  const critical = criticalFunction(ctx, route, path);
  if (!critical) return;
  const plain = route.plain ? ', over plain HTTP,' : '';
  ctx.report({
    span: route.span,
    severity: critical.severity,
    message: `The route \`${route.method === 'ANY' ? '' : `${route.method} `}${route.path}\` ${critical.what}${plain} and nothing on its handler's path checks a credential: anyone who can reach the device's network can use it. Require authentication (HTTP digest or basic auth over TLS, or a per-device token checked in the handler) before it runs.`,
    ...(route.serverElsewhere ? { when: declaredElsewhere(PLAIN_WEB_SERVERS, route.serverElsewhere) } : {}),
  });
}

function criticalFunction(ctx: RuleContext, route: Route, path: HandlerPath): Critical | undefined {
  if (writesFirmware(path)) return { what: 'accepts a firmware image', severity: 'high' };
  const input = readsRequest(path) || readsBodyParam(ctx, route);
  if (input && (changesState(ctx, path) || /^(?:POST|PUT|PATCH|DELETE)$/.test(route.method)))
    return { what: 'accepts commands or settings from the request', severity: 'high' };
  if (route.method === 'DELETE') return { what: 'deletes device state', severity: 'high' };
  if (deletesStoredData(path)) return { what: 'deletes data the device keeps', severity: 'high' };
  if (servesHealthData(ctx, route, path)) return { what: 'serves health or sensor data built at run time', severity: 'medium' };
  return undefined;
}

/** The text with the content of every double-quoted literal blanked (`"application/json"` names no `json`). */
function withoutStrings(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      inString = !inString;
      out += ch;
    } else if (!inString) out += ch;
    else if (ch === '\\') i++; // an escaped character stays inside the literal
  }
  return out;
}

/**
 * Whether the handler reads the parsed body its framework hands it (`json["rate"]`, `json.as<JsonObject>()`): a
 * call on it, or a value built from it, inside the handler.
 */
function readsBodyParam(ctx: RuleContext, route: Route): boolean {
  const name = route.bodyParam;
  const handler = route.handlers[0];
  if (!name || !handler?.body) return false;
  const inBody = (s: { start: number; end: number }) => s.start >= handler.body!.start && s.end <= handler.body!.end;
  const uses = new RegExp(`(?<![\\w.>])${name}\\b`);
  const mentions = (e: Expr | undefined) => !!e && e.kind !== 'string' && uses.test(withoutStrings(e.text));
  return (
    ctx.model.calls.some((c) => inBody(c) && (mentions(c.receiver) || c.args.some(mentions))) ||
    ctx.model.bindings.some((b) => inBody(b) && mentions(b.value))
  );
}

/** Response-sending calls and the argument that is the body. */
const BODY_ARG: Readonly<Record<string, number>> = { send: 2, send_P: 2, httpd_resp_send: 1, httpd_resp_sendstr: 1 };

function servesHealthData(ctx: RuleContext, route: Route, path: HandlerPath): boolean {
  const bodies =
    ctx.language === 'python'
      ? route.handlers.flatMap((h) => h.returns)
      : path.calls.flatMap((c: Call) => (BODY_ARG[c.name] !== undefined ? [c.args[BODY_ARG[c.name]]] : [])).filter((b) => !!b);
  if (!bodies.some((b) => builtAtRunTime(ctx, b))) return false;
  return namesHealthData(`${route.path} ${path.functions.map((f) => pathText(ctx, f)).join(' ')}`);
}

/** The text of a function on the path, bounded: a tie-breaker needs the names near the response, not a whole file. */
function pathText(ctx: RuleContext, fn: FunctionDef): string {
  return ctx.text.content.slice(fn.start, Math.min(fn.end, fn.start + 4000));
}

/** ESPAsyncWebServer `server.on(...).setAuthentication(user, pass)` / `.addMiddleware(&auth)` on the route. */
function guardedByChain(ctx: RuleContext, route: Route): boolean {
  return ctx.model.calls.some(
    (c) => c.receiver?.kind === 'call' && c.receiver.start === route.span.start && /^(?:setAuthentication|addMiddleware)$/.test(c.name),
  );
}

/** Authentication the whole server applies: ESPAsyncWebServer middleware, a server-wide `setAuthentication`. */
function serverWideAuth(ctx: RuleContext): boolean {
  return ctx.model.variables.some((v) => /^(?:AsyncAuthenticationMiddleware|AsyncBasicAuthMiddleware)$/.test(v.type ?? ''));
}

function reportOpenUpdater(ctx: RuleContext, begin: Call): void {
  ctx.report({
    span: begin,
    message: `\`${begin.callee}()\` serves the firmware upload page without a user name and password: anyone on the device's network can install their own firmware. Pass a per-device user name and password to \`begin()\` or \`setAuth()\` (and serve it over TLS), and verify the image's signature before it boots.`,
  });
}

function reportCommandEvent(ctx: RuleContext, event: CommandEvent): void {
  ctx.report({
    span: event.span,
    message: `The socket.io event \`${event.event}\` commands the device (\`${event.command}()\`), and neither server middleware, the connection handler nor the event's handler checks a credential: any client that reaches the server can connect and send it. Authenticate the connection (\`io.use()\` middleware that checks a per-device token from \`socket.handshake.auth\`, over TLS) before it takes events.`,
  });
}
