/**
 * bind-all-interfaces: where a server's listening address is the wildcard (0.0.0.0, ::, INADDR_ANY), per language.
 */
import type { ValueFlow } from '../../server/src/core/flow/value-flow';
import type { Call, CodeModel, Expr } from '../../server/src/core/model/types';
import type { Confidence, LanguageId, Span } from '../../server/src/core/types';
import { byLanguageFamily } from '../_shared/language-family';
import { hasMarkWithin, matchOffsets } from '../_shared/call-marks';
import { identifierWords } from '../_shared/identifier-words';
import { resolveHost } from './host-defaults';
import { wildcardNanoServers } from './nanohttpd';

export interface BindHit {
  span: Span;
  what: string;
  confidence: Confidence;
}

const WILDCARD_HOSTS: ReadonlySet<string> = new Set(['0.0.0.0', '::', '[::]', '0:0:0:0:0:0:0:0']);

/** The string a host expression holds: a literal, or a name bound only to one literal in this file (`HOST = "0.0.0.0"`). */
function hostString(expr: Expr | undefined, model: CodeModel): string | undefined {
  if (!expr) return undefined;
  if (expr.kind === 'string') return expr.value;
  if (expr.kind !== 'name') return undefined;
  const values = model.bindings.filter((b) => b.target === expr.text).map((b) => (b.value.kind === 'string' ? b.value.value : undefined));
  return values.length && values.every((v) => v !== undefined && v === values[0]) ? values[0] : undefined;
}

const isWildcard = (expr: Expr | undefined, model: CodeModel, allowEmpty = false) => {
  const host = hostString(expr, model);
  return host !== undefined && (WILDCARD_HOSTS.has(host) || (allowEmpty && host === ''));
};

const describe = (expr: Expr) => (expr.kind === 'string' ? `"${expr.value}"` : expr.text);

/**
 * The wildcard a host expression holds, followed by data flow where the file itself does not bind it to one literal
 * (host-defaults.ts): described as `args.host (the --host option's default "0.0.0.0")`; undefined when it is not one.
 */
function wildcardThroughFlow(expr: Expr | undefined, model: CodeModel, flow: ValueFlow, allowEmpty = false): string | undefined {
  if (!expr) return undefined;
  if (isWildcard(expr, model, allowEmpty)) return describe(expr);
  if (expr.kind !== 'name') return undefined;
  const host = resolveHost(expr, model, flow);
  if (!host || !(WILDCARD_HOSTS.has(host.value) || (allowEmpty && host.value === ''))) return undefined;
  return `${expr.text} (${host.via ?? 'set to'}: "${host.value}")`;
}

// ---- C / C++ ----------------------------------------------------------------------------------------------

const ANY_ADDRESS = /^(?:htonl\s*\(\s*INADDR_ANY\s*\)|INADDR_ANY|in6addr_any|IN6ADDR_ANY_INIT)$/;
const SOCKET_BIND = new Set(['bind', 'zsock_bind', 'lwip_bind']);
const LWIP_BIND: Readonly<Record<string, ReadonlySet<string>>> = {
  tcp_bind: new Set(['IP_ADDR_ANY', 'IP_ANY_TYPE', 'IP4_ADDR_ANY', 'IP6_ADDR_ANY', 'IP_ADDR_ANY_TYPE']),
  udp_bind: new Set(['IP_ADDR_ANY', 'IP_ANY_TYPE', 'IP4_ADDR_ANY', 'IP6_ADDR_ANY', 'IP_ADDR_ANY_TYPE']),
  netconn_bind: new Set(['IP_ADDR_ANY', 'IP_ANY_TYPE', 'IP4_ADDR_ANY', 'IP6_ADDR_ANY', 'NULL']),
};

