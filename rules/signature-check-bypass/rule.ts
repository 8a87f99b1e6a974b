import type { Call, FunctionDef } from '../../server/src/core/model/types';
import type { Origin } from '../../server/src/core/flow/value-flow';
import { sourceOfName } from '../../server/src/core/flow/sources';
import type { Confidence, RuleContext, Span } from '../../server/src/core/types';
import { classifyVerifyCall, isProjectVerifyName, jcaSignatureNames } from '../_shared/signature-apis';
import { flagsOf } from './flags';
import type { Flag } from './flags';
import { ifStatementsIn, preprocessorGates, runtimeGates } from './gates';
import type { Gate } from './gates';
import { isVerificationName } from '../_shared/update-apis';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'signature-check-bypass',
    title: 'Signature verification can be switched off',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [347, 494],
    fda: ['app1.D.3', 'app1.D.2', 'app1.A.4', '524b.b2'],
    sees: 'signature verifications that a build switch, option or environment variable turns off',
    iec62443: ['EDR 3.10 RE(1)', 'CR 3.4'],
    fix: 'none',
    presets: ['recommended'],
    // Every report hangs on a verification call or function: classifyVerifyCall's APIs (ignored-signature-result
    // lists them), or a name isVerificationName (_shared/update-apis.ts) accepts, which holds a verify word
    // (`verif*`, `vrfy`), a signature word (`sig*`, `hmac`, `cmac`), an `auth*` word or `bootutil_img_validate`.
    needs: ['verif', 'vrfy', 'sig', 'hmac', 'cmac', 'auth', 'img_validate', 'hash_compare', 'isequal', 'compare_digest'],
    docs,
  },
  check(ctx) {
    findBypasses(ctx);
  },
});

/**
 * A signature check that a build macro, a command-line flag, an environment variable or a debug setting
 * can switch off is a check an attacker (or a mistaken release build) can switch off. Reported at the
 * condition that gates the verification.
 */

interface Verdict {
  message: string;
  confidence: Confidence;
}

/** Whether the verification runs only when `flag` is true (false: only when it is false). */
const runsWhenFlagTrue = (gate: Gate, flag: Flag) => gate.whenTrue !== flag.negated;

/** Why a gate around a verification call makes it skippable, or undefined when it does not. */
function judgeGate(gate: Gate, flag: Flag, api: string, preprocessor: boolean): Verdict | undefined {
  const where = preprocessor ? 'build' : 'run';
  switch (flag.kind) {
    case 'never':
      return gate.whenTrue
        ? {
            confidence: 'high',
            message: `\`${api}\` is compiled out (\`${flag.name}\`), so images are accepted without any signature check. Remove the dead block and make verification unconditional.`,
          }
        : undefined;
    case 'bypass':
      return {
        confidence: 'high',
        message: `\`${api}\` only runs unless \`${flag.name}\` is set, so a ${where} with that switch installs unsigned or tampered images. Remove the switch: verification must not be optional in any build that can reach a device.`,
      };
    case 'debug':
      return flag.simple && !runsWhenFlagTrue(gate, flag)
        ? {
            confidence: 'medium',
            message: `\`${api}\` is skipped when \`${flag.name}\` is set, so a debug or test ${where} accepts unsigned images, and such builds do reach devices (field service, clinical trials). Verify in every build; use a test signing key for development instead.`,
          }
        : undefined;
    case 'release':
      return flag.simple && runsWhenFlagTrue(gate, flag)
        ? {
            confidence: 'medium',
            message: `\`${api}\` only runs when \`${flag.name}\` is defined, so any build without it (debug, bring-up) accepts unsigned images. Verify in every build; use a test signing key for development instead.`,
          }
        : undefined;
    case 'opt-in':
      return flag.simple && runsWhenFlagTrue(gate, flag) && (preprocessor || flag.settable)
        ? {
            confidence: 'medium',
            message: `\`${api}\` only runs when \`${flag.name}\` is enabled, so signature verification is optional and a ${preprocessor ? 'build' : 'configuration'} without it installs unsigned images. Make the check unconditional.`,
          }
        : undefined;
  }
}

