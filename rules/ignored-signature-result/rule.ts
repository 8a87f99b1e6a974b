import type { Call } from '../../server/src/core/model/types';
import type { Fix, RuleContext } from '../../server/src/core/types';
import { classifyVerifyCall, isProjectVerifyName, jcaSignatureNames, returnsNothing } from '../_shared/signature-apis';
import type { VerifyCall } from '../_shared/signature-apis';
import { bindingOf, storedVerdictUse } from './uses';
import { invertedGate, polarityOf } from './inverted';
import type { InvertedGate, Polarity } from './inverted';
import { FIRMWARE_SINKS } from '../_shared/update-apis';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

/** What the rule sees of most of the controls it maps to (meta.sees). */
const RESULT_IGNORED = 'signature verifications whose result is thrown away';

export default defineRule({
  meta: {
    id: 'ignored-signature-result',
    title: 'Signature verification result ignored',
    severity: 'critical',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin'],
    cwe: [252, 347],
    fda: ['app1.D.3', 'app1.A.4', 'app1.D.2', '524b.b2', '524b.b2a'],
    sees: {
      'app1.D.3': RESULT_IGNORED,
      'app1.A.4': RESULT_IGNORED,
      'app1.D.2': RESULT_IGNORED,
      '524b.b2a': 'update verification whose result is thrown away',
    },
    iec62443: ['EDR 3.10 RE(1)', 'CR 3.4'],
    fix: 'safe',
    presets: ['recommended'],
    // Every verdict call classifyVerifyCall (_shared/signature-apis.ts) knows has `verif`, `vrfy` or `authenticate`
    // in its name (the status, one/zero and JCA APIs, project names, Python's `verify`), but for
    // `mbedtls_ecdsa_read_signature`, `psa_hash_compare`, `bootutil_img_validate`, `MessageDigest.isEqual` and
    // `compare_digest`; the fact provided names functions that pass isProjectVerifyName (the same words).
    needs: ['verif', 'vrfy', 'authenticate', 'read_signature', 'hash_compare', 'img_validate', 'isequal', 'compare_digest'],
    docs,
  },
  check(ctx) {
    findIgnoredVerdicts(ctx);
  },
});

/**
 * A verification whose verdict is dropped is no verification: the code goes on to install or trust the
 * data whether the signature matched or not. Reported at the verify call.
 */

const isActivation = (call: Call) =>
  FIRMWARE_SINKS.some((spec) => spec.kind !== 'password-in-file' && spec.kind !== 'credential-args' && spec.matches(call));

const WHAT_TO_DO: Record<VerifyCall['kind'], string> = {
  status: 'Test it (0 means valid) and refuse the image or message on any other value.',
  'one-zero': 'Test it (1 means valid) and refuse the image or message otherwise.',
  'one-zero-negative': 'Test it with `== 1` and refuse the image or message otherwise.',
  boolean: 'Test it and refuse the image or message when it is false.',
  raises: '',
};

/** `if (EVP_DigestVerifyFinal(...))` → `if (EVP_DigestVerifyFinal(...) == 1)`; `!EVP_...(...)` → `EVP_...(...) != 1`. */
function truthinessFix(ctx: RuleContext, call: Call): Fix {
  const before = ctx.text.content.slice(0, call.start);
  const negation = /!\s*$/.exec(before);
  if (negation) {
    return {
      title: `Compare the result of ${call.name}() with 1`,
      safety: 'safe',
      edits: [
        { span: { start: call.start - negation[0].length, end: call.start }, newText: '' },
        { span: { start: call.end, end: call.end }, newText: ' != 1' },
      ],
    };
  }
  return {
    title: `Compare the result of ${call.name}() with 1`,
    safety: 'safe',
    edits: [{ span: { start: call.end, end: call.end }, newText: ' == 1' }],
  };
}

/** Tested by `if`/`while`, negated, or an operand of `&&`/`||` (the model reports those as `other` or `return`). */
function usedAsTruthValue(ctx: RuleContext, call: Call): boolean {
  if (call.resultUse === 'condition') return true;
  if (call.resultUse === 'comparison') return false;
  const before = ctx.text.content.slice(Math.max(0, call.start - 4), call.start);
  const after = ctx.text.content.slice(call.end, call.end + 4);
  return /(&&|\|\||!)\s*$/.test(before) || /^\s*(&&|\|\|)/.test(after);
}

/**
 * Project fact: verification functions defined in a file that return no verdict (`void`, or that throw on
 * failure outside C). A call in another file that drops the result of one of them drops nothing.
 */