function findNative(model: CodeModel, content: string): BindHit[] {
  const hits: BindHit[] = [];
  const bindCalls = model.calls.filter((c) => SOCKET_BIND.has(c.name) && !c.receiver);
  for (const b of model.bindings) {
    if (!/(?:^|\.)(?:s_addr|sin_addr|sin6_addr)$/.test(b.target) || !ANY_ADDRESS.test(b.value.text.trim())) continue;
    // Only an address that this function (or this file, for a file-scope initializer) goes on to bind(), to serve.
    const binds = bindCalls.filter((c) => b.fn === undefined || c.fn === b.fn);
    if (!binds.length || (b.fn && binds.every((c) => isNativePortProbe(c, model, content)))) continue;
    hits.push({
      span: b,
      what: `the socket address is \`${b.value.text.trim()}\` and is passed to \`bind()\`, so the server listens on every interface`,
      confidence: 'medium',
    });
  }
  for (const call of model.calls) {
    const any = Object.prototype.hasOwnProperty.call(LWIP_BIND, call.name) ? LWIP_BIND[call.name] : undefined;
    if (!any) continue; // before touching the arguments, which the model resolves on demand
    const address = call.args[1];
    if (!address || !any.has(address.text.trim())) continue;
    hits.push({ span: call, what: `\`${call.name}\` with \`${address.text.trim()}\` listens on every lwIP interface`, confidence: 'low' });
  }
  return hits;
}

// ---- Python -----------------------------------------------------------------------------------------------

const PY_SERVER_CLASS =
  /^(?:HTTPServer|ThreadingHTTPServer|TCPServer|UDPServer|ThreadingTCPServer|ThreadingUDPServer|ForkingTCPServer|WSGIServer|SimpleXMLRPCServer|SMTPServer)$/;

function findPython(model: CodeModel, flow: ValueFlow, hostMarks: number[]): BindHit[] {
  const hits: BindHit[] = [];
  for (const call of model.calls) {
    const host = hasMarkWithin(hostMarks, call) ? call.named.find((p) => p.key === 'host') : undefined;
    const namedHost = host && wildcardThroughFlow(host.value, model, flow);
    if (namedHost) {
      hits.push({ span: call, what: `\`${call.callee}(host=${namedHost})\` listens on every interface`, confidence: 'medium' });
      continue;
    }
    const first = call.args[0];
    const tupleHost =
      (call.name === 'bind' || PY_SERVER_CLASS.test(call.name)) && first?.kind === 'array' && first.elements?.length === 2
        ? wildcardThroughFlow(first.elements[0], model, flow, true)
        : undefined;
    if (tupleHost && !(call.name === 'bind' && isPythonPortProbe(call, model, flow))) {
      hits.push({ span: call, what: `\`${call.callee}\` with host ${tupleHost} listens on every interface`, confidence: 'medium' });
      continue;
    }
    const served =
      call.name === 'make_server'
        ? wildcardThroughFlow(first, model, flow, true)
        : call.name === 'start_server' || call.name === 'TCPSite' // asyncio, aiohttp: (handler or runner, host, port)
          ? wildcardThroughFlow(call.args[1], model, flow)
          : undefined;
    if (served) hits.push({ span: call, what: `\`${call.callee}\` with host ${served} listens on every interface`, confidence: 'medium' });
  }
  return hits;
}

// ---- TypeScript / JavaScript ------------------------------------------------------------------------------

function findNode(model: CodeModel, flow: ValueFlow): BindHit[] {
  const hits: BindHit[] = [];
  for (const call of model.calls) {
    if (call.name !== 'listen' && call.name !== 'bind') continue;
    const [first, second] = call.args;
    if (call.name === 'bind' && !(first?.kind === 'number' || (first?.kind === 'name' && /port/i.test(first.text)))) continue;
    const positional = wildcardThroughFlow(second, model, flow);
    if (positional) {
      hits.push({ span: call, what: `\`${call.callee}\` with host ${positional} listens on every interface`, confidence: 'medium' });
      continue;
    }
    const host = first?.kind === 'object' ? first.entries?.find((e) => e.key === 'host') : undefined;
    const entry = host && wildcardThroughFlow(host.value, model, flow);
    if (entry)
      hits.push({ span: call, what: `\`${call.callee}\` with \`host: ${entry}\` listens on every interface`, confidence: 'medium' });
  }
  return hits;
}

// ---- Java / Kotlin ----------------------------------------------------------------------------------------

