import type { Call, CodeModel } from '../../server/src/core/model/types';
import type { Confidence, RuleContext, Span } from '../../server/src/core/types';
import { identifierWords } from '../_shared/identifier-words';
import { INTEGRITY_WORDS, NON_SECURITY_WORDS, PASSWORD_WORDS } from './algorithms';
import { detectWeakHashes, useOfCallee } from './detect';
import { provideHashSettings } from './settings';
import type { WeakHashHit } from './detect';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'weak-hash',
    title: 'MD5, SHA-1, MD4 or MD2 used as a cryptographic hash',
    severity: 'medium',
    confidence: 'medium',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript', 'text', 'kconfig'],
    cwe: [328, 327, 916],
    fda: ['app1.C.2', 'app1.C.1', '524b.b2'],
    sees: 'MD5, SHA-1, MD4 and MD2 used as cryptographic hashes',
    iec62443: ['CR 4.3'],
    fix: 'suggestion',
    // An audit rule: 0.31 precision on the real-code set (docs.md says why); recommended rules cover the security uses.
    presets: ['strict'],
    docs,
  },
  check: findWeakHashes,
});

type Purpose = 'password' | 'integrity' | 'non-security' | 'unknown';

/** What the surrounding code says the digest is for: argument names, the enclosing function, the variable it lands in. */
function purposeOf(hit: WeakHashHit, model: CodeModel): Purpose {
  const words = new Set<string>();
  const add = (text: string | undefined) => {
    for (const w of identifierWords(text ?? '')) words.add(w);
  };
  const call = hit.call;
  if (call) {
    // The call's own arguments and those of calls chained on it: `createHash('md5').update(image)`.
    for (let link: Call | undefined = call; link; link = model.calls.find((c) => c.receiver?.call === link)) {
      for (const arg of link.args) if (arg.kind !== 'string') add(arg.text);
    }
    add(call.fn?.name);
    for (const b of model.bindings) {
      if (b.value.start <= call.start && call.end <= b.value.end) add(b.target);
    }
  }
  const has = (set: ReadonlySet<string>) => [...words].some((w) => set.has(w));
  if (has(PASSWORD_WORDS)) return 'password';
  if (has(INTEGRITY_WORDS)) return 'integrity';
  if (has(NON_SECURITY_WORDS)) return 'non-security';
  return 'unknown';
}

function message(hit: WeakHashHit, purpose: Purpose, python: boolean): { text: string; confidence: Confidence } {
  const { api } = hit;
  const alg = hit.algorithmLabel ?? hit.algorithm;
  if (hit.use === 'integrity-check') {
    return {
      confidence: 'high',
      text: `\`${api}\` accepts an update image that matches an MD5 digest sent with it: that neither authenticates the image nor resists MD5 collisions. Verify a signature over a SHA-256 digest of the image before it is activated.`,
    };
  }
  if (purpose === 'password') {
    return {
      confidence: 'high',
      text: `\`${api}\` hashes a password or PIN with ${alg}, which is fast and broken, so a leaked digest is brute-forced offline (CWE-916). Use a salted, slow password hash (PBKDF2-HMAC-SHA256 with a high iteration count, scrypt or Argon2).`,
    };
  }
  if (hit.use === 'hmac') {
    return {
      confidence: 'low',
      text: `\`${api}\` uses HMAC-${alg}: HMAC-${alg} is not broken outright, but ${alg} is not an approved hash for new device designs. Use HMAC-SHA256.`,
    };
  }
  if (hit.use === 'signature') {
    return {
      confidence: 'high',
      text: `\`${api}\` signs or verifies over ${alg}, whose collisions let an attacker get a signature that also covers data of their choosing (firmware, commands). Use a SHA-256 or stronger signature algorithm, with the signer updated to match.`,
    };
  }
  if (purpose === 'integrity') {
    return {
      confidence: 'high',
      text: `\`${api}\` uses ${alg} to check firmware, images or signed data, and ${alg} collisions are practical: a tampered image can match the expected digest. Use SHA-256 or stronger, and verify a signature over it.`,
    };
  }
  const notSecurity = python ? 'pass usedforsecurity=False' : 'suppress this finding with a justification';
  if (purpose === 'non-security') {
    return {
      confidence: 'low',
      text: `\`${api}\` uses ${alg}, a broken hash; here it looks like a cache or lookup key. If no security decision rests on it, ${notSecurity}; otherwise use SHA-256.`,
    };
  }
  return {
    confidence: 'medium',
    text: `\`${api}\` uses ${alg}, a broken hash (practical collisions), so it cannot protect device data, commands or updates from tampering. Use SHA-256 or stronger; if the digest is not a security control, ${notSecurity}.`,
  };
}

function parentCalls(model: CodeModel): Map<Call, Call> {
  const parents = new Map<Call, Call>();
  for (const call of model.calls) {
    for (const arg of call.args) if (arg.call) parents.set(arg.call, call);
    for (const p of call.named) if (p.value.call) parents.set(p.value.call, call);
  }
  return parents;
}

function findWeakHashes(ctx: RuleContext): void {
  // Configuration files only say which algorithm a setting holds, for the code that reads it.
  if (ctx.language === 'text' || ctx.language === 'kconfig') return provideHashSettings(ctx);
  const { model } = ctx;
  // Built for the first hit: it resolves the arguments of every call, and most files have no weak hash.
  let parents: Map<Call, Call> | undefined;
  for (const hit of detectWeakHashes({ language: ctx.language, model, text: ctx.text, flow: ctx.flow })) {
    // A digest constructor passed to HMAC or to a signing call takes that call's use: `HMAC(EVP_sha1(), ...)`.
    const parent = hit.call && (parents ??= parentCalls(model)).get(hit.call);
    const use = hit.use === 'digest' && parent ? useOfCallee(parent.callee) : hit.use;
    // HMAC-SHA1 remains an approved MAC (NIST SP 800-107, SP 800-131A): not a finding.
    if (use === 'hmac' && hit.algorithm === 'SHA-1') continue;
    const purpose = purposeOf(hit, model);
    const { text, confidence } = message({ ...hit, use }, purpose, ctx.language === 'python');
    // SHA-256 is no better for a password than MD5 (CWE-916): offer no like-for-like swap there.
    // Nor for signatures: the signer has to change with the verifier.
    const fix = purpose === 'password' || use === 'signature' ? undefined : hit.fix;
    const span: Span = { start: hit.span.start, end: hit.span.end };
    ctx.report({
      span,
      message: text,
      confidence,
      fixes: fix ? [{ title: fix.title, safety: 'suggestion', edits: [fix.edit] }] : undefined,
      ...(hit.when ? { when: hit.when } : {}),
      ...(hit.unless ? { unless: hit.unless } : {}),
    });
  }
}
