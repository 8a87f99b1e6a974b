/**
 * `cleartext-service-enabled`: telnet, FTP and unauthenticated management servers that a device or its tooling
 * starts, in firmware configuration (Zephyr Kconfig, FreeRTOS+TCP `#define`s) and in code (Arduino/ESP
 * libraries, pyftpdlib, telnetlib3, ftp-srv, Apache FtpServer).
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { Fix, ProjectConditions, RuleContext, Span } from '../../server/src/core/types';
import { ValueIndex } from '../_shared/values';
import { replaceFix } from '../_shared/syntax';
import { declaredElsewhere, provideDeclaredObjects, type DeclaredObjects } from '../_shared/objects-declared-elsewhere';
import { findMosquittoOpenBroker } from './mosquitto-config';

export interface CleartextServiceFinding {
  span: Span;
  message: string;
  fix?: Fix;
  when?: ProjectConditions;
}

const TELNET = 'telnet sends the session, including any login and every command, in clear text and usually has no authentication at all';
const FTP = 'FTP sends user names, passwords and files in clear text';

// ---------------------------------------------------------------- Kconfig

const KCONFIG_SERVICES: Record<string, string> = {
  CONFIG_SHELL_BACKEND_TELNET: `the Zephyr shell over telnet (port 23): ${TELNET}, so anyone on the network gets the device shell`,
  CONFIG_TELNET_CONSOLE: `the Zephyr telnet console: ${TELNET}`,
  CONFIG_MCUMGR_TRANSPORT_UDP:
    'MCUmgr over plain UDP: SMP requests (image upload, reset, shell and file commands) are accepted from anyone on the network with no authentication or encryption',
  CONFIG_MCUMGR_SMP_UDP:
    'MCUmgr over plain UDP (older option name): SMP requests (image upload, reset, shell and file commands) are accepted from anyone on the network with no authentication or encryption',
};

/** The pre-filter of a Kconfig fragment (meta.needs): a finding is one of these keys set to `y`. */
export const KCONFIG_NEEDS: readonly string[] = [
  ...Object.keys(KCONFIG_SERVICES).map((key) => key.replace(/^CONFIG_/, '')),
  'allow_anonymous', // findMosquittoOpenBroker: a mosquitto.conf reads as a `.conf` configuration file
];

export function findKconfigCleartextServices(ctx: RuleContext): CleartextServiceFinding[] {
  const out: CleartextServiceFinding[] = findMosquittoOpenBroker(ctx);
  for (const entry of ctx.model.config) {
    const what = KCONFIG_SERVICES[entry.key];
    if (!what || entry.value !== 'y') continue;
    out.push({
      span: entry,
      message: `${entry.key}=y enables ${what}. Disable it in production builds, or use an authenticated, encrypted channel (SMP over BLE with pairing, or a DTLS/TLS transport).`,
      fix: replaceFix(`Disable ${entry.key}`, entry, `# ${entry.key} is not set`, 'suggestion'),
    });
  }
  return out;
}

// ---------------------------------------------------------------- C and C++

/** Arduino/ESP network server classes whose constructor takes the port. */
const SERVER_CLASSES = new Set(['WiFiServer', 'EthernetServer', 'AsyncServer']);
/** Library objects that are telnet or FTP servers by construction (ESPTelnet, TelnetStream, ESP8266FtpServer, SimpleFTPServer). */
const SERVER_OBJECT_TYPES: Record<string, string> = {
  ESPTelnet: TELNET,
  ESPTelnetStream: TELNET,
  FtpServer: FTP,
};
const SERVER_SINGLETONS: Record<string, string> = { TelnetStream: TELNET };
const TELNET_PORT = 23;

function isTelnetPort(values: ValueIndex, expr: Expr | undefined, at?: { fn?: Call['fn'] }): boolean {
  return values.intOf(expr, at)?.value === TELNET_PORT;
}

/**
 * The pre-filter of a C or C++ file (meta.needs): every finding names `ipconfigUSE_FTP`, `eSERVER_FTP`, a server
 * class or a call `x.begin(...)`, and the project fact is provided only where a server type's name occurs.
 */
export const NATIVE_NEEDS: readonly string[] = [
  'ipconfigUSE_FTP',
  'eSERVER_FTP',
  ...SERVER_CLASSES,
  '<begin>',
  ...Object.keys(SERVER_OBJECT_TYPES),
  ...Object.keys(SERVER_SINGLETONS),
];

