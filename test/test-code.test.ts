/**
 * Test code is one classification in the engine and one policy every rule follows (core/test-code.ts):
 * which paths are test code, what the configuration adds and removes, and what each preset does with the
 * findings there.
 */
import { describe, expect, it } from 'vitest';
import { checkFile } from '../server/src/core/check';
import { resolveConfig } from '../server/src/core/config';
import { isTestPath, type TestCodeClass, type TestCodePolicy } from '../server/src/core/test-code';
import type { Finding, LanguageId, Rule } from '../server/src/core/types';
import hardcodedCredential from '../rules/hardcoded-credential/rule';
import { fakeRule } from './helpers/project';
import { registryOf } from './helpers/registry';

describe('test code by convention', () => {
  it.each([
    'test/login_test.c',
    'tests/unit/test_crypto.c',
    'src/test/java/com/acme/PumpTest.java',
    'app/src/androidTest/java/com/acme/PairingTest.kt',
    'app/src/test/kotlin/Pump.kt',
    'lib/testFixtures/Keys.kt',
    'server/__tests__/auth.ts',
    'web/src/login.spec.ts',
    'tools/test_upload.py',
    'tools/conftest.py',
    'fw/unit_tests/crc.c',
    'gtest/ble_test.cc',
    'api/__mocks__/device.js',
    'src\\test\\Auth.java',
    'app/src/main/java/com/acme/test/FakePump.java',
    'lib/PumpTests.kt',
    'load-test/core-api/locustfile.py',
    'scripts/docker-integration-test.sh',
    'scripts/smoke-test.sh',
    'ci/test_upload.sh',
    'tools/crc_test.bash',
    'test/pairing.bats',
    '.env.test',
    'server/.env.testing',
    '.env.test.local',
    // Kotlin Multiplatform and Android variant test source sets
    'shared/src/commonTest/kotlin/com/acme/FrameCodecTest.kt',
    'shared/src/jvmTest/kotlin/com/acme/Keys.kt',
    'desktop/src/desktopTest/kotlin/PairingFixtures.kt',
    'app/src/androidUnitTest/kotlin/com/acme/Tokens.kt',
    'app/src/androidInstrumentedTest/kotlin/com/acme/BleRig.kt',
    'shared/src/iosTest/kotlin/Session.kt',
    'shared/src/iosX64Test/kotlin/Session.kt',
    'app/src/testFreeDebug/java/com/acme/Stub.java',
    'app/src/androidTestDebug/java/com/acme/Rig.java',
    'shared/src/jvmTest/resources/device.properties',
  ])('%s is test code', (file) => expect(isTestPath(file)).toBe(true));

  it.each([
    'src/attestation.c',
    'src/latest/ota.c',
    'contest/main.py',
    'src/testimony.py',
    'fw/self_test_runner.c',
    'app/src/main/java/com/acme/TestModeReceiver.java',
    'app/src/main/java/com/acme/models/BloodTest.java',
    'app/src/main/java/com/acme/ShareTest.java',
    'wear/src/main/kotlin/com/acme/SelfTest.kt',
    'src/protest.ts',
    'docs/testing.md.c',
    '.env',
    '.env.production',
    'deploy/.env.testbed',
    'gateway/locust_metrics.py',
    'device/scripts/self-test.sh',
    'rootfs/usr/bin/self_test.sh',
    'scripts/latest.sh',
    'scripts/attest.sh',
    // Kotlin Multiplatform production source sets ship whatever their files are called
    'shared/src/commonMain/kotlin/com/acme/BloodTest.kt',
    'shared/src/jvmMain/kotlin/com/acme/SelfTest.kt',
    'shared/src/androidMain/kotlin/com/acme/Pairing.kt',
    'desktop/src/desktopMain/kotlin/Main.kt',
    // a firmware's power-on self test, and folders that only end in "test"
    'fw/src/selfTest/post.c',
    'src/latest/ota.kt',
    'app/src/contest/kotlin/Entry.kt',
  ])('%s is not', (file) => expect(isTestPath(file)).toBe(false));
});

