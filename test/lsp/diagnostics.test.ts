/** Diagnostics over stdio: every language, mapping, incremental edits, closing, robustness. */
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity, HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { useSharedSession, WEAK_HASH_ON } from './session';

/** One sample per language, each with exactly one finding. */
const SAMPLES: { file: string; languageId: string; text: string; ruleId: string; severity: DiagnosticSeverity }[] = [
  {
    file: 'fw/uplink.c',
    languageId: 'c',
    ruleId: 'tls-verification-disabled',
    severity: DiagnosticSeverity.Error,
    text: [
      '#include <mbedtls/ssl.h>',
      'void setup(mbedtls_ssl_config *conf)',
      '{',
      '    mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);',
      '    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_NONE);',
      '}',
      '',
    ].join('\n'),
  },
  {
    file: 'fw/digest.cpp',
    languageId: 'cpp',
    ruleId: 'weak-hash',
    severity: DiagnosticSeverity.Information,
    text: '#include <openssl/md5.h>\nvoid digest(const unsigned char *buf, size_t n, unsigned char *out) {\n    MD5(buf, n, out);\n}\n',
  },
  {
    file: 'tools/fetch.py',
    languageId: 'python',
    ruleId: 'tls-verification-disabled',
    severity: DiagnosticSeverity.Error,
    text: 'import requests\n\ndef fetch(url):\n    return requests.get(url, verify=False)\n',
  },
  {
    file: 'app/D.java',
    languageId: 'java',
    ruleId: 'weak-hash',
    severity: DiagnosticSeverity.Information,
    text: 'import java.security.MessageDigest;\nclass D {\n    byte[] h(byte[] b) throws Exception {\n        return MessageDigest.getInstance("MD5").digest(b);\n    }\n}\n',
  },
  {
    file: 'app/Keys.kt',
    languageId: 'kotlin',
    ruleId: 'hardcoded-credential',
    severity: DiagnosticSeverity.Error,
    text: 'const val CLOUD_API_KEY = "c8f1a2b3d4e5f60718293a4b"\n',
  },
  {
    file: 'web/hash.ts',
    languageId: 'typescript',
    ruleId: 'weak-hash',
    severity: DiagnosticSeverity.Information,
    text: "import { createHash } from 'crypto';\nexport function h(b: Buffer): string {\n  return createHash('md5').update(b).digest('hex');\n}\n",
  },
  {
    file: 'web/agent.js',
    languageId: 'javascript',
    ruleId: 'tls-verification-disabled',
    severity: DiagnosticSeverity.Error,
    text: "const https = require('https');\nconst agent = new https.Agent({ rejectUnauthorized: false });\nmodule.exports = agent;\n",
  },
  {
    file: 'fw/sdkconfig',
    languageId: 'properties',
    ruleId: 'hardcoded-credential',
    severity: DiagnosticSeverity.Error,
    text: 'CONFIG_ESP_WIFI_PASSWORD="Ward7-Pump-2291"\n',
  },
];

const shared = useSharedSession('diag', WEAK_HASH_ON);

describe('diagnostics for each language', () => {
  for (const sample of SAMPLES) {
    it(`${sample.languageId}: ${sample.file} reports ${sample.ruleId}`, async () => {
      const uri = await shared.session.open(path.join(shared.workspace, sample.file), sample.text, sample.languageId);
      const diagnostics = await shared.session.diagnosticsFor(uri);
      expect(diagnostics.map((d) => d.code)).toEqual([sample.ruleId]);
      const [diagnostic] = diagnostics;
      expect(diagnostic.source).toBe('medsec');
      expect(diagnostic.severity).toBe(sample.severity);
      expect(diagnostic.message).toMatch(/^\[(critical|medium)\] /);
      expect(diagnostic.codeDescription?.href).toMatch(new RegExp(`/docs/rules/${sample.ruleId}\\.md$`));
      expect(diagnostic.data).toMatchObject({ ruleId: sample.ruleId, version: 1, line: diagnostic.range.start.line });
      await shared.session.close(uri);
    });
  }
});

describe('secrets', () => {
  it('never carries the raw secret in a diagnostic', async () => {
    const uri = await shared.session.open(
      path.join(shared.workspace, 'app/Secret.kt'),
      'const val CLOUD_API_KEY = "c8f1a2b3d4e5f60718293a4b"\n',
      'kotlin',
    );
    const diagnostics = await shared.session.diagnosticsFor(uri);
    expect(diagnostics).toHaveLength(1);
    expect(JSON.stringify(diagnostics)).not.toContain('c8f1a2b3d4e5f60718293a4b');
    await shared.session.close(uri);
  });
});

