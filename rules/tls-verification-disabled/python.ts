/** `tls-verification-disabled` for Python: requests, httpx, aiohttp, urllib3, ssl, pycurl, websocket-client. */
import type { Call, Expr, Property } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { isFalseLiteral, isOffLiteral, lastSegment, replaceFix, type TlsFinding } from '../_shared/syntax';
import { falseValueOf, provideSettingValues, type FalseValue } from './python-settings';

/** Calls that take `verify=` for TLS (requests, httpx, boto3) — not e.g. `jwt.decode(verify=False)`. */
const HTTP_CALL_NAMES = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'head',
  'options',
  'request',
  'send',
  'stream',
  'Client',
  'AsyncClient',
  'client',
  'resource',
  'AsyncHTTPTransport',
  'HTTPTransport',
]);
const HTTP_MODULES = /^(?:requests|httpx)\./;
/** aiohttp takes `ssl=False` (and the older `verify_ssl=False`) on requests and connectors. */
const AIOHTTP_CALL_NAMES = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'ws_connect', 'TCPConnector']);
const UNVERIFIED_CONTEXT = new Set(['_create_unverified_context', '_create_stdlib_context']);

// ssl.CERT_NONE on a server context only means "do not ask for client certificates".
const SERVER_SIDE = /\b(?:PROTOCOL_TLS_SERVER|Purpose\.CLIENT_AUTH)\b|\bserver_side\s*=\s*True\b/;
const CLIENT_SIDE = /\b(?:PROTOCOL_TLS_CLIENT|Purpose\.SERVER_AUTH)\b|\bserver_hostname\s*=/;

function isCertNone(expr: Expr): boolean {
  if (expr.kind === 'name') return lastSegment(expr.value ?? '') === 'CERT_NONE';
  return expr.kind === 'string' && expr.value === 'CERT_NONE';
}

function certNoneFinding(expr: Expr, where: string): TlsFinding {
  const start = expr.kind === 'string' ? expr.content!.start : expr.end - 'CERT_NONE'.length;
  const span = { start, end: start + 'CERT_NONE'.length };
  return {
    span: expr,
    message: `ssl.CERT_NONE ${where} turns off server certificate verification, so anyone on the network can impersonate the server; use ssl.CERT_REQUIRED.`,
    fix: replaceFix('Require a valid certificate (CERT_REQUIRED)', span, 'CERT_REQUIRED'),
  };
}

/** opensearch-py and elasticsearch-py clients and connections take `verify_certs=False`. */
const SEARCH_CLIENT_NAMES = new Set([
  'OpenSearch',
  'AsyncOpenSearch',
  'Elasticsearch',
  'AsyncElasticsearch',
  'RequestsHttpConnection',
  'Urllib3HttpConnection',
  'AIOHttpConnection',
]);

/** The keyword that switches certificate checks off in this call (`verify`, aiohttp's `ssl`), if it is one. */
function verifySwitch(call: Call, key: string, usesAiohttp: boolean): boolean {
  if (key === 'verify') return HTTP_MODULES.test(call.callee) || HTTP_CALL_NAMES.has(call.name);
  if (key === 'ssl' || key === 'verify_ssl')
    return call.callee.startsWith('aiohttp.') || (usesAiohttp && AIOHTTP_CALL_NAMES.has(call.name));
  return key === 'verify_certs' && SEARCH_CLIENT_NAMES.has(call.name);
}

function keywordArguments(ctx: RuleContext, call: Call, usesAiohttp: boolean, out: TlsFinding[]): void {
  for (const arg of call.named) {
    const isSwitch = verifySwitch(call, arg.key, usesAiohttp);
    if (isSwitch && isFalseLiteral(arg.value)) out.push(falseSwitchFinding(call, arg));
    else if (isSwitch) {
      const value = falseValueOf(ctx, arg.value);
      if (value) out.push(falseValueFinding(call, arg, value));
    } else if (arg.key === 'cert_reqs' && isCertNone(arg.value) && !serverFile(ctx)) {
      out.push(certNoneFinding(arg.value, `passed as cert_reqs to ${call.callee}()`));
    }
  }
}

