import type { Call, FunctionDef } from '../../server/src/core/model/types';
import type { Confidence, Rule, RuleContext, Span } from '../../server/src/core/types';
import { classifyVerifyCall, isProjectVerifyName, jcaSignatureNames } from '../_shared/signature-apis';
import { flagsOf } from './flags';
import type { Flag } from './flags';
import { ifStatementsIn, preprocessorGates, runtimeGates } from './gates';
import type { Gate } from './gates';
import { isVerificationName } from '../_shared/update-apis';

/**
 * A signature check that a build macro, a command-line flag, an environment variable or a debug setting
 * can switch off is a check an attacker (or a mistaken release build) can switch off. Reported at the
 * condition that gates the verification.
 */

interface Verdict { message: string; confidence: Confidence }

/** Whether the verification runs only when `flag` is true (false: only when it is false). */
const runsWhenFlagTrue = (gate: Gate, flag: Flag) => gate.whenTrue !== flag.negated;

/** Why a gate around a verification call makes it skippable, or undefined when it does not. */
function judgeGate(gate: Gate, flag: Flag, api: string, preprocessor: boolean): Verdict | undefined {
  const where = preprocessor ? 'build' : 'run';
  switch (flag.kind) {
    case 'never':
      return gate.whenTrue
        ? { confidence: 'high', message: `\`${api}\` is compiled out (\`${flag.name}\`), so images are accepted without any signature check. Remove the dead block and make verification unconditional.` }
        : undefined;
    case 'bypass':
      return { confidence: 'high', message: `\`${api}\` only runs unless \`${flag.name}\` is set, so a ${where} with that switch installs unsigned or tampered images. Remove the switch: verification must not be optional in any build that can reach a device.` };
    case 'debug':
      return flag.simple && !runsWhenFlagTrue(gate, flag)
        ? { confidence: 'medium', message: `\`${api}\` is skipped when \`${flag.name}\` is set, so a debug or test ${where} accepts unsigned images, and such builds do reach devices (field service, clinical trials). Verify in every build; use a test signing key for development instead.` }
        : undefined;
    case 'release':
      return flag.simple && runsWhenFlagTrue(gate, flag)
        ? { confidence: 'medium', message: `\`${api}\` only runs when \`${flag.name}\` is defined, so any build without it (debug, bring-up) accepts unsigned images. Verify in every build; use a test signing key for development instead.` }
        : undefined;
    case 'opt-in':
      return flag.simple && runsWhenFlagTrue(gate, flag) && (preprocessor || flag.settable)
        ? { confidence: 'medium', message: `\`${api}\` only runs when \`${flag.name}\` is enabled, so signature verification is optional and a ${preprocessor ? 'build' : 'configuration'} without it installs unsigned images. Make the check unconditional.` }
        : undefined;
  }
}