/** A stand-in rule: a finding at every string literal, a live secret when the literal says LIVE. */
const EVERY_STRING: Rule = {
  ...fakeRule('every-string', { severity: 'critical' }),
  check: (ctx) => {
    for (const literal of ctx.model.strings) {
      ctx.report({ span: literal, message: `string (test code: ${ctx.inTestCode})`, liveSecret: ctx.text.slice(literal).includes('LIVE') });
    }
  },
};
const STRICT_ONLY = fakeRule('strict-only', { presets: ['strict'] });
/** The same, for a rule that says what a finding in test code must show (a credential rule). */
const EVERY_STRING_NEEDS_EVIDENCE: Rule = {
  ...EVERY_STRING,
  meta: { ...EVERY_STRING.meta, id: 'every-string-needs-evidence', testCodeEvidence: 'a live secret' },
};

function configOf(raw: unknown) {
  return resolveConfig(raw, undefined, '/project', { registry: registryOf([EVERY_STRING, STRICT_ONLY]) });
}

async function findingsIn(relativePath: string, policy: TestCodePolicy | undefined, rule = EVERY_STRING): Promise<Finding[]> {
  const text = 'const char *a = "plain";\nconst char *b = "LIVE key";\n';
  const result = await checkFile({ path: `/project/${relativePath}`, relativePath, text, language: 'c', testCode: policy }, [
    { rule, severity: 'critical', options: {} },
  ]);
  expect(result.ruleFailures).toEqual([]);
  return result.findings;
}

describe('the configuration classifies test code', () => {
  it('by the conventions, plus testCode.files, minus testCode.excludedFiles', () => {
    const config = configOf({ testCode: { files: ['hil/**'], excludedFiles: ['src/testing/**'] } });
    expect(config.testCodeFor('test/x.c')).toEqual({ policy: 'live-secrets', by: 'path' });
    expect(config.testCodeFor('hil/rig.c')).toEqual({ policy: 'live-secrets', by: 'path' });
    expect(config.testCodeFor('src/testing/selftest.c')).toEqual({ policy: 'live-secrets', by: 'excluded' });
    // Left to the engine, which reads the file's imports.
    expect(config.testCodeFor('src/main.c')).toEqual({ policy: 'live-secrets', by: 'content' });
  });

  it('medsec:recommended keeps live secrets, medsec:strict asks for evidence, and testCode.findings overrides either', () => {
    expect(configOf({ extends: ['medsec:recommended'] }).testCodeFor('test/x.c')).toEqual({ policy: 'live-secrets', by: 'path' });
    expect(configOf({ extends: ['medsec:recommended'], testCode: { findings: 'lower' } }).testCodeFor('test/x.c')).toEqual({
      policy: 'lower',
      by: 'path',
    });
    expect(configOf({ extends: ['medsec:strict'] }).testCodeFor('test/x.c')).toEqual({ policy: 'evidence', by: 'path' });
    expect(configOf({ extends: ['medsec:strict'], testCode: { findings: 'report' } }).testCodeFor('test/x.c')).toEqual({
      policy: 'report',
      by: 'path',
    });
    expect(configOf({ extends: ['medsec:recommended', 'medsec:strict'] }).testCodeFor('test/x.c')).toEqual({
      policy: 'evidence',
      by: 'path',
    });
    expect(configOf({ extends: ['medsec:strict'], testCode: { findings: 'lower' } }).testCodeFor('test/x.c')).toEqual({
      policy: 'lower',
      by: 'path',
    });
    expect(configOf({ extends: [], testCode: { findings: 'lower' } }).testCodeFor('tests/y.c')).toEqual({ policy: 'lower', by: 'path' });
  });

  it('with no preset and no policy, test code is reported like any other', () => {
    expect(configOf({ extends: [] }).testCodeFor('test/x.c')).toEqual({ policy: 'report', by: 'path' });
  });
});

