import type { RuleContext } from '../../server/src/core/types';
import { detectStaticIvs } from './detect';
import { detectKeyAsIv } from './iv-from-key';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'static-iv',
    title: 'Constant, zero or reused IV or nonce',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [329, 323, 1204],
    fda: ['app1.C.1', '524b.b2'],
    sees: 'constant, zero or reused IVs and nonces',
    iec62443: ['CR 4.3'],
    fix: 'none',
    presets: ['recommended'],
    docs,
    // Both detectors report an IV argument of a call ivArgumentOf (_shared/iv-apis.ts) or detect.ts knows: the
    // C cipher APIs (`*aes_*`, `*gcm_*`, `*ccm_*`, `*chacha*`, `*cipher*`, `EVP_*`, `wc_Aes*`, `psa_aead_*`,
    // `BCryptEncrypt`), the JCA specs and `createCipheriv` in every language; Python's cipher modules, modes and
    // AEAD classes; WebCrypto's `subtle.encrypt`.
    needs: (_, language) =>
      language === 'python'
        ? [...IV_APIS, ...PYTHON_IV_APIS]
        : language === 'typescript' || language === 'javascript'
          ? [...IV_APIS, 'subtle']
          : IV_APIS,
  },
  check: findStaticIvs,
});

const IV_APIS = [
  'aes_',
  'gcm_',
  'ccm_',
  'chacha',
  'cipher',
  'evp_',
  'wc_aes',
  'psa_aead_',
  'bcryptencrypt',
  'ivparameterspec',
  'gcmparameterspec',
];
const PYTHON_IV_APIS = ['aes', 'des3', 'salsa20', 'cbc', 'gcm', 'ctr', 'cfb', 'ofb', 'xts'];

function findStaticIvs(ctx: RuleContext): void {
  for (const hit of detectStaticIvs({ language: ctx.language, model: ctx.model })) {
    const what = hit.problem === 'zero' ? 'an all-zero IV/nonce' : 'a fixed IV/nonce written in the source';
    const via = hit.via ? ` (\`${hit.via}\`)` : '';
    ctx.report({
      span: { start: hit.span.start, end: hit.span.end },
      message:
        `\`${hit.api}\` gets ${what}${via}, so every message under this key reuses it: CBC leaks which records start alike, and ` +
        'CTR/GCM/ChaCha20 reuse exposes the XOR of plaintexts and lets an attacker forge authenticated commands. ' +
        FRESH_IV,
    });
  }
  for (const hit of detectKeyAsIv(ctx.model)) {
    const made = hit.copy
      ? `\`${hit.copy.iv}\`, a copy of the key \`${hit.key}\` (${hit.copy.how === '=' ? 'assigned' : `made by \`${hit.copy.how}\``}),`
      : `the key itself (\`${hit.key}\`)`;
    ctx.report({
      span: hit.span,
      message:
        `\`${hit.api}\` gets ${made} as its IV/nonce: an IV is not kept secret (it often travels with the ciphertext), so this can hand out the key, and it is ` +
        'the same for every message under that key, so CTR/CFB/GCM keystreams repeat and CBC leaks which messages start alike. ' +
        FRESH_IV,
    });
  }
}

const FRESH_IV =
  'Generate a fresh random IV per message (RAND_bytes, esp_fill_random, psa_generate_random, SecureRandom, os.urandom, randomBytes) and send it with the ciphertext.';
