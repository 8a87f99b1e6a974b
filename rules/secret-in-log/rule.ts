/**
 * secret-in-log: credentials, crypto keys and tokens (and, at lower confidence, patient identifiers)
 * passed to logging, console or serial-print calls. Names are judged word by word; lengths, flags,
 * hashes and masked forms of a secret are not reported.
 */
import type { RuleContext } from '../../server/src/core/types';
import { sensitiveReferences, type SensitiveReference } from '../_shared/secret-references';
import { isLogCall } from './sinks';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'secret-in-log',
    title: 'Secret or patient identifier written to a log',
    severity: 'high',
    confidence: 'medium',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [532, 215],
    fda: ['app1.E.1', 'app1.F.2', '524b.b2'],
    iec62443: ['CR 4.1', 'CR 3.9'],
    fix: 'none',
    presets: ['recommended'],
    docs,
  },
  check: findSecretsInLogs,
});

function findSecretsInLogs(ctx: RuleContext): void {
  for (const call of ctx.model.calls) {
    if (!isLogCall(call, ctx.language)) continue;
    let best: { reference: SensitiveReference; span: { start: number; end: number } } | undefined;
    for (const arg of [...call.args, ...call.named.map((n) => n.value)]) {
      if (arg.kind === 'string' || arg.kind === 'number' || arg.kind === 'boolean' || arg.kind === 'null') continue;
      for (const reference of sensitiveReferences(arg.text, ctx.language)) {
        if (!best || (best.reference.kind === 'patient' && reference.kind !== 'patient')) best = { reference, span: arg };
      }
      if (best && best.reference.kind !== 'patient') break;
    }
    if (!best) continue;
    const { reference, span } = best;
    if (reference.kind === 'patient') {
      ctx.report({
        span,
        confidence: 'low',
        message: `'${reference.name}' (a ${reference.label}) is written to the log by ${call.callee}(): device and service logs are copied to service laptops, support tickets and cloud log stores, where patient data is not protected. Log a pseudonymous reference (an internal record id or a keyed hash) instead.`,
      });
    } else {
      ctx.report({
        span,
        message: `'${reference.name}' (a ${reference.label}) is written to the log by ${call.callee}(): logs are read over the UART console, collected by service tools and uploaded to log servers, so anyone who gets them gets the secret. Log that it was set or its length, never the value.`,
      });
    }
  }
}