describe('test code by its imports', () => {
  /** Whether the engine took a file, left to its content by its path, for test code. */
  async function classifiedAsTest(relativePath: string, language: LanguageId, text: string, by: TestCodeClass['by'] = 'content') {
    const rule = { ...EVERY_STRING, meta: { ...EVERY_STRING.meta, languages: [language] } };
    const result = await checkFile({ path: `/project/${relativePath}`, relativePath, text, language, testCode: { policy: 'lower', by } }, [
      { rule, severity: 'critical', options: {} },
    ]);
    expect(result.ruleFailures).toEqual([]);
    const verdicts = new Set(result.findings.map((f) => f.message));
    expect(verdicts.size, 'one verdict for the whole file').toBe(1);
    return verdicts.has('string (test code: true)');
  }

  it.each<[string, LanguageId, string]>([
    ['performance/load.js', 'javascript', "import http from 'k6/http'\nhttp.get('http://localhost:5001/api')\n"],
    ['perf/smoke.js', 'javascript', "const { check } = require('k6')\ncheck(null, { 'up': 'x' })\n"],
    ['api/login.ts', 'typescript', "import { describe, it } from 'vitest'\ndescribe('login', () => it('works', () => {}))\n"],
    ['api/routes.js', 'javascript', "const request = require('supertest')\nrequest(app).get('/x')\n"],
    ['e2e/pairing.ts', 'typescript', "import { test } from '@playwright/test'\ntest('pairs', async () => {})\n"],
    ['ui/PairDialog.check.tsx', 'typescript', "import { render } from '@testing-library/react'\nrender('x')\n"],
    ['api/devices.js', 'javascript', "const { check } = require('k6/http')\ncheck('x')\n"],
    ['tools/bolus_check.py', 'python', "import pytest\n\nURL = 'http://localhost'\n"],
    ['tools/uploader_check.py', 'python', "from unittest import mock\n\nURL = 'http://localhost'\n"],
    ['loadtest/gateway.py', 'python', "from locust import HttpUser, task\n\nURL = '/api'\n"],
    ['pump/src/jvmTest/kotlin/Frames.kt', 'kotlin', 'import kotlin.test.assertEquals\n\nval x = "frame"\n'],
    ['benchmark/src/main/java/Startup.kt', 'kotlin', 'import androidx.test.ext.junit.runners.AndroidJUnit4\n\nval x = "start"\n'],
    ['lib/Codec.java', 'java', 'import static org.junit.Assert.assertEquals;\n\nclass Codec { String s = "x"; }\n'],
    ['fw/crc_check.c', 'c', '#include "unity.h"\nconst char *s = "x";\n'],
    ['fw/ring_check.cpp', 'cpp', '#include <CppUTest/TestHarness.h>\nconst char *s = "x";\n'],
    ['common/test_libs/gtest_main.h', 'cpp', '#include <gtest/gtest.h>\nconst char *s = "x";\n'],
  ])('%s is test code by its imports', async (file, language, text) => {
    expect(await classifiedAsTest(file, language, text)).toBe(true);
  });

  it.each<[string, LanguageId, string]>([
    // Production code asserts too; a module that runs its own docstrings is no test.
    ['src/dose.js', 'javascript', "import assert from 'node:assert'\nassert.ok('x')\n"],
    ['decocare/commands.py', 'python', "import doctest\n\nURL = 'http://localhost'\n"],
    // An app registers Espresso's idling resources from its production code.
    ['app/src/main/java/Sync.kt', 'kotlin', 'import androidx.test.espresso.idling.CountingIdlingResource\n\nval x = "sync"\n'],
    ['app/src/main/java/Busy.java', 'java', 'import androidx.test.espresso.IdlingResource;\n\nclass Busy { String s = "x"; }\n'],
    // Spelled in a comment or a string, not imported.
    ['src/loader.js', 'javascript', "// import http from 'k6/http'\nconst name = 'k6/http'\n"],
    ['src/config.py', 'python', "'''Run with: import pytest'''\nURL = 'http://localhost'\n"],
    // A near name: a framework's name as the start of another module's.
    ['src/unityConfig.c', 'c', '#include "unity_config.h"\nconst char *s = "x";\n'],
    [
      'server/session.js',
      'javascript',
      "const shouldSendSameSiteNone = require('should-send-same-site-none')\nshouldSendSameSiteNone('x')\n",
    ],
    ['tools/ocr_label.py', 'python', "import pytesseract\n\nURL = 'http://localhost'\n"],
    ['app/Scanner.kt', 'kotlin', 'import android.telephony.TelephonyManager\n\nval x = "tel"\n'],
    ['ui/theme.ts', 'typescript', "import { theme } from '@testing-library'\nconst name = 'x'\n"],
    // Production classes include GoogleTest's FRIEND_TEST header.
    ['src/pump.cpp', 'cpp', '#include "gtest/gtest_prod.h"\nconst char *s = "x";\n'],
  ])('%s is not', async (file, language, text) => {
    expect(await classifiedAsTest(file, language, text)).toBe(false);
  });

  it('testCode.excludedFiles wins over the imports', async () => {
    expect(await classifiedAsTest('src/selftest.py', 'python', "import unittest\nURL = 'x'\n", 'excluded')).toBe(false);
  });

  it('the configuration leaves to the content what its path does not decide', () => {
    const config = configOf({ extends: ['medsec:recommended'], testCode: { excludedFiles: ['src/testing/**'] } });
    expect(config.testCodeFor('performance/load.js')).toEqual({ policy: 'live-secrets', by: 'content' });
    expect(config.testCodeFor('src/testing/rig.py')).toEqual({ policy: 'live-secrets', by: 'excluded' });
  });
});

