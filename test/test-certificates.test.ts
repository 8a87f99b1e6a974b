/**
 * A private key in test code is the test's own when its certificate is a test certificate (for localhost or a
 * reserved name, or issued by a self-made test root), which is a project fact: the certificate may sit in another
 * file or folder (rules/hardcoded-credential/test-certificates.ts). The fixture project
 * `rules/hardcoded-credential/fixtures/infusion-hub` holds test keys and the near misses that stay live.
 */
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../server/src/core/config';
import { scan } from '../server/src/core/scan';
import type { Finding } from '../server/src/core/types';
import { pairName } from '../rules/hardcoded-credential/test-certificates';
import { BUILTIN } from './helpers/registry';

const HUB = path.resolve(__dirname, '..', 'rules', 'hardcoded-credential', 'fixtures', 'infusion-hub');

async function keyFindings(raw: unknown, paths = [HUB]): Promise<[string, string][]> {
  const config = resolveConfig(raw, undefined, HUB, BUILTIN);
  const result = await scan({ root: HUB, paths, config, workers: 1 });
  return result.files
    .flatMap((file) => file.findings)
    .filter((f: Finding) => f.ruleId === 'hardcoded-credential')
    .map((f): [string, string] => [f.path, f.severity])
    .sort(([a], [b]) => a.localeCompare(b));
}

const LIVE = [
  ['test/resources/bedside-tls/gateway.key', 'critical'],
  ['test/resources/portal-tls/key.pem', 'critical'],
  ['test/resources/ward-gateway/gateway.key', 'critical'],
];

describe('keys whose certificate is a test certificate', () => {
  it('live-secrets (recommended): only the keys whose certificates name a real host or a real CA', async () => {
    expect(await keyFindings({ extends: ['medsec:recommended'] })).toEqual(LIVE);
  });

  it('lower: the test keys at low, the others at their severity', async () => {
    expect(await keyFindings({ extends: ['medsec:recommended'], testCode: { findings: 'lower' } })).toEqual([
      ['test/resources/bedside-tls/gateway.key', 'critical'],
      ['test/resources/ca/root.key.pem', 'low'],
      ['test/resources/client-tls/key.pem', 'low'],
      ['test/resources/dicom-tls/client.key', 'low'],
      ['test/resources/portal-tls/key.pem', 'critical'],
      ['test/resources/server-tls/key.pem', 'low'],
      ['test/resources/ward-gateway/gateway.key', 'critical'],
    ]);
  });

  it('evidence (strict): the keys a test certificate does not vouch for, as recommended', async () => {
    expect(await keyFindings({ extends: ['medsec:strict'] })).toEqual(LIVE);
  });

  it('report: every key', async () => {
    const findings = await keyFindings({ extends: ['medsec:strict'], testCode: { findings: 'report' } });
    expect(findings.map(([, severity]) => severity)).toEqual(Array(7).fill('critical'));
  });

  it('a key whose certificate is not scanned with it stays live: the evidence must be seen', async () => {
    const key = path.join(HUB, 'test', 'resources', 'server-tls', 'key.pem');
    expect(await keyFindings({ extends: ['medsec:recommended'] }, [key])).toEqual([['test/resources/server-tls/key.pem', 'critical']]);
  });

  it('the same key outside test code is reported whatever its certificate says (a shipped default key)', async () => {
    const config = { extends: ['medsec:recommended'], testCode: { excludedFiles: ['test/resources/server-tls/**'] } };
    expect(await keyFindings(config)).toEqual(
      [...LIVE, ['test/resources/server-tls/key.pem', 'critical']].sort(([a], [b]) => a.localeCompare(b)),
    );
  });
});

describe('which key file pairs with which certificate file by name', () => {
  it.each([
    ['test/tls/key.pem', 'test/tls/cert.pem'],
    ['test/tls/ca.key.pem', 'test/tls/ca.cert.pem'],
    ['test/tls/key1.pem', 'test/tls/cert1.pem'],
    ['test/tls/invalid-key.pem', 'test/tls/invalid-cert.pem'],
    ['test/tls/device_private.key', 'test/tls/device.crt'],
    ['test/le/privkey.pem', 'test/le/fullchain.pem'],
  ])('%s with %s', (key, certificate) => expect(pairName(key)).toBe(pairName(certificate)));

  it.each([
    ['test/tls/key1.pem', 'test/tls/cert2.pem'],
    ['test/tls/client.key', 'test/tls/server.crt'],
    ['test/a/key.pem', 'test/b/cert.pem'],
  ])('not %s with %s', (key, certificate) => expect(pairName(key)).not.toBe(pairName(certificate)));
});
