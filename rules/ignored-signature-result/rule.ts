import type { Call } from '../../server/src/core/model/types';
import type { Fix, Rule, RuleContext } from '../../server/src/core/types';
import { classifyVerifyCall, jcaSignatureNames } from '../_shared/signature-apis';
import type { VerifyCall } from '../_shared/signature-apis';
import { bindingOf, storedVerdictUse } from './uses';
import { FIRMWARE_SINKS } from '../_shared/update-apis';

/**
 * A verification whose verdict is dropped is no verification: the code goes on to install or trust the
 * data whether the signature matched or not. Reported at the verify call.
 */

const isActivation = (call: Call) => FIRMWARE_SINKS.some((spec) => spec.kind !== 'password-in-file' && spec.kind !== 'credential-args' && spec.matches(call));

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

function findIgnoredVerdicts(ctx: RuleContext): void {
  const { model, text } = ctx;
  const jcaNames = jcaSignatureNames(model);
  for (const call of model.calls) {
    const verify = classifyVerifyCall(call, ctx.language, model, text, jcaNames);
    if (!verify || verify.kind === 'raises') continue;
    const api = `\`${verify.api}()\``;
    const voidCast = /\(\s*void\s*\)\s*$/.test(text.content.slice(Math.max(0, call.start - 12), call.start));
    if (call.resultUse === 'statement' || voidCast) {
      ctx.report({
        span: { start: call.start, end: call.end },
        message: `${api} returns the signature verdict, but it is discarded here, so a forged or corrupted image or command is accepted as if it were signed. ${WHAT_TO_DO[verify.kind]}`,
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
    if (call.resultUse !== 'assignment') continue;
    const binding = bindingOf(call, model, text);
    if (!binding) continue;
    const fn = call.fn;
    const activation = fn?.calls.find((c) => c.start > binding.end && isActivation(c));
    const use = storedVerdictUse(binding, fn, activation?.start ?? fn?.end ?? text.content.length, model, text);
    if (use === 'used') continue;
    const where = activation ? `before \`${activation.callee}()\` activates the image` : 'in this function';
    const problem = use === 'overwritten' ? 'is overwritten before it is tested' : 'is never tested';
    ctx.report({
      span: { start: call.start, end: call.end },
      message: `The verdict of ${api} is stored in \`${binding.target}\` but ${problem} ${where}, so a failed verification does not stop the update. ${WHAT_TO_DO[verify.kind]}`,
      confidence: 'medium',
    });
  }
}

const rule = {
  meta: {
    id: 'ignored-signature-result',
    title: 'Signature verification result ignored',
    severity: 'critical',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin'],
    cwe: [252, 347],
    fda: ['app1.D.3', 'app1.A.4', 'app1.D.2', '524b.b2', '524b.b2a'],
    iec62443: ['EDR 3.10 RE(1)', 'CR 3.4'],
    fix: 'safe',
    presets: ['recommended'],
    docs: {
      summary:
        'Finds signature and MAC verifications whose verdict is thrown away: the call is a bare statement or cast to `(void)` (mbedTLS `mbedtls_pk_verify*`, PSA `psa_verify_hash`, micro-ecc `uECC_verify`, wolfSSL `wc_SignatureVerify*`, OpenSSL `ECDSA_verify`/`EVP_DigestVerifyFinal`/`RSA_verify`, ESP-IDF `esp_secure_boot_verify_signature`, libsodium, project functions such as `verify_image_signature`; Java/Kotlin `Signature.verify`, BouncyCastle `verifySignature`, `MessageDigest.isEqual`; Python `hmac.compare_digest` and project functions that return a verdict), or the verdict is stored in a variable that is overwritten or never read before the image is activated (`esp_ota_set_boot_partition`, `Update.end`, `boot_request_upgrade`, ...) or the function ends. It also flags OpenSSL calls that return 1/0/negative used as a truth value (`if (EVP_DigestVerifyFinal(...))`), where an error counts as success (medium confidence). Python `cryptography`/PyCryptodome/`ecdsa` `verify()` raise on failure, so calling them as a statement is correct and not reported.',
      risk:
        'The device performs the cryptography and then ignores the answer: an attacker who can deliver an update, a configuration or a command gets it accepted with any signature at all. On a pump, ventilator or monitor that means arbitrary code or settings controlling therapy, and the signing infrastructure gives false assurance in the premarket submission. FDA expects devices to refuse updates whose authentication is missing or failed.',
      fix:
        'Test the verdict and stop on failure before anything is written, activated or executed: `if (mbedtls_pk_verify(...) != 0) { return ESP_ERR_INVALID_STATE; }`, `if (!sig.verify(bytes)) throw SecurityException(...)`, `if EVP_DigestVerifyFinal(...) != 1` for OpenSSL. Keep the check and the activation in the same code path so a refactor cannot separate them.',
      examples: [
        {
          language: 'c',
          bad:
            'int fw_check(const uint8_t *hash, const uint8_t *sig, size_t sig_len) {\n  mbedtls_pk_verify(&s_release_key, MBEDTLS_MD_SHA256, hash, 32, sig, sig_len);\n  return 0;\n}\n',
          good:
            'int fw_check(const uint8_t *hash, const uint8_t *sig, size_t sig_len) {\n  if (mbedtls_pk_verify(&s_release_key, MBEDTLS_MD_SHA256, hash, 32, sig, sig_len) != 0) {\n    return -1;\n  }\n  return 0;\n}\n',
        },
        {
          language: 'java',
          bad:
            'class FirmwareCheck {\n  void check(byte[] image, byte[] sig, PublicKey key) throws Exception {\n    Signature verifier = Signature.getInstance("SHA256withECDSA");\n    verifier.initVerify(key);\n    verifier.update(image);\n    verifier.verify(sig);\n  }\n}\n',
          good:
            'class FirmwareCheck {\n  void check(byte[] image, byte[] sig, PublicKey key) throws Exception {\n    Signature verifier = Signature.getInstance("SHA256withECDSA");\n    verifier.initVerify(key);\n    verifier.update(image);\n    if (!verifier.verify(sig)) {\n      throw new SecurityException("bad firmware signature");\n    }\n  }\n}\n',
        },
      ],
      fixSafety:
        'Only the OpenSSL truth-value pattern gets a fix: appending `== 1` (or turning `!call` into `call != 1`) changes behaviour only for negative error returns, which were wrongly accepted, so it is safe. A discarded verdict has no automatic fix: what to do on failure (return an error, erase the slot, reboot) is a design decision.',
      references: [
        { title: 'CWE-252: Unchecked Return Value', url: 'https://cwe.mitre.org/data/definitions/252.html' },
        { title: 'CWE-347: Improper Verification of Cryptographic Signature', url: 'https://cwe.mitre.org/data/definitions/347.html' },
        { title: 'OpenSSL: EVP_DigestVerifyFinal return values', url: 'https://docs.openssl.org/3.0/man3/EVP_DigestVerifyInit/' },
        { title: 'Mbed TLS: mbedtls_pk_verify', url: 'https://mbed-tls.readthedocs.io/projects/api/en/development/api/file/pk_8h/' },
        { title: 'Java SE: java.security.Signature.verify', url: 'https://docs.oracle.com/en/java/javase/17/docs/api/java.base/java/security/Signature.html' },
        { title: 'FDA: Cybersecurity in Medical Devices (premarket guidance)', url: 'https://www.fda.gov/regulatory-information/search-fda-guidance-documents/cybersecurity-medical-devices-quality-system-considerations-and-content-premarket-submissions' },
      ],
    },
  },
  check(ctx) {
    findIgnoredVerdicts(ctx);
  },
} satisfies Rule;

export default rule;
