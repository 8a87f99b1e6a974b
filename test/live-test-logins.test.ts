/**
 * A credential in test code is live when the test sends it to a real host: in a request of its own, or through
 * the project's client, which another file shows logging into a real host with it
 * (rules/hardcoded-credential/live-test-logins.ts). The fixture project
 * `rules/hardcoded-credential/fixtures/glucose-cloud` holds the live logins and the near misses: the same client
 * pointed at a local server, a client of a local bridge, a test whose requests a mocking library answers.
 */
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../server/src/core/config';
import { scan } from '../server/src/core/scan';
import type { Finding } from '../server/src/core/types';
import { hostKind } from '../rules/hardcoded-credential/live-test-logins';
import { BUILTIN } from './helpers/registry';

const PROJECT = path.resolve(__dirname, '..', 'rules', 'hardcoded-credential', 'fixtures', 'glucose-cloud');

async function credentialFindings(raw: unknown, paths = [PROJECT]): Promise<string[]> {
  const config = resolveConfig(raw, undefined, PROJECT, BUILTIN);
  const result = await scan({ root: PROJECT, paths, config, workers: 1 });
  return result.files
    .flatMap((file) => file.findings)
    .filter((f: Finding) => f.ruleId === 'hardcoded-credential')
    .map((f) => `${f.path}:${f.range.start.line + 1} ${f.severity}`)
    .sort();
}

const LIVE = [
  'test/cloud-login.test.js:13 critical',
  'test/cloud-login.test.js:37 critical',
  'tests/test_upload_live.py:14 critical',
  'tests/test_upload_live.py:9 critical',
];

describe('test credentials sent to a live host', () => {
  it('live-secrets (recommended): only the logins that reach a real host', async () => {
    expect(await credentialFindings({ extends: ['medsec:recommended'] })).toEqual(LIVE);
  });

  it("evidence (strict): the same live logins; the near misses are the tests' own", async () => {
    expect(await credentialFindings({ extends: ['medsec:strict'] })).toEqual(LIVE);
  });

  it('lower: the rest at low', async () => {
    expect(await credentialFindings({ extends: ['medsec:recommended'], testCode: { findings: 'lower' } })).toEqual([
      'test/cloud-login.test.js:13 critical',
      'test/cloud-login.test.js:25 low',
      'test/cloud-login.test.js:37 critical',
      'test/cloud-login.test.js:45 low',
      'test/cloud-mocked.test.js:15 low',
      'tests/test_upload_live.py:14 critical',
      'tests/test_upload_live.py:20 low',
      'tests/test_upload_live.py:9 critical',
      'tests/test_upload_mocked.py:10 low',
    ]);
  });

  it('a test scanned without the client it calls is not live: the evidence must be seen', async () => {
    const test = path.join(PROJECT, 'test', 'cloud-login.test.js');
    expect(await credentialFindings({ extends: ['medsec:recommended'] }, [test])).toEqual([]);
  });
});

describe('hostKind', () => {
  it('tells real hosts from local, reserved and non-hosts', () => {
    expect(hostKind('https://cloud.glucolink-medical.eu/patient')).toBe('live');
    expect(hostKind('carelink.minimed.com')).toBe('live');
    expect(hostKind('localhost:8443')).toBe('local');
    expect(hostKind('http://127.0.0.1:8731/api')).toBe('local');
    expect(hostKind('https://api.example.com/login')).toBe('local');
    expect(hostKind('pump.test')).toBe('local');
    expect(hostKind('settings.json')).toBeUndefined();
    expect(hostKind('Glucolink-QA-2023!')).toBeUndefined();
  });
});
