/**
 * unauthenticated-device-endpoint, socket.io: a device's Node back end that takes commands as socket.io events
 * (`io.on('connection', (socket) => socket.on('calibrate', (bg) => transmitter.calibrate(bg)))`) is an endpoint
 * like an HTTP route, and socket.io lets any client connect and emit unless the server authenticates the
 * connection: middleware on the server or namespace (`io.use(...)` checking `socket.handshake.auth`), or a check in
 * the connection handler or the event's handler.
 */
import type { Call, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';
import { identifierWords } from '../_shared/identifier-words';
import { checksCredential, handlerPath, mentionsAuth } from './handler-path';

/** An event handler that takes commands, with what it calls on the device's objects. */
export interface CommandEvent {
  span: Span;
  event: string;
  command: string;
}

/** Events socket.io itself emits on a server-side socket: nothing a client sends as a command. */
const RESERVED_EVENTS = new Set(['disconnect', 'disconnecting', 'error', 'newListener', 'removeListener']);
/** Objects of the runtime and the language, not of the device: `JSON.parse`, `console.log`, `Math.round`. */
const BUILTIN_OBJECTS = new Set([
  'console',
  'JSON',
  'Math',
  'Object',
  'Array',
  'Promise',
  'Date',
  'String',
  'Number',
  'Buffer',
  'process',
  'this',
]);
/**
 * First words of methods that read, report or answer rather than act: a handler that only looks something up and
 * emits it back takes no command (what it serves is another question).
 */
const NON_COMMAND_WORDS = new Set([
  'get',
  'find',
  'read',
  'list',
  'fetch',
  'load',
  'query',
  'count',
  'has',
  'is',
  'to',
  'includes',
  'index',
  'on',
  'once',
  'off',
  'in',
  'join',
  'leave',
  'log',
  'debug',
  'info',
  'warn',
  'error',
  'trace',
  'format',
  'parse',
  'stringify',
  'then',
  'catch',
  'map',
  'filter',
  'for',
  'push',
  'pop',
  'slice',
  'split',
  'trim',
  'replace',
  'keys',
  'values',
  'entries',
]);
/** Addresses that keep a server off the network. */
const LOOPBACK = /^(?:127\.0\.0\.1|localhost|::1)$/;

/** Whether the file runs a socket.io server: it imports `socket.io` (the client package is `socket.io-client`). */
function importsSocketIoServer(ctx: RuleContext): boolean {
  return (
    ctx.model.imports.some((i) => i.module === 'socket.io') ||
    // `require('socket.io')(http)` called at once binds no name, so the model lists no import for it.
    ctx.model.calls.some((c) => c.callee === 'require' && c.args[0]?.value === 'socket.io')
  );
}

/**
 * The names the file gives socket.io's objects: the server (`const io = socketIO(server)`,
 * `require('socket.io')(http)`, `new Server(http)`) and its namespaces and rooms (`io.of('/cgm')`, `io.to(room)`). Their
 * `emit` answers clients; an `emit` on any other emitter (`bus.emit('eventToVentilator', msg)`) hands the event on.
 */
function socketIoObjects(ctx: RuleContext): Set<string> {
  const names = new Set<string>();
  const constructors = new Set(ctx.model.imports.filter((i) => i.module === 'socket.io' && i.local).map((i) => i.local!));
  for (let pass = 0; pass < 2; pass++) {
    for (const b of ctx.model.bindings) {
      const value = b.value.text.trim();
      const made = /^(?:new\s+)?([A-Za-z_$][\w$]*)\s*\(/.exec(value)?.[1];
      const scoped = /^([A-Za-z_$][\w$]*)(?:\.sockets)?\.(?:of|to|in)\s*\(/.exec(value)?.[1];
      if (/^require\(\s*['"]socket\.io['"]\s*\)/.test(value) || (made && constructors.has(made)) || (scoped && names.has(scoped)))
        names.add(b.target);
    }
  }
  return names;
}

/** The function written as a call's argument (`(socket) => { ... }`), if it is one. */
function functionAt(ctx: RuleContext, span: Span | undefined): FunctionDef | undefined {
  if (!span) return undefined;
  return ctx.model.functions.find((f) => f.start === span.start && f.end === span.end);
}

/** The function an argument names (`socket.on('calibrate', onCalibrate)`), when this file defines one by that name. */
function handlerOf(ctx: RuleContext, call: Call): FunctionDef | undefined {
  const arg = call.args[1];
  if (!arg) return undefined;
  return functionAt(ctx, arg) ?? (arg.kind === 'name' ? ctx.model.functions.find((f) => f.name === arg.text.trim()) : undefined);
}

/**
 * Server-wide authentication: middleware on the server or a namespace (`io.use((socket, next) => ...)`,
 * `nsp.use(authorize)`) that reads the handshake or names a credential check. Any `use` middleware whose code the file
 * holds is read; one whose code it does not hold (an imported `authorize`) is taken as a check by its name.
 */
function serverMiddlewareAuth(ctx: RuleContext, servers: ReadonlySet<string>): boolean {
  return ctx.model.calls.some((c) => {
    // Express middleware (`app.use(session(...))`) guards HTTP routes, not the socket.io connection.
    if (c.name !== 'use' || !c.receiver || !servers.has(rootOf(c.receiver.text))) return false;
    const text = c.args.map((a) => a.text).join(' ');
    return /\bhandshake\b/.test(text) || mentionsAuth(text);
  });
}

/** A `listen(port, '127.0.0.1')` in the file: the server answers only on the machine itself. */
function listensOnLoopbackOnly(ctx: RuleContext): boolean {
  return ctx.model.calls.some((c) => c.name === 'listen' && c.args.some((a) => a.kind === 'string' && LOOPBACK.test(a.value ?? '')));
}

/** Whether the connection handler authenticates the client before taking events: the handshake, a credential. */
function connectionChecksClient(ctx: RuleContext, connection: FunctionDef): boolean {
  const text = ctx.text.content.slice(connection.start, connection.end);
  return /\bhandshake\b/.test(text) || mentionsAuth(text);
}

/** The root name of a receiver (`transmitter` in `transmitter.calibrate`, `this.pump` → `this`). */
function rootOf(text: string): string {
  return text.trim().split(/[.[(?]/)[0];
}

/**
 * The first call on the handler's path that acts on an object of the device program: a method whose first word is
 * not a read, a reply or a log, on an object that is not the client's socket, the server, the event's own payload
 * or a local of the handler.
 */
function commandCall(ctx: RuleContext, handler: FunctionDef, exclude: ReadonlySet<string>): Call | undefined {
  const path = handlerPath(ctx, [handler]);
  if (checksCredential(path)) return undefined;
  const locals = new Set([...exclude, ...path.functions.flatMap((f) => f.params)]);
  for (const v of ctx.model.variables) if (v.fn && path.functions.includes(v.fn)) locals.add(v.name);
  for (const call of path.calls) {
    if (!call.receiver || call.receiver.kind !== 'name') continue;
    const root = rootOf(call.receiver.text);
    if (!root || locals.has(root) || BUILTIN_OBJECTS.has(root)) continue;
    const first = identifierWords(call.name)[0]?.toLowerCase();
    if (!first || NON_COMMAND_WORDS.has(first)) continue;
    return call;
  }
  return undefined;
}

/** socket.io event handlers that take commands with no authentication on the connection, the server or the handler. */
export function socketIoCommandEvents(ctx: RuleContext): CommandEvent[] {
  if (!importsSocketIoServer(ctx) || listensOnLoopbackOnly(ctx)) return [];
  const socketIo = socketIoObjects(ctx);
  for (const c of ctx.model.calls)
    if (c.name === 'on' && c.receiver && c.args[0]?.value === 'connection') socketIo.add(rootOf(c.receiver.text));
  if (serverMiddlewareAuth(ctx, socketIo)) return [];
  const out: CommandEvent[] = [];
  for (const on of ctx.model.calls) {
    if (on.name !== 'on' || !on.receiver || on.args[0]?.value !== 'connection') continue;
    const connection = functionAt(ctx, on.args[1]);
    const socket = connection?.params[0];
    if (!connection || !socket || connectionChecksClient(ctx, connection)) continue;
    const server = rootOf(on.receiver.text);
    for (const event of ctx.model.calls) {
      if (event.name !== 'on' || event.receiver?.text.trim() !== socket) continue;
      if (event.start < connection.start || event.end > connection.end) continue;
      const name = event.args[0]?.kind === 'string' ? event.args[0].value : undefined;
      if (!name || RESERVED_EVENTS.has(name)) continue;
      const handler = handlerOf(ctx, event);
      if (!handler) continue;
      const command = commandCall(ctx, handler, new Set([socket, server, ...socketIo]));
      if (command) out.push({ span: { start: event.start, end: event.args[0].end }, event: name, command: command.callee });
    }
  }
  return out;
}