function falseSwitchFinding(call: Call, arg: Property): TlsFinding {
  if (arg.key === 'verify') {
    return {
      span: arg,
      message: `verify=False makes ${call.callee}() accept any server certificate, so patient data and commands can be read or altered in transit; remove it or pass the CA bundle path.`,
      fix: replaceFix('Verify the server certificate (verify=True)', arg.value, 'True'),
    };
  }
  if (arg.key === 'verify_certs') {
    return {
      span: arg,
      message: `verify_certs=False makes ${call.callee}() accept any server certificate, so anyone on the network can pose as the search cluster and read or alter the records sent to it; remove it and pass ca_certs.`,
      fix: replaceFix('Verify the server certificate (verify_certs=True)', arg.value, 'True'),
    };
  }
  return {
    span: arg,
    message: `${arg.key}=False makes aiohttp skip certificate verification, so anyone on the network can impersonate the server; remove it or pass an ssl.SSLContext with the right CA.`,
    fix: replaceFix(`Verify the server certificate (${arg.key}=True)`, arg.value, 'True'),
  };
}

/** A switch given a name whose value is False: in this file, or a setting another file defaults to False. */
function falseValueFinding(call: Call, arg: Property, value: FalseValue): TlsFinding {
  const accepts = 'accepts any server certificate (patient data and commands can then be read or altered in transit)';
  const effect = `${call.callee}() ${accepts}`;
  if (value.kind === 'local' && value.parameterDefault) {
    const param = value.parameterDefault;
    return {
      span: param,
      message: `${param.name}=False is the default of a parameter that reaches ${call.callee}(${arg.key}=…), so every caller that does not pass it gets a client that ${accepts}; default it to True (or the CA bundle path).`,
    };
  }
  if (value.kind === 'local') {
    return {
      span: arg,
      message: `${arg.key}=${arg.value.text} is False (${value.through} is set to False in this file), so ${effect}; verify the certificate and pass the CA bundle where a private CA is used.`,
    };
  }
  return {
    span: arg,
    message: `${arg.key}=${arg.value.text} is False unless the deployment changes it: ${value.name} is False where the project defines it and True nowhere, so with the default settings ${effect}. An environment variable that can turn it on does not make the default safe: default ${value.name} to True (or to the CA bundle path).`,
    confidence: 'medium',
    when: value.when,
    unless: value.unless,
  };
}

function serverFile(ctx: RuleContext): boolean {
  return SERVER_SIDE.test(ctx.text.content) && !CLIENT_SIDE.test(ctx.text.content);
}

const LOOPBACK_HOST = /^(?:localhost|127\.\d+\.\d+\.\d+|::1)$/;
const REMOTE_URL = /^(?:https?|wss?|mqtts?|amqps?):\/\/(?!localhost\b|127\.|\[::1\])/i;

/**
 * Test code that sets up a TLS server context of its own and connects to it on a loopback host, naming no remote
 * URL: its client's only peer is that local server (no network path), so there is nobody to impersonate. The
 * Python counterpart of the Node rule's own-local-server case; outside test code it does not apply.
 */
function testTalksOnlyToOwnLocalServer(ctx: RuleContext): boolean {
  if (!ctx.inTestCode || !SERVER_SIDE.test(ctx.text.content)) return false;
  const { strings } = ctx.model;
  if (strings.some((s) => REMOTE_URL.test(s.value ?? ''))) return false;
  return strings.some((s) => LOOPBACK_HOST.test(s.value ?? ''));
}

/** paho-mqtt `client.tls_insecure_set(True)`: the broker's certificate is no longer matched to its host name. */
function pahoInsecure(call: Call, out: TlsFinding[]): void {
  if (call.name !== 'tls_insecure_set' || !call.receiver) return;
  const value = call.args[0] ?? call.named.find((p) => p.key === 'value')?.value;
  if (value?.kind !== 'boolean' || value.text !== 'True') return;
  out.push({
    span: call,
    message:
      'tls_insecure_set(True) stops paho-mqtt from checking that the broker certificate names the broker, so any server with a valid certificate for some other name can pose as the broker and read or inject device messages; remove it and put the broker name in its certificate.',
    fix: replaceFix('Check the broker host name (False)', value, 'False'),
  });
}