/** `if (skip_verify) return 0;` before the verification (or inside a verify function): an early success exit. */
function judgeEarlyExit(gate: Gate, flag: Flag, ctx: RuleContext): Verdict | undefined {
  const body = gate.branch ? ctx.text.content.slice(gate.branch.start, gate.branch.end) : '';
  if (!/\b(return|goto)\b/.test(body)) return undefined;
  if (/\b(false|False|raise|throw|abort|reject\w*|fail\w*|error|ERR\w*|err|-E[A-Z]+)\b|-\s*1\b/.test(body)) return undefined;
  const exitWhenTrue = !flag.negated;
  const bypasses =
    (flag.kind === 'bypass' && exitWhenTrue) ||
    (flag.kind === 'debug' && flag.simple && exitWhenTrue) ||
    (flag.kind === 'opt-in' && flag.simple && !exitWhenTrue && flag.settable);
  if (!bypasses) return undefined;
  return {
    confidence: flag.kind === 'bypass' ? 'high' : 'medium',
    message: `The signature check returns early when \`${flag.name}\` is ${exitWhenTrue ? 'set' : 'off'}, so anyone who can set it gets unsigned images accepted. Remove the shortcut: verification must not depend on a debug, test or configuration switch.`,
  };
}

/** The first line of a preprocessor directive (where it is reported). */
function directiveLine(ctx: RuleContext, span: Span): Span {
  const newline = ctx.text.content.indexOf('\n', span.start);
  return { start: span.start, end: newline < 0 || newline > span.end ? span.end : newline };
}

/** Constant-time equality calls: a verification only when one side is a digest computed here. */
const EQUALITY_CALLS = /^(?:compare_digest|isEqual|timingSafeEqual)$/;

/**
 * `secrets.compare_digest(csrf_cookie, csrf_header)`: both sides arrive with the request (a double-submit CSRF
 * token, an echoed nonce), so nothing is verified against a key or a signature; the call is a token equality
 * check, and a switch around it gates no signature verification.
 */
function comparesTwoReceivedValues(ctx: RuleContext, call: Call): boolean {
  if (!EQUALITY_CALLS.test(call.name) || call.args.length < 2) return false;
  const received = (origin: Origin) => {
    if (origin.kind === 'parameter') return false;
    const source = origin.kind === 'source' ? origin.source : sourceOfName(origin.expr);
    return source === 'input' || source === 'network';
  };
  return call.args.slice(0, 2).every((arg) => {
    const origins = ctx.flow.origins(arg);
    return origins.length > 0 && origins.every(received);
  });
}

function findBypasses(ctx: RuleContext): void {
  const { model, text } = ctx;
  const jcaNames = jcaSignatureNames(model, ctx.language);
  const isVerify = (call: Call) =>
    (!!classifyVerifyCall(call, ctx.language, model, text, jcaNames) ||
      (isVerificationName(call.name) && call.name !== 'verify') ||
      (call.name === 'verify' && !!call.receiver)) &&
    !comparesTwoReceivedValues(ctx, call);
  const verifyCalls = model.calls.filter(isVerify);
  const report = (span: Span, verdict: Verdict) => {
    ctx.report({ span, message: verdict.message, confidence: verdict.confidence });
  };

  for (const call of verifyCalls) {
    const api = `${call.callee}()`;
    for (const gate of preprocessorGates(model.directives, call)) {
      for (const flag of flagsOf(gate.condition)) {
        const verdict = judgeGate(gate, flag, api, true);
        if (verdict) report(directiveLine(ctx, gate.span), verdict);
      }
    }
    const params = call.fn?.params ?? [];
    for (const gate of runtimeGates(ctx, call)) {
      if (call.fn && gate.span.start < call.fn.start) break;
      for (const flag of flagsOf(gate.condition, params)) {
        const verdict = judgeGate(gate, flag, api, false);
        if (verdict) report(gate.conditionSpan, verdict);
      }
    }
  }

  // Early success exits in functions that verify (before the check) or that are the verification.
  const verifying = new Map<FunctionDef, number>();
  for (const call of verifyCalls) if (call.fn && !verifying.has(call.fn)) verifying.set(call.fn, call.start);
  for (const fn of model.functions) {
    if (fn.name && (isProjectVerifyName(fn.name) || isVerificationName(fn.name)) && !verifying.has(fn)) verifying.set(fn, fn.end);
  }
  for (const [fn, firstVerify] of verifying) {
    for (const gate of ifStatementsIn(ctx, fn.body ?? fn)) {
      if (gate.span.end > firstVerify) continue;
      for (const flag of flagsOf(gate.condition, fn.params)) {
        const verdict = judgeEarlyExit(gate, flag, ctx);
        if (verdict) report(gate.conditionSpan, verdict);
      }
    }
  }
}