export function findNativeCleartextServices(ctx: RuleContext): CleartextServiceFinding[] {
  const out: CleartextServiceFinding[] = [];
  const values = new ValueIndex(ctx.model);
  // FreeRTOS+TCP: `#define ipconfigUSE_FTP 1` builds the FTP server; `.eType = eSERVER_FTP` starts it.
  for (const b of ctx.model.bindings) {
    if (b.kind === 'define' && b.name === 'ipconfigUSE_FTP' && values.intOf(b.value)?.value === 1) {
      out.push({
        span: b.value,
        message: `ipconfigUSE_FTP 1 builds the FreeRTOS+TCP FTP server: ${FTP}, and its file access reaches device storage. Set it to 0 for production, or move file transfer to an authenticated TLS channel.`,
        fix: replaceFix('Leave the FTP server out (0)', b.value, '0', 'suggestion'),
      });
    } else if (b.kind === 'property' && b.name === 'eType' && b.value.kind === 'name' && b.value.value === 'eSERVER_FTP') {
      out.push({
        span: b.value,
        message: `eSERVER_FTP starts the FreeRTOS+TCP FTP server: ${FTP}. Remove it from the server table for production builds.`,
      });
    }
  }
  // Arduino: `WiFiServer telnetServer(23);` (a declaration with constructor arguments) or `WiFiServer(23)`.
  // The file's variable types, read only when a server class or a `begin` call asks: most C files have neither,
  // and the variable table is a part of the model built on first read.
  const content = ctx.text.content;
  let types: Map<string, string> | undefined;
  const typeOf = () => (types ??= new Map(ctx.model.variables.map((v) => [v.name, v.type ?? ''])));
  const namesServerClass = [...SERVER_CLASSES].some((name) => content.includes(name));
  for (const b of namesServerClass ? ctx.model.bindings : []) {
    if (b.kind !== 'declaration' || !SERVER_CLASSES.has(typeOf().get(b.name) ?? '')) continue;
    if (b.value.kind === 'number' && isTelnetPort(values, b.value, b)) {
      out.push({
        span: b.targetSpan,
        message: `${typeOf().get(b.name)} ${b.name} listens on port 23, the telnet port: ${TELNET}. Remove the console server from production firmware or put it behind TLS and authentication.`,
      });
    }
  }
  for (const call of ctx.model.calls) {
    if (SERVER_CLASSES.has(call.name) && !call.receiver && isTelnetPort(values, call.args[0], call)) {
      out.push({
        span: call,
        message: `${call.name}(23) listens on the telnet port: ${TELNET}. Remove the console server from production firmware or put it behind TLS and authentication.`,
      });
    } else if (call.name === 'begin' && call.receiver?.kind === 'name') {
      const receiver = call.receiver.value ?? '';
      const why = SERVER_OBJECT_TYPES[typeOf().get(receiver) ?? ''] ?? SERVER_SINGLETONS[receiver];
      if (!why) {
        if (!typeOf().has(receiver)) out.push(serverDeclaredElsewhere(call, receiver));
        continue;
      }
      const kind = why === FTP ? 'an FTP server' : 'a telnet server';
      out.push({
        span: call,
        message: `${receiver}.begin() starts ${kind}: ${why}. Remove it from production firmware, or use an authenticated, encrypted channel for maintenance.`,
      });
    }
  }
  provideDeclaredObjects(ctx, SERVER_OBJECTS);
  return out;
}

/** Project fact: names of FTP and telnet server objects declared in a file of the project (a class member in a header). */
const SERVER_OBJECTS: DeclaredObjects = {
  fact: 'cleartext-server-objects',
  typeWords: Object.keys(SERVER_OBJECT_TYPES),
  isType: (type) => Object.hasOwn(SERVER_OBJECT_TYPES, type),
};

/**
 * `ftpServer.begin(user, pass)` in a class's source file, the object a member its header declares
 * (`FtpServer ftpServer;`): reported when a file of the project declares a server object of that name.
 */
function serverDeclaredElsewhere(call: Call, receiver: string): CleartextServiceFinding {
  return {
    span: call,
    message: `${receiver}.begin() starts the FTP or telnet server that another file of the project declares as \`${receiver}\`: ${FTP}, and telnet sends the whole session so. Remove it from production firmware, or use an authenticated, encrypted channel for maintenance.`,
    when: declaredElsewhere(SERVER_OBJECTS, receiver),
  };
}