function pycurl(call: Call, out: TlsFinding[]): void {
  if (call.name !== 'setopt' || call.args.length < 2) return;
  const option = lastSegment(call.args[0].kind === 'name' ? (call.args[0].value ?? '') : '');
  const value = call.args[1];
  if (!isOffLiteral(value)) return;
  if (option === 'SSL_VERIFYPEER') {
    out.push({
      span: value,
      message: 'pycurl SSL_VERIFYPEER set to 0 accepts any server certificate, so the tool would talk to an impostor; set it to 1.',
      fix: replaceFix('Verify the peer certificate (1)', value, '1'),
    });
  } else if (option === 'SSL_VERIFYHOST') {
    out.push({
      span: value,
      message: 'pycurl SSL_VERIFYHOST set to 0 accepts a certificate issued for any host name; set it to 2.',
      fix: replaceFix('Check the host name in the certificate (2)', value, '2'),
    });
  }
}

export function findPythonTlsBypass(ctx: RuleContext): TlsFinding[] {
  if (testTalksOnlyToOwnLocalServer(ctx)) return [];
  const out: TlsFinding[] = [];
  const usesAiohttp = /^[ \t]*(?:import|from)[ \t]+aiohttp\b/m.test(ctx.text.content);
  provideSettingValues(ctx);
  for (const call of ctx.model.calls) {
    keywordArguments(ctx, call, usesAiohttp, out);
    pycurl(call, out);
    pahoInsecure(call, out);
    if (UNVERIFIED_CONTEXT.has(call.name) && call.callee.startsWith('ssl.')) {
      out.push({
        span: call,
        message: `${call.callee}() builds a context that checks neither the certificate nor the host name, so anyone on the network can impersonate the server; use ssl.create_default_context().`,
        fix:
          call.args.length === 0 && call.named.length === 0
            ? replaceFix('Use a verifying context (ssl.create_default_context)', call.calleeSpan, 'ssl.create_default_context')
            : undefined,
      });
    }
  }
  for (const binding of ctx.model.bindings) {
    if (binding.kind === 'default') continue;
    const attribute = binding.kind === 'property' || binding.target.includes('.');
    if (binding.name === 'verify' && attribute && binding.kind !== 'property' && isFalseLiteral(binding.value)) {
      out.push({
        span: binding,
        message:
          "Setting a session's verify to False makes every request on it accept any server certificate; remove the assignment or point verify at the CA bundle.",
        fix: replaceFix('Verify the server certificate (True)', binding.value, 'True'),
      });
    } else if ((binding.name === 'verify_mode' || binding.name === 'cert_reqs') && attribute && isCertNone(binding.value)) {
      if (!serverFile(ctx)) out.push(certNoneFinding(binding.value, `assigned to ${binding.name}`));
    } else if (binding.name === 'check_hostname' && attribute && isFalseLiteral(binding.value)) {
      if (serverFile(ctx)) continue;
      out.push({
        span: binding,
        message:
          'check_hostname = False accepts a valid certificate issued for any other host, so an impostor with any trusted certificate passes; leave it True.',
        // Suggestion only: Python refuses check_hostname=True while verify_mode is still CERT_NONE.
        fix: replaceFix('Check the server host name (True)', binding.value, 'True', 'suggestion'),
      });
    } else if (
      binding.name === '_create_default_https_context' &&
      binding.value.kind === 'name' &&
      UNVERIFIED_CONTEXT.has(lastSegment(binding.value.value ?? ''))
    ) {
      out.push({
        span: binding,
        message:
          'Replacing ssl._create_default_https_context with the unverified one turns off certificate checks for every urllib/http.client connection in the process; remove the assignment.',
      });
    }
  }
  return out;
}