const isPortLike = (expr: Expr | undefined) =>
  !!expr && (expr.kind === 'number' || (expr.kind === 'name' && !/addr|host|inet/i.test(expr.text)));

function findJvm(model: CodeModel, flow: ValueFlow, hostMarks: number[]): BindHit[] {
  const hits: BindHit[] = [];
  for (const call of model.calls) {
    const host = hasMarkWithin(hostMarks, call) ? call.named.find((p) => p.key === 'host') : undefined;
    if (host && isWildcard(host.value, model)) {
      hits.push({
        span: call,
        what: `\`${call.callee}(host = ${describe(host.value)})\` listens on every interface`,
        confidence: 'medium',
      });
    } else if (call.name === 'InetSocketAddress' && call.args.length === 2 && isWildcard(call.args[0], model)) {
      hits.push({
        span: call,
        what: `\`InetSocketAddress(${describe(call.args[0])}, ...)\` is the wildcard address, so the server listens on every interface`,
        confidence: 'medium',
      });
    } else if (
      call.name === 'InetSocketAddress' &&
      call.args.length === 1 &&
      isPortLike(call.args[0]) &&
      !isOutgoingLocalEnd(call, model, flow)
    ) {
      hits.push({
        span: call,
        what: '`InetSocketAddress(port)` is the wildcard address; a server bound to it listens on every interface',
        confidence: 'low',
      });
    } else if (call.name === 'getByName' && isWildcard(call.args[0], model)) {
      hits.push({ span: call, what: `\`InetAddress.getByName(${describe(call.args[0])})\` is the wildcard address`, confidence: 'medium' });
    } else if (
      (call.isNew || call.callee === 'ServerSocket') &&
      call.name === 'ServerSocket' &&
      call.args.length >= 1 &&
      call.args.length <= 2 &&
      isPortLike(call.args[0]) &&
      !isPortProbe(flow.uses(call))
    ) {
      hits.push({ span: call, what: '`new ServerSocket(port)` without a bind address listens on every interface', confidence: 'low' });
    }
  }
  return hits;
}

/** `class Api(port: Int) : NanoHTTPD(port)`, `super(port)`: an embedded HTTP server with no host name. */
function findNanoServers(model: CodeModel, content: string): BindHit[] {
  return wildcardNanoServers(model, content).map(({ span, args }) => ({
    span,
    what: `\`${content.startsWith('super', span.start) ? 'super' : 'NanoHTTPD'}(${args})\` gives NanoHTTPD no host name, so its HTTP server listens on every interface`,
    confidence: 'medium' as const,
  }));
}

/**
 * The address is the local end of an outgoing connection: a socket or channel binds it and is then `connect()`ed
 * to one peer (`channel.bind(local); channel.connect(monitor)`, directly or in a helper it is passed to). A
 * connected socket takes datagrams and connections from that peer only, so binding every interface serves nobody.
 */
function isOutgoingLocalEnd(address: Call, model: CodeModel, flow: ValueFlow): boolean {
  return flow.uses(address).some(({ call: bind, slot }) => {
    const socket = bind.receiver?.text;
    if (bind.name !== 'bind' || slot !== 0 || !socket) return false;
    return model.calls.some((c) => c.name === 'connect' && c.fn === bind.fn && c.start > bind.end && c.receiver?.text === socket);
  });
}

/**
 * `host = ...` as a named argument has the word in the call's text: only such calls are asked for their named
 * arguments, which spares resolving every call's arguments (Python and Kotlin have named arguments).
 */
export function findWildcardBinds(language: LanguageId, model: CodeModel, flow: ValueFlow, content: string): BindHit[] {
  const hostMarks = () => matchOffsets(content, /host/g);
  return byLanguageFamily<BindHit[]>(
    language,
    {
      native: () => findNative(model, content),
      python: () => findPython(model, flow, hostMarks()),
      js: () => findNode(model, flow),
      jvm: () => [...findJvm(model, flow, hostMarks()), ...findNanoServers(model, content)],
    },
    [],
  );
}

// ---- port probes ------------------------------------------------------------------------------------------

