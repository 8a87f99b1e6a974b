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
const REMOTE_URL = /^(?:https?|wss?):\/\/(?!localhost\b|127\.|\[::1\])/i;

/**
 * A file that starts its own HTTPS server on this machine, with its own key and certificate, and turns
 * verification off to talk to it (as tests do): the only peer is that local server (no network path), so there
 * is nobody to impersonate. Needs all of it in the file: a `createServer` with key material, a loopback host,
 * and no remote URL. Whether the file is test code does not matter here; the test-code policy is the engine's.
 */
function talksOnlyToOwnLocalServer(ctx: RuleContext): boolean {
  const { calls, strings } = ctx.model;
  if (!calls.some((c) => /^(?:createServer|createSecureServer)$/.test(c.name))) return false;
  if (!strings.some((s) => KEY_MATERIAL.test(s.value ?? ''))) return false;
  if (!strings.some((s) => LOOPBACK_HOST.test(s.value ?? ''))) return false;
  return !strings.some((s) => REMOTE_URL.test(s.value ?? ''));
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
