import type { ProjectCondition, RuleContext } from '../../server/src/core/types';
import { WEAKNESS_TEXT } from './algorithms';
import { detectBrokenCiphers } from './detect';
import { BlockSizes, oneBlockCallers } from './single-block';
import docs from './docs.md';
import { byLanguageFamily } from '../_shared/language-family';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'broken-cipher',
    title: 'Broken cipher or mode: DES, 3DES, RC2, RC4, Blowfish, ECB, or RSA encryption without OAEP',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [327, 780],
    fda: ['app1.C.1', 'app1.C.2', '524b.b2'],
    sees: {
      'app1.C.1': 'broken ciphers and modes (DES, 3DES, RC4, ECB, RSA without OAEP)',
      'app1.C.2': 'DES, 3DES, RC2, RC4, Blowfish, ECB and RSA without OAEP',
    },
    iec62443: ['CR 4.3', 'CR 1.14'],
    fix: 'suggestion',
    presets: ['recommended'],
    docs,
    needs: (_, language) => byLanguageFamily<readonly string[] | undefined>(language, NEEDS, undefined),
  },
  check: findBrokenCiphers,
});

/** Functions some file of the project calls with at most one block: ECB inside them is the block function. */
/**
 * What each family's detector (detect.ts) matches, and for Java, Kotlin and JS the buffer-building words that
 * `oneBlockCallers` (single-block.ts) needs before it provides a fact. C: the OpenSSL, mbedTLS, wolfCrypt and
 * Windows cipher functions and constants (`EVP_*`, `DES_*`, `*des3*`, `RC4`/`arc4`, `BF_*`, `*blowfish*`, `*ecb*`,
 * `MBEDTLS_CIPHER_*`, `BCrypt*`, `RSA_*`, `PSA_KEY_TYPE_*`, `CALG_*`).
 */
const ONE_BLOCK_WORDS = ['alloc', 'byte', 'copyof', 'uint8array', 'slice', 'subarray'];
const NEEDS = {
  native: () => ['evp_', 'des_', 'des3', 'rc4', 'bf_', 'blowfish', 'ecb', 'mbedtls_cipher_', 'bcrypt', 'rsa_', 'psa_key_type_', 'calg_'],
  python: () => ['des', 'arc4', 'arc2', 'blowfish', 'pkcs1', 'ecb'],
  js: () => ['createcipher', 'createdecipher', 'cryptojs', 'publicencrypt', 'privatedecrypt', ...ONE_BLOCK_WORDS],
  jvm: () => ['cipher', 'keygenerator', 'secretkeyfactory', 'secretkeyspec', 'deskeyspec', 'desedekeyspec', ...ONE_BLOCK_WORDS],
};

const ONE_BLOCK_CALLERS = 'one-block-callers';

function findBrokenCiphers(ctx: RuleContext): void {
  const objectLanguage = ['java', 'kotlin', 'typescript', 'javascript'].includes(ctx.language);
  if (objectLanguage) {
    const callers = oneBlockCallers(ctx);
    if (callers.length) ctx.provide(ONE_BLOCK_CALLERS, callers);
  }
  let sizes: BlockSizes | undefined;
  for (const hit of detectBrokenCiphers({ language: ctx.language, model: ctx.model, text: ctx.text })) {
    let unless: ProjectCondition | undefined;
    if (hit.weakness === 'ECB' && hit.factory) {
      const use = (sizes ??= new BlockSizes(ctx)).useOf(hit.factory);
      if (use.kind === 'one-block') continue;
      // A raw-block cipher (NoPadding) whose input only callers in other files supply: one of them passing a
      // single block says what the helper is for. A padding mode there is taken as a data mode.
      if (use.kind === 'callers' && /\/NoPadding$/i.test(hit.transformation ?? ''))
        unless = { fact: ONE_BLOCK_CALLERS, anyOf: use.callers };
    }
    const { what, instead } = WEAKNESS_TEXT[hit.weakness];
    ctx.report({
      span: { start: hit.span.start, end: hit.span.end },
      message: `\`${hit.api}\` selects ${what}. ${instead}`,
      fixes: hit.fix ? [{ title: hit.fix.title, safety: 'suggestion', edits: [hit.fix.edit] }] : undefined,
      unless,
    });
  }
}
