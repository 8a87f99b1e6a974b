/** The secrets library on its own: entropy, placeholders, structure checks, key armours, assignments, formats. */
import * as crypto from 'crypto';
import { describe, expect, it } from 'vitest';
import { classifyDer, keyContainerSource, recognizeKeyContainer } from '../../server/src/core/key-container';
import { findAssignments } from '../../rules/_shared/secrets/assignments';
import { base62, basicCredential, crc32, hasValidCrc32Suffix, parseJwt } from '../../rules/_shared/secrets/checks';
import { alphabetOf, looksRandom } from '../../rules/_shared/secrets/entropy';
import { findSecrets, type SecretFinding } from '../../rules/_shared/secrets/find-secrets';
import { textKindOf } from '../../rules/_shared/secrets/file-kinds';
import { PREFIX_FORMATS, SLOT_FORMATS } from '../../rules/_shared/secrets/formats';
import { isNotASecret } from '../../rules/_shared/secrets/placeholders';
import { javaKeyStore, pkcs12 } from './der-builders';
import { costGrowth, linearBound } from '../helpers/cpu-cost';

const random = (alphabet: string, n: number) => Array.from(crypto.randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');
const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const githubToken = (prefix: string) => {
  const body = random(B62, 30);
  return `${prefix}${body}${base62(crc32(body), 6)}`;
};

function scan(content: string, path = 'config/app.properties'): SecretFinding[] {
  return findSecrets(content, { kind: textKindOf(path, content), path, assignments: 'all' });
}
const ids = (content: string, path?: string) => scan(content, path).map((f) => f.format.id);

describe('entropy per alphabet', () => {
  it('accepts random strings of every alphabet and length, and rejects words and repetitions', () => {
    // The threshold sits about 3.3 standard deviations below a random string's mean: a few in a thousand miss.
    for (const [alphabet, lengths] of [
      ['0123456789abcdef', [20, 32, 40, 64]],
      [B62, [16, 24, 32, 40]],
      [`${B62}+/`, [20, 40, 88]],
    ] as const) {
      for (const n of lengths) {
        const missed = Array.from({ length: 500 }, () => random(alphabet, n)).filter((value) => !looksRandom(value)).length;
        expect(missed, `${alphabet.length}/${n}`).toBeLessThanOrEqual(10);
      }
    }
    for (const word of ['deadbeefdeadbeefdeadbeef', 'aaaaaaaaaaaaaaaaaaaa', 'abababababababababab']) expect(looksRandom(word)).toBe(false);
    expect(alphabetOf('5f685dd49aec23ce')).toBe('hex');
    expect(alphabetOf('AKIARRTBBHZN3WYZ')).toBe('base32');
    expect(alphabetOf('zoL/DJKfnrrvC6KB')).toBe('base64');
  });
});

describe('placeholders and look-alikes', () => {
  it.each([
    'xxxxxxxxxxxxxxxx',
    '0000000000000000',
    '<TOKEN>',
    '${API_KEY}',
    '${API_KEY:-}',
    '{{ .Values.token }}',
    '%s',
    '%(token)s',
    'your-api-key-here',
    'YOUR_TOKEN',
    'changeme',
    'REPLACE_ME',
    'AKIAIOSFODNN7EXAMPLE',
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    '****',
    'sk-...abcd',
    'ghp_****************',
    'ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)',
    'vault:v1:abcdef',
    '$(TOKEN)',
    '@TOKEN@',
  ])('%s is not a secret', (value) => expect(isNotASecret(value, true)).toBe(true));

  it.each([
    '0123456789abcdef0123',
    'abcdefghijklmnopqrstuvwxyz012345',
    '5f0c6a1e-8b4d-4c2e-9a7f-1d3b5e7c9a0b',
    'MyApplicationSecretKey2024',
    'sha256:e3b0c44298fc1c149afbf4c8996fb924',
  ])('%s is a look-alike, not a generated secret', (value) => expect(isNotASecret(value, true)).toBe(true));

  it('keeps real-looking values', () => {
    for (let i = 0; i < 50; i++) expect(isNotASecret(random(B62, 32), true)).toBe(false);
  });
});

describe('structure checks', () => {
  it('verifies the CRC32 checksum of GitHub and npm tokens', () => {
    const token = githubToken('ghp_');
    expect(hasValidCrc32Suffix(token, 4)).toBe(true);
    expect(hasValidCrc32Suffix(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, 4)).toBe(false);
    expect(scan(`token=${token}`)[0].confidence).toBe('high');
  });

  it('parses a JWT header and payload, and rejects three dotted parts that are not one', () => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jwt = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: 'pump-07', iat: 1716000000 })}.${random(B62, 43)}`;
    expect(parseJwt(jwt)?.header.alg).toBe('HS256');
    expect(ids(`auth: ${jwt}`, 'a.yaml')).toEqual(['jwt']);
    expect(parseJwt(`eyJub3Rqc29u.${part({ a: 1 })}.${random(B62, 20)}`)).toBeUndefined();
    const anon = `${part({ alg: 'HS256' })}.${part({ iss: 'supabase', role: 'anon' })}.${random(B62, 43)}`;
    expect(ids(`SUPABASE_ANON_KEY=${anon}`, 'a.properties')).toEqual([]);
  });

  it('decodes Basic credentials', () => {
    expect(basicCredential(Buffer.from('svc:Xk29fj3Lq!vB').toString('base64'))).toEqual({ user: 'svc', password: 'Xk29fj3Lq!vB' });
  });
});

describe('key recognition', () => {
  const keyOf = (type: 'rsa' | 'ec' | 'ed25519'): crypto.KeyObject =>
    (type === 'rsa'
      ? crypto.generateKeyPairSync('rsa', { modulusLength: 1024 })
      : type === 'ec'
        ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : crypto.generateKeyPairSync('ed25519')
    ).privateKey;
  const der = (type: 'rsa' | 'ec' | 'ed25519', encoding: crypto.KeyExportOptions<'der'>) => new Uint8Array(keyOf(type).export(encoding));

  it('classifies DER private keys of every encoding and leaves public keys alone', () => {
    expect(classifyDer(der('rsa', { type: 'pkcs1', format: 'der' }))).toBe('pkcs1-private-key');
    expect(classifyDer(der('rsa', { type: 'pkcs8', format: 'der' }))).toBe('pkcs8-private-key');
    expect(classifyDer(der('ec', { type: 'sec1', format: 'der' }))).toBe('sec1-private-key');
    expect(classifyDer(der('ed25519', { type: 'pkcs8', format: 'der' }))).toBe('pkcs8-private-key');
    expect(classifyDer(der('ec', { type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: 'fixture' }))).toBe(
      'pkcs8-encrypted-private-key',
    );
    const { publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(classifyDer(new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })))).toBeUndefined();
  });

  it('recognises key containers by magic number, and says only what they are', () => {
    expect(recognizeKeyContainer(pkcs12('key'))).toMatchObject({ holdsKey: true, encrypted: true });
    expect(recognizeKeyContainer(pkcs12('certificate'))).toMatchObject({ holdsKey: false });
    expect(recognizeKeyContainer(javaKeyStore('private-key'))).toMatchObject({ holdsKey: true });
    expect(recognizeKeyContainer(javaKeyStore('certificate'))).toMatchObject({ holdsKey: false });
    expect(recognizeKeyContainer(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0]))).toBeUndefined();
    const text = keyContainerSource(pkcs12('key'))!;
    expect(text).toMatch(/^\[binary PKCS#12 \(PFX\) key store .*, \d+ bytes\]$/);
    expect(keyContainerSource(pkcs12('certificate'))).toBeUndefined();
  });

  const pem = (type: 'rsa' | 'ec' | 'ed25519'): string => keyOf(type).export({ type: 'pkcs8', format: 'pem' }).toString();

  it('finds PEM keys in every glue: plain, JSON-escaped, split C literals, Java concatenation, XML entities', () => {
    const key = pem('ec');
    const lines = key.trim().split('\n');
    expect(ids(key, 'certs/device.key')).toEqual(['private-key']);
    expect(ids(JSON.stringify({ private_key: key }), 'a.json')).toEqual(['private-key']);
    expect(ids(`static const char k[] =\n${lines.map((l) => `    "${l}\\n"`).join('\n')};\n`, 'k.c')).toEqual(['private-key']);
    expect(ids(`String k = ${lines.map((l) => `"${l}\\n"`).join(' +\n    ')};`, 'K.java')).toEqual(['private-key']);
    expect(ids(`<key>${lines.join('&#10;')}</key>`, 'a.xml')).toEqual(['private-key']);
  });

  it('finds encrypted, OpenSSH, PGP and PuTTY keys, base64 DER and base64 PEM', () => {
    const encrypted = crypto
      .generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'fixture' })
      .toString();
    expect(scan(encrypted, 'k.pem')[0]).toMatchObject({ encrypted: true, confidence: 'medium' });
    const b64 = (n: number) => crypto.randomBytes(n).toString('base64');
    const pgp = `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOY${b64(600)
      .match(/.{1,64}/g)!
      .join('\n')}\n=AbCd\n-----END PGP PRIVATE KEY BLOCK-----\n`;
    expect(ids(pgp, 'k.asc')).toEqual(['private-key']);
    const putty = `PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: k\nPublic-Lines: 1\n${b64(100)}\nPrivate-Lines: 2\n${b64(48)}\n${b64(48)}\nPrivate-MAC: ${random('0123456789abcdef', 40)}\n`;
    expect(ids(putty, 'k.ppk')).toEqual(['private-key']);
    const derKey = crypto
      .generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'der' })
      .toString('base64');
    expect(ids(`String KEY = "${derKey}";`, 'K.java')).toEqual(['private-key']);
    expect(ids(`tls.key: ${Buffer.from(pem('ec')).toString('base64')}`, 'secret.yaml')).toEqual(['private-key']);
  });

  it('leaves certificates, public keys and elided keys alone', () => {
    const { publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(ids(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'k.pem')).toEqual([]);
    expect(ids('-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----\n', 'README.md')).toEqual([]);
    expect(ids('-----BEGIN PRIVATE KEY-----\n<your key here>\n-----END PRIVATE KEY-----\n', 'README.md')).toEqual([]);
    expect(ids('const HEADER = "-----BEGIN PRIVATE KEY-----";', 'a.ts')).toEqual([]);
  });
});

describe('assignments in text files', () => {
  const pairs = (content: string, path = 'a.conf') =>
    findAssignments(content, textKindOf(path, content), path).map((a) => [a.key, a.value]);

  it('reads the usual syntaxes', () => {
    expect(pairs('db.password=abc\nexport TOKEN="t1"\nkey: value\n"json": "v"\n')).toEqual([
      ['db.password', 'abc'],
      ['TOKEN', 't1'],
      ['key', 'value'],
      ['json', 'v'],
    ]);
    expect(
      pairs('<add key="ClearTextPassword" value="pw1"/>\n<string name="api_key">k1</string>\n<password>p2</password>\n', 'a.xml'),
    ).toEqual(
      expect.arrayContaining([
        ['ClearTextPassword', 'pw1'],
        ['api_key', 'k1'],
        ['password', 'p2'],
      ]),
    );
    expect(pairs('curl -u admin:pw3 https://x\ndocker login --password pw4 r\nmysql -u r -ppw5 db\n', 'run.sh')).toEqual(
      expect.arrayContaining([
        ['password', 'pw3'],
        ['password', 'pw4'],
        ['password', 'pw5'],
      ]),
    );
    expect(pairs('  - name: API_KEY\n    value: v6\n', 'a.yaml')).toEqual(expect.arrayContaining([['API_KEY', 'v6']]));
    expect(pairs('conn = "Server=db;User Id=sa;Password=pw7;"\n')).toEqual(expect.arrayContaining([['Password', 'pw7']]));
    expect(pairs('//registry.npmjs.org/:_authToken=t8\n', '.npmrc')).toEqual([['//registry.npmjs.org/:_authToken', 't8']]);
    expect(pairs('machine h login u password pw9\n', '.netrc')).toEqual([['password', 'pw9']]);
    expect(pairs('requirepass s3cr3t\n', 'redis.conf')).toEqual([['requirepass', 's3cr3t']]);
  });

  it('takes only quoted values in program text', () => {
    expect(pairs('apiKey := "k1"\npassword = getPassword()\ntoken = other\n', 'main.go')).toEqual([['apiKey', 'k1']]);
  });

  it('is linear on hostile lines', () => {
    const hostile = (n: number) =>
      `${'a=b;'.repeat(n)}\n${'key: '.repeat(n)}\n${'-u '.repeat(n)}\n${'"'.repeat(2 * n)}\n${'sk-'.repeat(n)}`;
    // 6,250 to 50,000 repeats a line: the CPU time grows with the length, not its square.
    expect(costGrowth((n) => scan(hostile(n), 'x.conf'), 50_000, 8)).toBeLessThan(linearBound(8));
  });
});

describe('provider formats', () => {
  it('leaves an expired JWT alone: it authenticates no one', () => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = (exp: number) => `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: 'pump-7', exp })}.${'Q3xk9'.repeat(8)}abc`;
    const ids = (content: string) => scan(content, 'notes.txt').map((f) => f.format.id);
    expect(ids(`token: ${token(1705353131)}\n`)).not.toContain('jwt');
    expect(ids(`token: ${token(4102444800)}\n`)).toContain('jwt');
  });

  it('names a provider through glued names and finds tokens whose dollars a shell escaped', () => {
    const ids = (content: string, path?: string) => scan(content, path).map((f) => f.format.id);
    expect(ids('channelwritekey = 8WHE600QY6ZI5JLT\n', 'service.ini')).toContain('thingspeak-key');
    expect(ids('channelwritekey = 8WHE600QY6ZI5JL\n', 'service.ini')).not.toContain('thingspeak-key');
    const braintree = 'access_token\\$production\\$wand8omy62aw351h\\$bde43934412d1cda2aaa2354e7c8b98f';
    expect(ids(`export BRAINTREE_ACCESS_TOKEN="${braintree}"\n`, 'deploy.sh')).toContain('braintree-token');
  });

  it('has ids that are unique and kebab-case, and prefixes on every token format', () => {
    const all = [...PREFIX_FORMATS, ...SLOT_FORMATS].map((f) => f.id);
    expect(new Set(PREFIX_FORMATS.map((f) => f.id)).size).toBe(PREFIX_FORMATS.length);
    expect(all.every((id) => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id))).toBe(true);
    expect(PREFIX_FORMATS.every((f) => f.prefixes.length > 0 && f.pattern.sticky)).toBe(true);
  });

  it('finds a token of each family in a configuration file, with its provider', () => {
    expect(ids(`k=${githubToken('ghp_')}`)).toEqual(['github-pat']);
    expect(ids(`k=AKIA${random('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`)).toEqual(['aws-access-key-id']);
    expect(ids(`aws_secret_access_key = ${random(`${B62}+/`, 40)}`)).toEqual(['aws-secret-access-key']);
    expect(ids(`k=xoxb-${random('0123456789', 12)}-${random('0123456789', 13)}-${random(B62, 24)}`)).toEqual(['slack-bot-token']);
    expect(ids(`k=sk-ant-api03-${random(`${B62}_-`, 93)}AA`)).toEqual(['anthropic-api-key']);
    expect(ids(`TWILIO_AUTH_TOKEN=${random('0123456789abcdef', 32)}`)).toEqual(['twilio-auth-token']);
  });

  it('does not report publishable keys, documentation keys or masked tokens', () => {
    expect(ids(`k=pk_live_${random(B62, 24)}`)).toEqual([]);
    expect(ids('k=AKIAIOSFODNN7EXAMPLE\nk2=ghp_************************************\nk3=sk_live_YOUR_SECRET_KEY_HERE_0000')).toEqual([]);
  });
});
