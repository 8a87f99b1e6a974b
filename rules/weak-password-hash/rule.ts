import type { Rule } from '../../server/src/core/types';
import { findFastPasswordHashes, findWeakPbkdf2 } from './detect';

export default {
  meta: {
    id: 'weak-password-hash',
    title: 'Password hashed with a fast hash, few PBKDF2 iterations or a constant salt',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [916, 759, 760],
    fda: ['app1.C.2', 'app1.A.5', '524b.b2'],
    iec62443: ['CR 1.5', 'CR 1.7', 'CR 4.3'],
    fix: 'suggestion',
    presets: ['recommended'],
    docs: {
      summary: [
        'Finds passwords and PINs stored or compared through a hash that is too cheap to resist offline guessing:',
        '- a **fast digest of a password**: a value whose name says it is a password or PIN (the `hardcoded-credential` name rules; tokens and',
        '  API keys are excluded because they are random) passed to `hashlib.sha256(...)`/`hashlib.new(...)` or a hashlib object\'s `update()`,',
        '  `crypto.createHash(...).update(...)`, `MessageDigest.update()/digest()`, Apache `DigestUtils.sha256Hex`, Guava `Hashing.*().hashString`,',
        '  OpenSSL `SHA256()`/`SHA256_Update()`/`EVP_DigestUpdate()`, mbedTLS `mbedtls_sha256()`/`mbedtls_md()`/`*_update()`, wolfSSL `wc_Sha256Hash()`',
        '  and PSA `psa_hash_compute()`;',
        '- **PBKDF2 with too few iterations**: below 100,000 in Python, Java/Kotlin and Node (`hashlib.pbkdf2_hmac`, `crypto.pbkdf2Sync`,',
        '  `PBEKeySpec`), below 10,000 in C/C++ firmware (`mbedtls_pkcs5_pbkdf2_hmac_ext`, `PKCS5_PBKDF2_HMAC`, `wc_PBKDF2`), the count read',
        '  from a literal or a same-file constant;',
        '- **PBKDF2 with a constant salt**: a literal, a same-file constant, `"...".getBytes()` or `Buffer.from("...")`.',
        '',
        'The thresholds: for servers, apps and tools the rule follows OWASP\'s Password Storage Cheat Sheet (2023), which recommends 600,000',
        'iterations for PBKDF2-HMAC-SHA256 and 210,000 for HMAC-SHA512; it reports below 100,000, where no digest choice makes the count',
        'adequate, and the message recommends the OWASP figure. For firmware, where a microcontroller verifies a keypad PIN and each attempt',
        'costs real unlock time, it follows NIST SP 800-63B ("typically at least 10,000 iterations") and reports below 10,000; a short PIN',
        'needs attempt limiting and protected storage for its hash as well, whatever the count. `weak-hash` also reports MD5 and SHA-1 of a',
        'password; both findings are correct (one is about the algorithm, this one about the construction) and fixing this one fixes both.',
      ].join('\n'),
      risk: 'Device service passwords, clinician PINs and companion-app account passwords end up in flash, backups and cloud databases. When they are stored as a fast hash (even SHA-256) or with a salt shared by every unit, anyone who dumps one device or one database recovers most of the passwords in hours on a GPU and reuses them on the rest of the fleet, where they unlock therapy settings and service menus. FDA expects credentials that cannot be easily compromised and current cryptographic strength (Appendix 1 A.5, C.2).',
      fix: 'Hash passwords with a memory-hard password hash: Argon2id (libsodium `crypto_pwhash`, `argon2-cffi`, Bouncy Castle `Argon2BytesGenerator`), scrypt (`hashlib.scrypt`, `crypto.scrypt`) or bcrypt. Where only PBKDF2 is available (mbedTLS, FIPS builds), use HMAC-SHA256 with at least 600,000 iterations on servers and apps (on a microcontroller, as many as the unlock-time budget allows and never below 10,000, plus attempt limiting), a random salt of 16 bytes or more per password from the platform DRBG, stored beside the hash, and compare results in constant time.',
      examples: [
        {
          language: 'python',
          bad: 'import hashlib\n\ndef store(password):\n    return hashlib.sha256(password.encode()).hexdigest()\n',
          good: 'import hashlib, os\n\ndef store(password):\n    salt = os.urandom(16)\n    return salt, hashlib.scrypt(password.encode(), salt=salt, n=2**15, r=8, p=1)\n',
        },
        {
          language: 'java',
          bad: 'class Vault {\n    static final byte[] SALT = "pump".getBytes();\n    KeySpec spec(char[] password) {\n        return new PBEKeySpec(password, SALT, 1000, 256);\n    }\n}\n',
          good: 'class Vault {\n    KeySpec spec(char[] password, byte[] salt) {\n        return new PBEKeySpec(password, salt, 600000, 256);\n    }\n}\n',
        },
        {
          language: 'c',
          bad: 'void store_pin(const char *service_pin, unsigned char out[32]) {\n    mbedtls_sha256((const unsigned char *)service_pin, strlen(service_pin), out, 0);\n}\n',
          good: 'void store_pin(const char *service_pin, const unsigned char salt[16], unsigned char out[32]) {\n    mbedtls_pkcs5_pbkdf2_hmac_ext(MBEDTLS_MD_SHA256, (const unsigned char *)service_pin, strlen(service_pin), salt, 16, 600000, 32, out);\n}\n',
        },
      ],
      fixSafety: 'The only fix is a suggestion that raises a literal PBKDF2 iteration count to 600000 (10000 in C/C++ firmware). It changes every derived value: stored hashes no longer verify and derived keys no longer decrypt until you migrate (re-hash at next login, or store the count with each hash), and a slow microcontroller may need a lower, measured count. A fast hash cannot be swapped in place for the same reason, and a constant salt needs storage for a per-password salt, so neither gets a fix.',
      references: [
        { title: 'CWE-916: Use of Password Hash With Insufficient Computational Effort', url: 'https://cwe.mitre.org/data/definitions/916.html' },
        { title: 'CWE-760: Use of a One-Way Hash with a Predictable Salt', url: 'https://cwe.mitre.org/data/definitions/760.html' },
        { title: 'OWASP: Password Storage Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html' },
        { title: 'NIST SP 800-63B: Digital Identity Guidelines, memorized secret verifiers', url: 'https://pages.nist.gov/800-63-3/sp800-63b.html' },
        { title: 'NIST SP 800-132: Recommendation for Password-Based Key Derivation', url: 'https://csrc.nist.gov/pubs/sp/800/132/final' },
      ],
    },
  },
  check(ctx) {
    const findings = [...findFastPasswordHashes(ctx.model, ctx.language), ...findWeakPbkdf2(ctx.model, ctx.language)];
    const reported = new Set<string>();
    for (const finding of findings) {
      const key = `${finding.span.start}:${finding.span.end}`;
      if (reported.has(key)) continue;
      reported.add(key);
      ctx.report({ span: finding.span, message: finding.message, fixes: finding.fix ? [finding.fix] : undefined });
    }
  },
} satisfies Rule;