describe('document lifecycle', () => {
  it('closing a document clears its diagnostics', async () => {
    const sample = SAMPLES[0];
    const uri = await shared.session.open(path.join(shared.workspace, 'close/uplink.c'), sample.text, 'c');
    expect(await shared.session.diagnosticsFor(uri)).toHaveLength(1);
    await shared.session.close(uri);
    await shared.session.waitFor('cleared diagnostics', () => shared.session.diagnostics.get(uri)?.diagnostics.length === 0);
  });

  it('re-checks on each incremental change and reports the finding where it moved', async () => {
    const uri = await shared.session.open(path.join(shared.workspace, 'edit/uplink.c'), SAMPLES[0].text, 'c');
    expect((await shared.session.diagnosticsFor(uri))[0].range.start.line).toBe(4);
    await shared.session.change(uri, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '/* header */\n\n' },
    ]);
    const moved = await shared.session.diagnosticsFor(uri);
    expect(moved.map((d) => d.range.start.line)).toEqual([6]);
    // Fix it by hand: VERIFY_NONE -> VERIFY_REQUIRED.
    const line = shared.session.text(uri).split('\n')[6];
    const at = line.indexOf('MBEDTLS_SSL_VERIFY_NONE');
    await shared.session.change(uri, [
      {
        range: {
          start: { line: 6, character: at + 'MBEDTLS_SSL_VERIFY_'.length },
          end: { line: 6, character: at + 'MBEDTLS_SSL_VERIFY_NONE'.length },
        },
        text: 'REQUIRED',
      },
    ]);
    expect(await shared.session.diagnosticsFor(uri)).toEqual([]);
    await shared.session.close(uri);
  });

  it('ends 1,000 rapid incremental edits with the diagnostics of the last version', async () => {
    const base = SAMPLES[0].text;
    const uri = await shared.session.open(path.join(shared.workspace, 'rapid/uplink.c'), base, 'c');
    await shared.session.diagnosticsFor(uri);
    // Type and delete characters in a comment on line 2, then leave one extra finding at the end.
    await shared.session.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '// \n' }]);
    for (let i = 0; i < 1000; i++) {
      const change =
        i % 2 === 0
          ? { range: { start: { line: 1, character: 3 }, end: { line: 1, character: 3 } }, text: 'x' }
          : { range: { start: { line: 1, character: 3 }, end: { line: 1, character: 4 } }, text: '' };
      void shared.session.change(uri, [change]);
    }
    const lines = shared.session.text(uri).split('\n');
    const last = lines.length - 1;
    await shared.session.change(uri, [
      {
        range: { start: { line: last, character: 0 }, end: { line: last, character: 0 } },
        text: 'void second(mbedtls_ssl_config *c) { mbedtls_ssl_config_defaults(c, MBEDTLS_SSL_IS_CLIENT, 0, 0); mbedtls_ssl_conf_authmode(c, MBEDTLS_SSL_VERIFY_NONE); }\n',
      },
    ]);
    const finalVersion = shared.session.version(uri);
    const diagnostics = await shared.session.diagnosticsFor(uri, finalVersion);
    expect(diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([
      ['tls-verification-disabled', 5],
      ['tls-verification-disabled', 7],
    ]);
    // Nothing was published for an older version after a newer one.
    const versions = shared.session.diagnosticLog.filter((p) => p.uri === uri).map((p) => p.version ?? 0);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    await shared.session.close(uri);
  });
});

describe('robustness', () => {
  it('a malformed file and a 5 MB file do not stall other files, and the server survives', async () => {
    const huge = `${'int filler_value = 1;\n'.repeat(240_000)}`; // ~5.3 MB
    expect(huge.length).toBeGreaterThan(5_000_000);
    const malformed = `${'{('.repeat(20_000)}\n\u0000\uFFFF"unterminated\n#define X(\n`;
    const bigUri = await shared.session.open(path.join(shared.workspace, 'robust/huge.c'), huge, 'c');
    const badUri = await shared.session.open(path.join(shared.workspace, 'robust/broken.c'), malformed, 'c');
    const goodUri = await shared.session.open(path.join(shared.workspace, 'robust/uplink.c'), SAMPLES[0].text, 'c');
    expect((await shared.session.diagnosticsFor(goodUri)).map((d) => d.code)).toEqual(['tls-verification-disabled']);
    expect(await shared.session.diagnosticsFor(bigUri)).toEqual([]);
    await shared.session.diagnosticsFor(badUri);
    expect(shared.session.child.exitCode).toBeNull();
    for (const uri of [bigUri, badUri, goodUri]) await shared.session.close(uri);
  });
});

