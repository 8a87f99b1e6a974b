/**
 * Test certificates, as a project fact: the evidence that a private key in test code was made for the test.
 *
 * A key file names nothing; its certificate does. A certificate is a test certificate when every name it is for
 * is a loopback or reserved name (`localhost`, `127.0.0.1`, `::1`, `example.com`, `*.test`, `*.invalid`: RFC
 * 2606 and 6761), or when a self-made test root issued it: a self-signed certificate whose own name says test
 * (`OpenHIM Test Root`, `test-client.acme.org`, `fake`, `dummy` …) or that names no host and carries only
 * openssl's placeholder organisation (`Internet Widgits Pty Ltd`), and, down the chain, what a test certificate
 * issued. Each certificate file provides the fact for the keys it pairs with: the same public key anywhere in the
 * project, or a key in the same folder whose file name pairs with its own (`key.pem` and `cert.pem`,
 * `ca.key.pem` and `ca.cert.pem`, `device-key.pem` and `device-cert.pem`). Issuers are matched by their
 * distinguished name, as chain building does, through derivations (core/derived-facts.ts), so a root in one
 * folder and a leaf in another are followed.
 *
 * A key in test code is then live unless the project provides the fact for it (`Report.liveUnless`). A key whose
 * certificate is for a real device or organisation, issued by a real or a company CA, stays live wherever it sits.
 */
import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { pushAll } from '../../server/src/core/arrays';
import { derivesFact, encodeDerivation } from '../../server/src/core/derived-facts';
import type { ProjectCondition, RuleContext } from '../../server/src/core/types';

export const TEST_CERTIFICATE = 'test-certificate';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]{64,20000}?-----END CERTIFICATE-----/g;
/** Words of a certificate's own name that say a person made it for testing. */
const TEST_NAME_WORDS = /(?:^|[^a-z])(?:test|tests|testing|fake|dummy|mock|sample|snakeoil|unittest)(?:[^a-z]|$)/i;
/** Loopback addresses and the names reserved for testing and documentation (RFC 2606, RFC 6761). */
const RESERVED_NAME = /^(?:localhost|(?:[\w*-]+\.)*(?:localhost|test|invalid|example)|(?:[\w*-]+\.)*example\.(?:com|net|org))\.?$/i;
const LOOPBACK_ADDRESS = /^(?:127(?:\.\d{1,3}){3}|::1|0:0:0:0:0:0:0:1)$/;
/** The organisation `openssl req` fills in when its prompt is left empty (openssl.cnf's default). */
const OPENSSL_PLACEHOLDER_ORG = /^O=Internet Widgits Pty Ltd$/m;
/** File-name words that say which half of a pair a file is, not whose pair it is. */
const PAIR_WORDS = /^(?:key|private|priv|privkey|pub|public|cert|certificate|crt|cer|fullchain|chain|pem|der|p8)$/;

/** Declares the test certificates of this file (and the derivations that make certificates they issue so). */
export function provideTestCertificates(ctx: RuleContext): void {
  const content = ctx.text.content;
  if (!content.includes('-----BEGIN CERTIFICATE-----')) return;
  const provided: string[] = [];
  const derivations: string[] = [];
  for (const match of content.matchAll(PEM_CERTIFICATE)) {
    const certificate = parseCertificate(match[0]);
    if (!certificate) continue;
    // A self-signed certificate that is no test one (a bundle of public roots) says nothing: its key is not read.
    const test = isTestCertificate(certificate);
    if (!test && certificate.issuer === certificate.subject) continue;
    const own = [`pub:${keyId(certificate.publicKey)}`, `name:${pairName(ctx.path)}`, `issuer:${dnId(certificate.subject)}`];
    if (test) pushAll(provided, own);
    else {
      const issuedBy = `issuer:${dnId(certificate.issuer)}`;
      for (const then of own) derivations.push(encodeDerivation({ allOf: [issuedBy], then }));
    }
  }
  if (provided.length) ctx.provide(TEST_CERTIFICATE, provided);
  if (derivations.length) ctx.provide(derivesFact(TEST_CERTIFICATE), derivations);
}

/** For a PEM private key in test code: the condition under which it is the test's own (its certificate is a test one). */
export function testKeyCondition(ctx: RuleContext, pem: string, inKeyFile: boolean): ProjectCondition | undefined {
  const values: string[] = [];
  const publicKey = publicKeyOf(pem);
  if (publicKey) values.push(`pub:${keyId(publicKey)}`);
  // A key file pairs by name with the certificate beside it; a key written in code has no such name.
  if (inKeyFile) values.push(`name:${pairName(ctx.path)}`);
  return values.length ? { fact: TEST_CERTIFICATE, anyOf: values } : undefined;
}

function isTestCertificate(certificate: X509Certificate): boolean {
  const names = namesOf(certificate);
  if (names.length && names.every((name) => RESERVED_NAME.test(name) || LOOPBACK_ADDRESS.test(name))) return true;
  if (certificate.issuer !== certificate.subject) return false;
  if (TEST_NAME_WORDS.test(nameWords(certificate.subject))) return true;
  // Enter pressed through every `openssl req` prompt: self-signed, for no name, with openssl.cnf's placeholder
  // organisation. It vouches for no host and nobody; one that names a host is judged by that name.
  return names.length === 0 && OPENSSL_PLACEHOLDER_ORG.test(certificate.subject);
}

/** The names a certificate is for: its subject alternative names, else its common name. */
function namesOf(certificate: X509Certificate): string[] {
  const alternatives = (certificate.subjectAltName ?? '')
    .split(/,\s*/)
    .map((entry) => /^(?:DNS|IP Address):(.+)$/.exec(entry)?.[1]?.trim())
    .filter((name): name is string => !!name);
  if (alternatives.length) return alternatives;
  const common = /^CN=(.+)$/m.exec(certificate.subject)?.[1]?.trim();
  return common ? [common] : [];
}

/** The words of a distinguished name's naming attributes (CN, O, OU), camel case split. */
function nameWords(dn: string): string {
  return [...dn.matchAll(/^(?:CN|O|OU)=(.+)$/gm)].map((m) => m[1].replace(/([a-z])([A-Z])/g, '$1 $2')).join(' / ');
}

/** A folder and the words of a file name that say whose key or certificate it is (`test/tls/ca.key.pem` → `test/tls/ca`). */
export function pairName(path: string): string {
  const slash = path.lastIndexOf('/');
  const words = path
    .slice(slash + 1)
    .toLowerCase()
    .split(/[-_.]+/)
    .map((word) => word.replace(/^(?:key|cert|crt)(?=\d+$)/, ''))
    .filter((word) => word && !PAIR_WORDS.test(word));
  return `${path.slice(0, slash + 1)}${words.join('.')}`;
}

function parseCertificate(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/** The public half of an unencrypted PEM private key; undefined when it cannot be read (encrypted, malformed). */
function publicKeyOf(pem: string): KeyObject | undefined {
  if (/ENCRYPTED/.test(pem)) return undefined;
  try {
    return createPublicKey(createPrivateKey({ key: pem, format: 'pem' }));
  } catch {
    return undefined;
  }
}

function keyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 32);
}

function dnId(dn: string): string {
  return createHash('sha256').update(dn).digest('hex').slice(0, 32);
}