describe('what the engine does with findings in test code', () => {
  it('lower: at severity low at most, except a live secret; every finding says it is in test code', async () => {
    const findings = await findingsIn('test/x.c', 'lower');
    expect(findings.map((f) => [f.severity, f.testCode, f.message])).toEqual([
      ['low', true, 'string (test code: true)'],
      ['critical', true, 'string (test code: true)'],
    ]);
  });

  it('live-secrets: only a live secret, at its severity', async () => {
    const findings = await findingsIn('test/x.c', 'live-secrets');
    expect(findings.map((f) => [f.severity, f.testCode, f.message])).toEqual([['critical', true, 'string (test code: true)']]);
  });

  it('report: the configured severity', async () => {
    const findings = await findingsIn('test/x.c', 'report');
    expect(findings.map((f) => [f.severity, f.testCode])).toEqual([
      ['critical', true],
      ['critical', true],
    ]);
  });

  it('evidence: like report for a rule that asks for none; only live secrets for one that does', async () => {
    const plain = await findingsIn('test/x.c', 'evidence');
    expect(plain.map((f) => [f.severity, f.testCode])).toEqual([
      ['critical', true],
      ['critical', true],
    ]);
    const needing = await findingsIn('test/x.c', 'evidence', EVERY_STRING_NEEDS_EVIDENCE);
    expect(needing.map((f) => [f.severity, f.testCode, f.message])).toEqual([['critical', true, 'string (test code: true)']]);
    // Outside test code the rule reports every string.
    expect(await findingsIn('src/x.c', undefined, EVERY_STRING_NEEDS_EVIDENCE)).toHaveLength(2);
  });

  it('outside test code: nothing changes and rules are told so', async () => {
    const findings = await findingsIn('src/x.c', undefined);
    expect(findings.map((f) => [f.severity, f.testCode, f.message])).toEqual([
      ['critical', undefined, 'string (test code: false)'],
      ['critical', undefined, 'string (test code: false)'],
    ]);
  });
});

describe('hardcoded-credential under the lower policy', () => {
  it('keeps a live provider token (Slack) in test code at its severity', async () => {
    const token = 'xoxb-' + '2048193847-5930284756102-Zk7Qm2Xv9LbR4Tn8Wc1Yd6Hs';
    const text = `import requests\nSLACK_BOT_TOKEN = "${token}"\nrequests.get(URL, headers={"Authorization": "token " + SLACK_BOT_TOKEN})\n`;
    const result = await checkFile(
      { path: '/project/tests/test_upload.py', relativePath: 'tests/test_upload.py', text, language: 'python', testCode: 'lower' },
      [{ rule: hardcodedCredential, severity: 'critical', options: {} }],
    );
    expect(result.findings.map((f) => [f.severity, f.testCode])).toEqual([['critical', true]]);
  });
});