const NO_VERDICT = 'verify-function-without-verdict';

function findIgnoredVerdicts(ctx: RuleContext): void {
  const { model, text } = ctx;
  const native = ctx.language === 'c' || ctx.language === 'cpp';
  ctx.provide(
    NO_VERDICT,
    model.functions
      .filter((fn) => fn.name && isProjectVerifyName(fn.name) && (returnsNothing(fn, text) || (!native && fn.throws)))
      .map((fn) => fn.name),
  );
  const jcaNames = jcaSignatureNames(model, ctx.language);
  for (const call of model.calls) {
    const verify = classifyVerifyCall(call, ctx.language, model, text, jcaNames);
    if (!verify || verify.kind === 'raises') continue;
    const api = `\`${verify.api}()\``;
    // A project function named for verification but defined in another file: its name is the only evidence
    // here, so the finding holds unless the file that defines it shows it returns no verdict.
    const definedElsewhere = isProjectVerifyName(call.name) && !model.functions.some((fn) => fn.name === call.name);
    const unless = definedElsewhere ? { unless: { fact: NO_VERDICT, anyOf: [call.name] } } : {};
    const voidCast = /\(\s*void\s*\)\s*$/.test(text.content.slice(Math.max(0, call.start - 12), call.start));
    if (call.resultUse === 'statement' || voidCast) {
      ctx.report({
        span: { start: call.start, end: call.end },
        message: `${api} returns the signature verdict, but it is discarded here, so a forged or corrupted image or command is accepted as if it were signed. ${WHAT_TO_DO[verify.kind]}`,
        ...(voidCast ? {} : unless),
      });
      continue;
    }
    if (verify.kind === 'one-zero-negative' && usedAsTruthValue(ctx, call)) {
      ctx.report({
        span: { start: call.start, end: call.end },
        message: `${api} returns 1 for a valid signature, 0 for an invalid one and a negative value on error; used as a truth value, an error (-1) counts as valid. Compare the result with 1.`,
        confidence: 'medium',
        fixes: [truthinessFix(ctx, call)],
      });
      continue;
    }
    const binding = call.resultUse === 'assignment' ? bindingOf(call, model, text) : undefined;
    // `bool ok = verify_firmware(...)`: the declared type says what a true verdict means.
    const declaredBoolean = !!binding?.declaredType && /^(bool|boolean|Boolean|_Bool)$/.test(binding.declaredType);
    const polarity: Polarity | undefined = polarityOf(ctx, call, jcaNames) ?? (declaredBoolean ? 'true-is-valid' : undefined);
    const inverted = polarity && invertedGate(ctx, call, polarity, binding?.target);
    if (inverted) {
      reportInverted(ctx, verify.api, polarity, inverted);
      continue;
    }
    if (call.resultUse !== 'assignment' || !binding) continue;
    const fn = call.fn;
    const activation = fn?.calls.find((c) => c.start > binding.end && isActivation(c));
    const use = storedVerdictUse(binding, fn, activation?.start ?? fn?.end ?? text.content.length, model, text);
    if (use === 'used') continue;
    const where = activation ? `before \`${activation.callee}()\` activates the image` : 'in this function';
    const problem = use === 'overwritten' ? 'is overwritten before it is tested' : 'is never tested';
    ctx.report({
      ...unless,
      span: { start: call.start, end: call.end },
      message: `The verdict of ${api} is stored in \`${binding.target}\` but ${problem} ${where}, so a failed verification does not stop the update. ${WHAT_TO_DO[verify.kind]}`,
      confidence: 'medium',
    });
  }
}

const MEANING: Record<Polarity, string> = {
  'zero-is-valid': 'returns 0 for a valid signature and an error code otherwise',
  'true-is-valid': 'returns true (1) for a valid signature',
};

function reportInverted(ctx: RuleContext, api: string, polarity: Polarity, gate: InvertedGate): void {
  const where =
    gate.how === 'branch'
      ? `this condition sends a failed verification into the branch where \`${gate.accept.callee}()\` installs or activates the image`
      : `this condition leaves on a valid signature and lets a failed one fall through to \`${gate.accept.callee}()\``;
  ctx.report({
    span: gate.condition,
    message: `\`${api}()\` ${MEANING[polarity]}, but ${where}: the check is inverted, so a forged image is accepted and a genuine one refused. Test the verdict the way the API defines it and install only on success.`,
  });
}