/** `if (skip_verify) return 0;` before the verification (or inside a verify function): an early success exit. */
function judgeEarlyExit(gate: Gate, flag: Flag, ctx: RuleContext): Verdict | undefined {
  const body = gate.branch ? ctx.text.content.slice(gate.branch.start, gate.branch.end) : '';
  if (!/\b(return|goto)\b/.test(body)) return undefined;
  if (/\b(false|False|raise|throw|abort|reject\w*|fail\w*|error|ERR\w*|err|-E[A-Z]+)\b|-\s*1\b/.test(body)) return undefined;
  const exitWhenTrue = !flag.negated;
  const bypasses = (flag.kind === 'bypass' && exitWhenTrue)
    || (flag.kind === 'debug' && flag.simple && exitWhenTrue)
    || (flag.kind === 'opt-in' && flag.simple && !exitWhenTrue && flag.settable);
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

function findBypasses(ctx: RuleContext): void {
  const { model, text } = ctx;
  const jcaNames = jcaSignatureNames(model);
  const isVerify = (call: Call) =>
    !!classifyVerifyCall(call, ctx.language, model, text, jcaNames) || (isVerificationName(call.name) && call.name !== 'verify')
    || (call.name === 'verify' && !!call.receiver);
  const verifyCalls = model.calls.filter(isVerify);
  const reported = new Set<number>();
  const report = (span: Span, verdict: Verdict) => {
    if (reported.has(span.start)) return;
    reported.add(span.start);
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

const rule = {
  meta: {
    id: 'signature-check-bypass',
    title: 'Signature verification can be switched off',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [347, 494],
    fda: ['app1.D.3', 'app1.D.2', 'app1.A.4', '524b.b2'],
    iec62443: ['EDR 3.10 RE(1)', 'CR 3.4'],
    fix: 'none',
    presets: ['recommended'],
    docs: {
      summary:
        'Finds signature and MAC verifications that a switch can turn off: a verify call inside `#ifndef SKIP_VERIFY`, `#if !DISABLE_SIGNATURE_CHECK`, `#ifdef CONFIG_VERIFY_SIG`, `#ifndef DEBUG` or `#if 0`; a runtime condition such as `if (!skip_verify)`, `if cfg.verify_signature:` (a settable option), `if not args.no_verify:`, `if (!BuildConfig.DEBUG)`, or an environment variable (`os.environ.get("SKIP_SIG")`, `process.env.SKIP_VERIFY`); and a verification function or update path that returns success early under such a flag (`if (g_debug_mode) return 0;`). Platform switches that turn verification on in secure builds (`CONFIG_SECURE_BOOT*`, `CONFIG_SECURE_SIGNED_*`) and crypto feature guards (`MBEDTLS_PK_C`, `PSA_WANT_*`) are not findings. Verify calls are the library APIs of ignored-signature-result plus project functions named for signature verification.',
      risk:
        'A bypass switch is a second, unauthenticated update path: a debug build sent to a field engineer, a leftover environment variable on a service laptop, or a configuration value an attacker can write is enough to install modified firmware on an infusion pump or monitor. FDA expects updates to be refused when authentication is missing or fails, in every build that can reach a device, and expects debug features to be removed or locked before delivery.',
      fix:
        'Make verification unconditional. For development, sign images with a separate test key that production devices do not trust, instead of skipping the check. If a bench-only build truly must skip it, make that build unable to ship: an `#error` when the switch is set together with the release configuration, and a different bootloader key.',
      examples: [
        {
          language: 'c',
          bad:
            'int fw_accept(const uint8_t *hash, const uint8_t *sig, size_t sig_len) {\n#ifndef SKIP_SIGNATURE_CHECK\n  if (mbedtls_pk_verify(&s_key, MBEDTLS_MD_SHA256, hash, 32, sig, sig_len) != 0) {\n    return -1;\n  }\n#endif\n  return 0;\n}\n',
          good:
            'int fw_accept(const uint8_t *hash, const uint8_t *sig, size_t sig_len) {\n  if (mbedtls_pk_verify(&s_key, MBEDTLS_MD_SHA256, hash, 32, sig, sig_len) != 0) {\n    return -1;\n  }\n  return 0;\n}\n',
        },
        {
          language: 'python',
          bad:
            'def install(args, public_key, image, signature):\n    if not args.no_verify:\n        public_key.verify(signature, image, ec.ECDSA(hashes.SHA256()))\n    flash(image)\n',
          good:
            'def install(args, public_key, image, signature):\n    public_key.verify(signature, image, ec.ECDSA(hashes.SHA256()))\n    flash(image)\n',
        },
      ],
      fixSafety:
        'No automatic fix: removing a switch changes which builds work, and development flows that rely on it need a test signing key first.',
      references: [
        { title: 'CWE-347: Improper Verification of Cryptographic Signature', url: 'https://cwe.mitre.org/data/definitions/347.html' },
        { title: 'CWE-494: Download of Code Without Integrity Check', url: 'https://cwe.mitre.org/data/definitions/494.html' },
        { title: 'ESP-IDF: Secure Boot v2', url: 'https://docs.espressif.com/projects/esp-idf/en/latest/esp32/security/secure-boot-v2.html' },
        { title: 'FDA: Cybersecurity in Medical Devices (premarket guidance)', url: 'https://www.fda.gov/regulatory-information/search-fda-guidance-documents/cybersecurity-medical-devices-quality-system-considerations-and-content-premarket-submissions' },
      ],
    },
  },
  check(ctx) {
    findBypasses(ctx);
  },
} satisfies Rule;

export default rule;