describe('rules report test code and the policy decides (issue 10 item 5)', () => {
  const check = (
    relativePath: string,
    text: string,
    language: 'python' | 'text' | 'dotenv' | 'javascript',
    policy: TestCodePolicy | TestCodeClass | undefined,
  ) =>
    checkFile({ path: `/project/${relativePath}`, relativePath, text, language, testCode: policy }, [
      { rule: hardcodedCredential, severity: 'critical', options: {} },
    ]);

  it('a dummy password in a test: not under live-secrets or evidence, at low under lower, at its severity under report', async () => {
    const text = 'def test_login(client):\n    password = "Lab-Pump-4711"\n    client.login("nurse", password)\n';
    // Found twice: where it is set, and where it reaches login() through the local.
    const lowered = await check('tests/test_login.py', text, 'python', 'lower');
    expect(lowered.findings.map((f) => [f.range.start.line + 1, f.severity, f.testCode])).toEqual([
      [2, 'low', true],
      [3, 'low', true],
    ]);
    expect((await check('tests/test_login.py', text, 'python', 'live-secrets')).findings).toEqual([]);
    // strict's policy: a login the test makes with a value of its own shows nothing live.
    expect((await check('tests/test_login.py', text, 'python', 'evidence')).findings).toEqual([]);
    const reported = await check('tests/test_login.py', text, 'python', 'report');
    expect(reported.findings.map((f) => [f.range.start.line + 1, f.severity, f.testCode])).toEqual([
      [2, 'critical', true],
      [3, 'critical', true],
    ]);
  });

  it('a k6 load-test script is test code by its import; the same header in a shipped service is not', async () => {
    const header = (credential: string) => `  headers: { Authorization: 'Basic ${credential}' },\n`;
    const k6 = `import http from 'k6/http'\nhttp.get('http://localhost:5001/api', {\n${header('bG9hZHRlc3Q6Z2F0ZXdheS1sb2FkLTIwMjQ=')}})\n`;
    expect((await check('performance/load.js', k6, 'javascript', { policy: 'live-secrets', by: 'content' })).findings).toEqual([]);
    const lowered = await check('performance/load.js', k6, 'javascript', { policy: 'lower', by: 'content' });
    expect(lowered.findings.map((f) => [f.severity, f.testCode])).toEqual([['low', true]]);
    const service = k6.replace("'k6/http'", "'node:http'");
    const shipped = await check('performance/load.js', service, 'javascript', { policy: 'live-secrets', by: 'content' });
    expect(shipped.findings.map((f) => [f.severity, f.testCode])).toEqual([['critical', undefined]]);
  });

  it('a generated token in a test env file is live; a dummy password beside it is not', async () => {
    // Built at run time so this file holds no token-shaped literal.
    const token = ['3f9a1c7e', '52b84d06', 'e1a7c93b', '6d2f0458'].join('');
    const text = `NODE_ENV=test\nCODACY_PROJECT_TOKEN=${token}\nDB_PASSWORD=Lab-Pump-4711\n`;
    const live = await check('tests/ci.test.env', text, 'dotenv', 'live-secrets');
    expect(live.findings.map((f) => [f.range.start.line + 1, f.severity])).toEqual([[2, 'critical']]);
    const lowered = await check('tests/ci.test.env', text, 'dotenv', 'lower');
    expect(lowered.findings.map((f) => [f.range.start.line + 1, f.severity])).toEqual([
      [2, 'critical'],
      [3, 'low'],
    ]);
  });

  it('a key made for the test and named so is no live secret: lowered, not dropped', async () => {
    const key = [
      '-----BEGIN EC PRIVATE KEY-----',
      'MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oHVa8U1GkPwsoAoGCCqGSM49',
      'AwEHoUQDQgAE',
      '-----END EC PRIVATE KEY-----',
      '',
    ].join('\n');
    const result = await check('tests/fixtures/fake_device.key', key, 'text', 'lower');
    expect(result.findings.map((f) => [f.severity, f.testCode])).toEqual([['low', true]]);
  });

  it("a JWT whose claims name a test issuer or audience is the test's own; one naming a real account stays live", async () => {
    // Built at run time so this file holds no token-shaped literal.
    const part = (json: object) => Buffer.from(JSON.stringify(json)).toString('base64url');
    const jwt = (claims: object) => `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.${'x7Qm2vLp9RkT4wZc8NbY3hJd6FsGa1Ue'}`;
    const minted = jwt({ sub: 'test', aud: ['testAudience'], iss: 'testIssuer' });
    const issued = jwt({ sub: 'clinic-uploader-17', iss: 'https://auth.stmarys-health.org', scope: 'devices:write' });
    const text = [
      "it('accepts a signed token', async () => {",
      `  const ctx = { request: { header: { authorization: 'Bearer ${minted}' } } }`,
      '})',
      "it('talks to the staging hub', async () => {",
      `  const ctx = { request: { header: { authorization: 'Bearer ${issued}' } } }`,
      '})',
      '',
    ].join('\n');
    const result = await check('test/unit/jwtAuthenticationTest.js', text, 'javascript', 'lower');
    expect(result.findings.map((f) => [f.range.start.line + 1, f.severity])).toEqual([
      [2, 'low'],
      [5, 'critical'],
    ]);
  });
});