describe('hover', () => {
  it('explains the finding with its CWE and FDA mapping', async () => {
    const uri = await shared.session.open(path.join(shared.workspace, 'hover/uplink.c'), SAMPLES[0].text, 'c');
    const [diagnostic] = await shared.session.diagnosticsFor(uri);
    const hover = await shared.session.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: diagnostic.range.start,
    });
    const markdown = (hover?.contents as MarkupContent).value;
    expect(markdown).toContain('tls-verification-disabled');
    expect(markdown).toContain('CWE-295');
    expect(markdown).toContain('Improper Certificate Validation');
    expect(markdown).toContain('`app1.A.2`');
    expect(markdown).toContain('`524b.b2`');
    expect(markdown).toContain('Why it matters');
    expect(markdown).toContain('critical · `tls-verification-disabled`');
    expect(markdown).not.toContain(String(diagnostic.message).replace(/^\[critical\] /, ''));
    const nothing = await shared.session.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: 0, character: 0 },
    });
    expect(nothing).toBeNull();
    await shared.session.close(uri);
  });
});

describe('levels', () => {
  it('shows critical findings as errors and medium ones as information, and follows medsec.rules.customizations', async () => {
    const uri = await shared.session.open(path.join(shared.workspace, 'levels/digest.cpp'), SAMPLES[1].text, 'cpp');
    const [diagnostic] = await shared.session.diagnosticsFor(uri);
    expect(diagnostic.severity).toBe(DiagnosticSeverity.Information);
    expect(diagnostic.message).toMatch(/^\[medium\] /);
    const before = shared.session.diagnosticLog.length;
    shared.session.settings = { ...shared.session.settings, rules: { customizations: [{ rule: 'weak-*', level: 'error' }] } };
    await shared.session.settingsChanged();
    await shared.session.waitFor('weak-hash as an error', () =>
      shared.session.diagnosticLog.slice(before).some((p) => p.uri === uri && p.diagnostics[0]?.severity === DiagnosticSeverity.Error),
    );
    shared.session.settings = { ...shared.session.settings, rules: { customizations: [{ rule: 'weak-hash', level: 'off' }] } };
    await shared.session.settingsChanged();
    await shared.session.waitFor('weak-hash hidden', () => shared.session.diagnostics.get(uri)?.diagnostics.length === 0);
    shared.session.settings = { ...shared.session.settings, rules: { customizations: [] } };
    await shared.session.settingsChanged();
    await shared.session.waitFor('weak-hash back', () => shared.session.diagnostics.get(uri)?.diagnostics.length === 1);
    await shared.session.close(uri);
  });
});

describe('settings', () => {
  it('re-checks open documents when the settings change (severityThreshold, enable)', async () => {
    const uri = await shared.session.open(path.join(shared.workspace, 'settings/digest.cpp'), SAMPLES[1].text, 'cpp');
    expect(await shared.session.diagnosticsFor(uri)).toHaveLength(1);
    const before = shared.session.diagnosticLog.length;
    shared.session.settings = { ...shared.session.settings, severityThreshold: 'high' };
    await shared.session.settingsChanged();
    await shared.session.waitFor('re-check after settings change', () =>
      shared.session.diagnosticLog.slice(before).some((p) => p.uri === uri && p.diagnostics.length === 0),
    );
    shared.session.settings = { ...shared.session.settings, severityThreshold: 'info' };
    await shared.session.settingsChanged();
    await shared.session.waitFor('finding back', () => shared.session.diagnostics.get(uri)?.diagnostics.length === 1);
    shared.session.settings = { ...shared.session.settings, enable: false };
    await shared.session.settingsChanged();
    await shared.session.waitFor('disabled', () => shared.session.diagnostics.get(uri)?.diagnostics.length === 0);
    shared.session.settings = { ...shared.session.settings, enable: true };
    await shared.session.settingsChanged();
    await shared.session.waitFor('enabled again', () => shared.session.diagnostics.get(uri)?.diagnostics.length === 1);
    await shared.session.close(uri);
  });
});
