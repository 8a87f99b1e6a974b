import type { RuleContext } from '../../server/src/core/types';
import { MINIMUM_BITS, detectShortKeys } from './detect';
import type { ShortKeyHit } from './detect';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';
import { byLanguageFamily } from '../_shared/language-family';

export default defineRule({
  meta: {
    id: 'short-key',
    title: 'Key too short: RSA, DH or DSA below 2048 bits, elliptic curves below 224 bits, symmetric keys below 128 bits',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [326],
    fda: ['app1.C.2', '524b.b2'],
    sees: 'RSA, DH and DSA keys below 2048 bits, curves below 224 bits, symmetric keys below 128 bits',
    iec62443: ['CR 4.3', 'CR 1.9', 'CR 1.14'],
    fix: 'suggestion',
    presets: ['recommended'],
    docs,
    // What each family's detector (detect.ts) matches: C's key-size calls (RSA, DH, DSA, AES/GCM/CCM/cipher
    // `setkey`, `psa_set_key_bits`, `BCryptGenerateKeyPair`) and weak curve tokens (`*secp*`, `BP160R1`,
    // `prime192v*`, `NID_sect*`); Python's `generate*` calls and curve classes; the JCA generators and specs;
    // Node's `generateKey*`, `createDiffieHellman`, `createECDH`.
    needs: (_, language) =>
      byLanguageFamily<readonly string[] | undefined>(
        language,
        {
          native: () => [
            'rsa',
            'dh_',
            'dhm_make_params',
            'dsa',
            'setkey',
            'aes_set_',
            'psa_set_key_bits',
            'bcryptgeneratekeypair',
            'secp',
            'bp160r1',
            'prime192v',
            'nid_sect',
          ],
          python: () => ['generate', 'secp192r1', 'sect163'],
          jvm: () => ['keypairgenerator', 'keygenerator', 'keygenparameterspec', 'ecgenparameterspec'],
          js: () => ['generatekey', 'creatediffiehellman', 'createecdh'],
        },
        undefined,
      ),
  },
  check: findShortKeys,
});

function describe(hit: ShortKeyHit): string {
  const min = MINIMUM_BITS[hit.kind];
  if (hit.kind === 'EC') {
    return `\`${hit.api}\` uses a ${hit.bits}-bit elliptic curve; curves below ${min} bits give less than 112-bit security and are disallowed by NIST SP 800-131A, so a recorded key exchange or a device signature key can be broken within the device's service life. Use P-256 (secp256r1), P-384 or X25519/Ed25519.`;
  }
  if (hit.kind === 'symmetric') {
    return `\`${hit.api}\` sets a ${hit.bits}-bit symmetric key; below ${min} bits a key is within reach of brute force, exposing every record or command it protects. Use a 128-bit key at least (256-bit for data that must stay secret for the device's lifetime).`;
  }
  const what = hit.kind === 'RSA/DH/DSA' ? 'RSA, DH or DSA' : hit.kind;
  return `\`${hit.api}\` makes a ${hit.bits}-bit ${what} key; NIST SP 800-131A disallows ${what} below ${min} bits (1024-bit keys are factorable by well-funded attackers), so device identity, key exchange or update signatures can be forged. Use 3072 bits (at least ${min}), or move to P-256/X25519.`;
}

function findShortKeys(ctx: RuleContext): void {
  for (const hit of detectShortKeys({ language: ctx.language, model: ctx.model, text: ctx.text })) {
    ctx.report({
      span: { start: hit.span.start, end: hit.span.end },
      message: describe(hit),
      fixes: hit.fix ? [{ title: hit.fix.title, safety: 'suggestion', edits: [hit.fix.edit] }] : undefined,
    });
  }
}