/** What a socket opened only to see whether a port is free does with it: close it (Kotlin `.use { }`), ask about it. */
const PROBE_USES = /^(?:use|close|isBound|getLocalPort|localPort|getsockname|setsockopt|setReuseAddress|settimeout|bind)$/;

/**
 * A socket that is opened and closed at once, never listened on nor accepted from: a check that the port is
 * free (`ServerSocket(port).use { true }`), not a server. Needs the close in sight; a socket handed elsewhere
 * or kept open stays a server.
 */
function isPortProbe(uses: readonly { call: Call; slot: number | string }[]): boolean {
  if (!uses.length) return false;
  const own = uses.filter((u) => u.slot === 'receiver');
  // `ServerSocket(port).use { it.accept() }` serves inside the block.
  if (own.some((u) => u.call.args.some((arg) => /\b(?:accept|listen|recv\w*|serve\w*)\s*\(/.test(arg.text)))) return false;
  return (
    own.length === uses.length && own.every((u) => PROBE_USES.test(u.call.name)) && own.some((u) => /^(?:use|close)$/.test(u.call.name))
  );
}

/** C socket calls a port check makes: create, set options, bind, ask for the bound address, close. */
const NATIVE_PROBE_CALLS = new Set(['socket', 'setsockopt', 'getsockname', 'fcntl', 'ioctlsocket', ...SOCKET_BIND]);
/** The socket a C/C++ `bind` is given, through a cast: `fd`, `(int)fd`, `static_cast<int>(fd)`. */
const BOUND_SOCKET = /^(?:\w+_cast\s*<[^<>]*>\s*\((\w+)\)|\([\w\s*]+\)\s*(\w+)|(\w+))$/;
const WORDS = /\W+/;

/**
 * `fd = socket(...); bind(fd, any); close(fd)` with no listen, accept, read or write, the socket neither returned
 * nor copied elsewhere: a check that the port is free (a service's preflight), not a server. A call that only
 * wraps an allowed one (`ASSERT_EQ(bind(fd, ...), 0)`) is that call; a project's own `closeSock(fd)` closes.
 */
function isNativePortProbe(bind: Call, model: CodeModel, content: string): boolean {
  const fn = bind.fn;
  const match = BOUND_SOCKET.exec((bind.args[0]?.text ?? '').trim());
  const name = match?.[1] ?? match?.[2] ?? match?.[3];
  if (!fn || !name) return false;
  const mentions = (e: Expr) => e.text.split(WORDS).includes(name);
  const closes = (c: Call) => identifierWords(c.name).includes('close');
  let closed = false;
  for (const call of fn.calls) {
    const args = call.args.filter(mentions);
    // `static_cast<int>(fd)` hands the socket on to the call around it, which is judged instead.
    if (!args.length || call.name.endsWith('_cast')) continue;
    if (closes(call)) closed = true;
    else if (!NATIVE_PROBE_CALLS.has(call.name) && !args.every((a) => a.kind === 'call' && !!a.call && NATIVE_PROBE_CALLS.has(a.call.name)))
      return false;
  }
  // Returned or copied into another variable or a field: used somewhere this function does not show.
  const escapes = model.bindings.some(
    (b) => b.fn === fn && b.target !== name && BOUND_SOCKET.exec(b.value.text.trim())?.slice(1).includes(name),
  );
  const returned = content
    .slice(fn.start, fn.end)
    .split(/\breturn\b/)
    .slice(1)
    .some((rest) => rest.split(';')[0].split(WORDS).includes(name));
  return closed && !escapes && !returned;
}

/** `s = socket.socket(); s.bind(("", port)); s.close()` with no listen, accept or read in between. */
function isPythonPortProbe(bind: Call, model: CodeModel, flow: ValueFlow): boolean {
  const name = bind.receiver?.kind === 'name' ? bind.receiver.value : undefined;
  if (!name) return false;
  const created = model.bindings
    .filter((b) => b.target === name && b.fn === bind.fn && b.start < bind.start && b.value.kind === 'call')
    .pop();
  return !!created && isPortProbe(flow.uses(created.value));
}