// ---------------------------------------------------------------- Python

export function findPythonCleartextServices(ctx: RuleContext): CleartextServiceFinding[] {
  const out: CleartextServiceFinding[] = [];
  const modules = new Map<string, string>();
  for (const imp of ctx.model.imports) if (imp.local) modules.set(imp.local, imp.name ? `${imp.module}.${imp.name}` : imp.module);
  const canonical = (callee: string): string => {
    const [head, ...rest] = callee.split('.');
    const resolved = modules.get(head);
    return resolved ? [resolved, ...rest].join('.') : callee;
  };
  const values = new ValueIndex(ctx.model);
  for (const call of ctx.model.calls) {
    const name = canonical(call.callee);
    if (/^pyftpdlib\.servers\.(?:FTPServer|ThreadedFTPServer|MultiprocessFTPServer)$/.test(name)) {
      const handler = call.args[1] ?? call.named.find((p) => p.key === 'handler')?.value;
      const resolved = handler?.kind === 'name' ? values.resolve(handler, call) : handler;
      const handlerName = canonical(resolved?.kind === 'name' ? (resolved.value ?? '') : (resolved?.call?.callee ?? ''));
      if (/TLS_FTPHandler$/.test(handlerName) || /TLS_FTPHandler/.test(handler?.text ?? '')) continue;
      out.push({
        span: call.calleeSpan,
        message: `pyftpdlib ${call.name} with a plain FTPHandler: ${FTP}. Use pyftpdlib.handlers.TLS_FTPHandler with tls_control_required and tls_data_required, or SFTP.`,
      });
    } else if (/^telnetlib3\.(?:create_server|run_server|server\.create_server)$/.test(name)) {
      out.push({
        span: call.calleeSpan,
        message: `telnetlib3 ${call.name}() starts a telnet server: ${TELNET}. Offer maintenance over SSH or an authenticated TLS API instead.`,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------- Node

export function findNodeCleartextServices(ctx: RuleContext): CleartextServiceFinding[] {
  const out: CleartextServiceFinding[] = [];
  const ftpLocals = new Set(ctx.model.imports.filter((i) => i.module === 'ftp-srv' && i.local).map((i) => i.local!));
  for (const imp of ctx.model.imports) if (imp.module === 'ftp-srv' && imp.name === 'FtpSrv' && imp.local) ftpLocals.add(imp.local);
  for (const call of ctx.model.calls) {
    if (!call.isNew || !(ftpLocals.has(call.callee) || (call.callee.endsWith('.FtpSrv') && ftpLocals.has(call.callee.split('.')[0]))))
      continue;
    const options = call.args[0];
    const tls = options?.entries?.find((p) => p.key === 'tls');
    if (tls && !(tls.value.kind === 'boolean' && tls.value.text === 'false')) continue;
    out.push({
      span: call.calleeSpan,
      message: `new ${call.callee}() without a tls option starts a plain FTP server: ${FTP}. Pass tls: { key, cert } and refuse unencrypted logins, or use SFTP.`,
    });
  }
  return out;
}

// ---------------------------------------------------------------- Java and Kotlin

export function findJvmCleartextServices(ctx: RuleContext): CleartextServiceFinding[] {
  const out: CleartextServiceFinding[] = [];
  const usesTls =
    ctx.model.calls.some((c) => c.name === 'setSslConfiguration' || c.name === 'setImplicitSsl') ||
    ctx.model.bindings.some((b) => b.name === 'sslConfiguration' || b.name === 'isImplicitSsl' || b.name === 'implicitSsl');
  if (usesTls) return out;
  const values = new ValueIndex(ctx.model);
  for (const call of ctx.model.calls) {
    if (call.name !== 'createServer' || !call.receiver) continue;
    const receiver = call.receiver.kind === 'name' ? values.resolve(call.receiver, call) : call.receiver;
    const fromFactory =
      /\bFtpServerFactory\b/.test(`${call.receiver.text} ${receiver?.text ?? ''}`) ||
      ctx.model.variables.some((v) => v.name === call.receiver!.text && v.type === 'FtpServerFactory');
    if (!fromFactory) continue;
    out.push({
      span: call.calleeSpan,
      message: `Apache FtpServer created without an SSL configuration serves plain FTP: ${FTP}. Give the listener an SslConfiguration (explicit or implicit FTPS) or use SFTP.`,
    });
  }
  return out;
}
