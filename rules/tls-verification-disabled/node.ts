/** `tls-verification-disabled` for Node (https, tls, axios, mqtt, ws, got, request) and `.env` files. */
import type { Binding, Expr, FunctionDef } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';
import { isFalseLiteral, replaceFix, type TlsFinding } from '../_shared/syntax';

const NODE_TLS_ENV = 'NODE_TLS_REJECT_UNAUTHORIZED';

function isZeroSetting(expr: Expr): boolean {
  return (expr.kind === 'string' && expr.value === '0') || (expr.kind === 'number' && expr.text === '0');
}

/** `checkServerIdentity` that can never reject: empty, or only returns undefined/null, with no calls or throws. */
function acceptsAnyIdentity(fn: FunctionDef): boolean {
  if (fn.throws || fn.calls.length) return false;
  return fn.statementCount === 0 || (fn.returns.length > 0 && fn.returns.every((r) => r.kind === 'null'));
}

function identityCallback(ctx: RuleContext, value: Expr): FunctionDef | undefined {
  if (value.kind === 'name') return ctx.model.functions.find((fn) => fn.name === value.value && fn.body);
  return ctx.model.functions.find((fn) => fn.start >= value.start && fn.start <= value.start + 1 && fn.end <= value.end);
}

function envAssignment(binding: Binding): boolean {
  if (binding.name !== NODE_TLS_ENV || !isZeroSetting(binding.value)) return false;
  // process.env.X = '0', process.env['X'] = '0', or an env object handed to a child process: { X: '0' }.
  return binding.kind === 'property' || (binding.kind === 'assignment' && /\benv\b/.test(binding.target));
}

function oneFix(value: Expr): { span: Span; text: string } {
  return value.kind === 'string' ? { span: value.content!, text: '1' } : { span: value, text: "'1'" };
}

/** Key and certificate files a test server is started with (`localhost.key`, `server.crt`, `cert.pem`). */
const KEY_MATERIAL = /\.(?:key|crt|pem|pfx|p12)$/i;
const LOOPBACK_HOST = /^(?:localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/;
/** As a destination, the unspecified address reaches this machine (what tests that bind to it connect to). */
const THIS_MACHINE = /^(?:0\.0\.0\.0|::)$/;
const REMOTE_URL = /^(?:https?|wss?):\/\/(?!localhost\b|127\.|\[::1\])/i;

/**
 * A file that starts its own HTTPS server on this machine, with its own key and certificate, and turns
 * verification off to talk to it (as tests do): the only peer is that local server (no network path), so there
 * is nobody to impersonate. Needs all of it in the file: a server with key material, a loopback host, and no
 * remote URL. The server is a `createServer` given key files; in test code also any TLS options object that
 * carries the server's own `cert` and `key` (a library's server class, a certificate the test generates), and
 * then the unspecified address the test binds to and connects to counts as this machine. Outside test code the
 * test-code policy cannot lower a finding, so the stricter evidence stays.
 */
function talksOnlyToOwnLocalServer(ctx: RuleContext): boolean {
  const { calls, strings } = ctx.model;
  if (strings.some((s) => REMOTE_URL.test(s.value ?? ''))) return false;
  const startsServer = calls.some((c) => /^(?:createServer|createSecureServer)$/.test(c.name));
  if (startsServer && strings.some((s) => KEY_MATERIAL.test(s.value ?? ''))) {
    if (strings.some((s) => LOOPBACK_HOST.test(s.value ?? ''))) return true;
  }
  if (!ctx.inTestCode || !calls.some((c) => c.args.some(carriesOwnIdentity))) return false;
  return strings.some((s) => LOOPBACK_HOST.test(s.value ?? '') || THIS_MACHINE.test(s.value ?? ''));
}

/** An options object (or one nested in it) with both a `cert` and a `key`: the TLS identity of a server it starts. */
function carriesOwnIdentity(expr: Expr): boolean {
  const entries = expr.entries ?? [];
  const keys = new Set(entries.map((e) => e.key));
  return (keys.has('cert') && keys.has('key')) || entries.some((e) => carriesOwnIdentity(e.value));
}

export function findNodeTlsBypass(ctx: RuleContext): TlsFinding[] {
  if (talksOnlyToOwnLocalServer(ctx)) return [];
  const out: TlsFinding[] = [];
  for (const binding of ctx.model.bindings) {
    const property = binding.kind === 'property' || (binding.kind === 'assignment' && binding.target.includes('.'));
    if (binding.name === 'rejectUnauthorized' && property && isFalseLiteral(binding.value)) {
      out.push({
        span: binding,
        message:
          'rejectUnauthorized: false accepts any server certificate, so anyone on the network can impersonate the device back end; remove it and supply the CA with the `ca` option.',
        fix: replaceFix('Reject unverified certificates (true)', binding.value, 'true'),
      });
    } else if (binding.name === 'strictSSL' && property && isFalseLiteral(binding.value)) {
      out.push({
        span: binding,
        message: 'strictSSL: false makes the request client accept any server certificate; remove it and supply the CA instead.',
        fix: replaceFix('Verify server certificates (true)', binding.value, 'true'),
      });
    } else if (envAssignment(binding)) {
      const { span, text } = oneFix(binding.value);
      out.push({
        span: binding,
        message: `Setting ${NODE_TLS_ENV} to 0 turns off certificate verification for every TLS connection the process makes; remove it and trust the needed CA with NODE_EXTRA_CA_CERTS.`,
        fix: replaceFix(`Verify certificates (${NODE_TLS_ENV}=1)`, span, text),
      });
    } else if (binding.name === 'checkServerIdentity' && binding.kind === 'property') {
      const callback = identityCallback(ctx, binding.value);
      if (callback && acceptsAnyIdentity(callback)) {
        out.push({
          span: binding,
          message:
            'This checkServerIdentity never returns an error, so a certificate issued for any host name is accepted; remove it or call tls.checkServerIdentity(host, cert) first.',
        });
      }
    }
  }
  return out;
}

export function findDotenvTlsBypass(ctx: RuleContext): TlsFinding[] {
  return ctx.model.config
    .filter((entry) => entry.key === NODE_TLS_ENV && entry.value === '0')
    .map((entry) => ({
      span: entry,
      message: `${NODE_TLS_ENV}=0 turns off certificate verification for every TLS connection the Node process makes; remove it and trust the needed CA with NODE_EXTRA_CA_CERTS.`,
      fix: replaceFix(`Verify certificates (${NODE_TLS_ENV}=1)`, entry.valueSpan, '1'),
    }));
}
