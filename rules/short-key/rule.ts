import type { Rule, RuleContext } from '../../server/src/core/types';
import { MINIMUM_BITS, detectShortKeys } from './detect';
import type { ShortKeyHit } from './detect';

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
  const reported = new Set<number>();
  for (const hit of detectShortKeys({ language: ctx.language, model: ctx.model, text: ctx.text })) {
    if (reported.has(hit.span.start)) continue;
    reported.add(hit.span.start);
    ctx.report({
      span: { start: hit.span.start, end: hit.span.end },
      message: describe(hit),
      fixes: hit.fix ? [{ title: hit.fix.title, safety: 'suggestion', edits: [hit.fix.edit] }] : undefined,
    });
  }
}

export default {
  meta: {
    id: 'short-key',
    title: 'Key too short: RSA, DH or DSA below 2048 bits, elliptic curves below 224 bits, symmetric keys below 128 bits',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [326],
    fda: ['app1.C.2', '524b.b2'],
    iec62443: ['CR 4.3', 'CR 1.9', 'CR 1.14'],
    fix: 'suggestion',
    presets: ['recommended'],
    docs: {
      summary: [
        'Finds keys generated or set below the NIST SP 800-131A minimums (112-bit security strength):',
        '- **RSA, DH, DSA below 2048 bits**: mbedTLS `mbedtls_rsa_gen_key`, `mbedtls_dhm_make_params` (size in bytes); OpenSSL',
        '  `RSA_generate_key_ex`, `EVP_RSA_gen`, `EVP_PKEY_CTX_set_rsa_keygen_bits`, `EVP_PKEY_CTX_set_dh_paramgen_prime_len`,',
        '  `EVP_PKEY_CTX_set_dsa_paramgen_bits`, `DH_generate_parameters_ex`; wolfCrypt `wc_MakeRsaKey`; Windows CNG',
        '  `BCryptGenerateKeyPair` (sizes other than the ECC 256/384/521); Java/Kotlin `KeyPairGenerator.initialize`,',
        '  `RSAKeyGenParameterSpec`; Python `rsa`/`dsa.generate_private_key(key_size=...)`, `dh.generate_parameters`, PyCryptodome',
        '  `RSA.generate`/`DSA.generate`; Node `generateKeyPair(Sync)` `modulusLength`, WebCrypto `generateKey` `modulusLength`, `createDiffieHellman`.',
        '- **Elliptic curves below 224 bits**: `secp192r1`/`prime192v1`/`P-192`, `secp160r1`, `sect163k1` and similar, as mbedTLS',
        '  `MBEDTLS_ECP_DP_SECP192R1`, OpenSSL `NID_*`, wolfSSL `ECC_SECP192R1`, micro-ecc `uECC_secp160r1()`/`uECC_secp192r1()`, JCA',
        '  `ECGenParameterSpec`, cryptography `ec.SECP192R1()`, PyCryptodome `ECC.generate(curve=...)`, Node `namedCurve` and `createECDH`.',
        '- **Symmetric keys below 128 bits**: `mbedtls_aes_setkey_enc/dec`, `mbedtls_gcm_setkey`, `mbedtls_ccm_setkey`, `mbedtls_cipher_setkey`,',
        '  OpenSSL `AES_set_*_key`, JCA `KeyGenerator.init`, WebCrypto AES `length`.',
        '',
        'Sizes written as same-file constants (`#define RSA_BITS 1024`, `static final int KEY_BITS = 1024`) are followed; a size that comes',
        'from configuration at run time is not reported.',
      ].join('\n'),
      risk:
        'Medical devices stay in service for ten years or more. A 1024-bit RSA or DH key, or a 160/192-bit curve, is within reach of a ' +
        'well-funded attacker today and will be cheaper to break every year the device is in the field: the attacker can then impersonate ' +
        'the device or its server, decrypt recorded sessions carrying patient data, or sign firmware and commands the device accepts. FDA ' +
        'premarket guidance expects cryptographic strength that stays NIST-recommended for the device\'s whole service life (Appendix 1 C.2).',
      fix:
        'Generate RSA keys of 3072 bits (2048 at the very least, if a peer cannot do more), DH groups of 2048 bits or more (prefer ECDHE), ' +
        'P-256 or stronger curves (or X25519/Ed25519), and 128 or 256-bit symmetric keys. On constrained MCUs where RSA-3072 is too slow, ' +
        'move to P-256 ECDSA/ECDH, which is faster and smaller than RSA-2048. Keys already in the field need a rotation plan.',
      examples: [
        {
          language: 'c',
          bad: '#define DEVICE_RSA_BITS 1024\nint make_identity(mbedtls_rsa_context *rsa, mbedtls_ctr_drbg_context *drbg) {\n    return mbedtls_rsa_gen_key(rsa, mbedtls_ctr_drbg_random, drbg, DEVICE_RSA_BITS, 65537);\n}\n',
          good: '#define DEVICE_RSA_BITS 3072\nint make_identity(mbedtls_rsa_context *rsa, mbedtls_ctr_drbg_context *drbg) {\n    return mbedtls_rsa_gen_key(rsa, mbedtls_ctr_drbg_random, drbg, DEVICE_RSA_BITS, 65537);\n}\n',
        },
        {
          language: 'java',
          bad: 'class Identity {\n  KeyPair create() throws Exception {\n    KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");\n    kpg.initialize(1024);\n    return kpg.generateKeyPair();\n  }\n}\n',
          good: 'class Identity {\n  KeyPair create() throws Exception {\n    KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");\n    kpg.initialize(3072);\n    return kpg.generateKeyPair();\n  }\n}\n',
        },
        {
          language: 'python',
          bad: 'from cryptography.hazmat.primitives.asymmetric import rsa\nkey = rsa.generate_private_key(public_exponent=65537, key_size=1024)\n',
          good: 'from cryptography.hazmat.primitives.asymmetric import rsa\nkey = rsa.generate_private_key(public_exponent=65537, key_size=3072)\n',
        },
        {
          language: 'typescript',
          bad: "import { generateKeyPairSync } from 'crypto';\nexport const pair = generateKeyPairSync('ec', { namedCurve: 'prime192v1' });\n",
          good: "import { generateKeyPairSync } from 'crypto';\nexport const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });\n",
        },
      ],
      fixSafety:
        'For RSA, DH and DSA sizes written as a number at the call, a suggestion replaces the number with 3072. It is never applied in ' +
        'bulk: a bigger key changes certificate and signature sizes, key generation time on small MCUs (seconds to minutes), buffers ' +
        'sized for 1024-bit keys, and what peers must accept. Sizes held in shared constants, curves and symmetric keys get no ' +
        'automatic fix, because buffers, key material and the other end change with them.',
      references: [
        { title: 'CWE-326: Inadequate Encryption Strength', url: 'https://cwe.mitre.org/data/definitions/326.html' },
        { title: 'NIST SP 800-131A Rev. 2: Transitioning the Use of Cryptographic Algorithms and Key Lengths', url: 'https://csrc.nist.gov/pubs/sp/800/131/a/r2/final' },
        { title: 'NIST SP 800-57 Part 1 Rev. 5: Recommendation for Key Management (security strengths)', url: 'https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final' },
        { title: 'BSI TR-02102-1: Cryptographic Mechanisms, Recommendations and Key Lengths', url: 'https://www.bsi.bund.de/EN/Themen/Unternehmen-und-Organisationen/Standards-und-Zertifizierung/Technische-Richtlinien/TR-nach-Thema-sortiert/tr02102/tr02102_node.html' },
      ],
    },
  },
  check: findShortKeys,
} satisfies Rule;
