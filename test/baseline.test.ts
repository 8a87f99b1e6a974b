/**
 * Baselines: after `medsec baseline`, moving code, reformatting elsewhere and renaming a file report
 * nothing new; a new finding is reported alone; a fixed one is counted as absent.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { createBaseline, matchBaseline, parseBaseline, serializeBaseline } from '../server/src/core/baseline';
import { loadConfig } from '../server/src/core/config';
import { attachFingerprints, fingerprintFindings, lineFingerprints } from '../server/src/core/fingerprint';
import { scan } from '../server/src/core/scan';
import type { Finding, ScanResult } from '../server/src/core/types';
import { applyBaseline } from '../server/src/cli/commands/scan-ci';
import { fingerprintScan } from '../server/src/cli/fingerprints';
import { sortedFindings, summarize } from '../server/src/cli/format/results';
import { useTempProject } from './helpers/project';
import { BUILTIN } from './helpers/registry';

const project = useTempProject('baseline');

const CONFIG = '{ "extends": [], "rules": { "hardcoded-credential": "critical" } }';

const ORIGINAL = [
  '#include <string.h>',
  '',
  'static const char *wifi_password = "Zq9fakeSECRET4711";',
  '',
  'int check_password(const char *password) {',
  '  return strcmp(password, "4711-fake-PIN") == 0;',
  '}',
  '',
  'int unrelated(int a) {',
  '  return a + 1;',
  '}',
  '',
].join('\n');

async function scanProject(): Promise<ScanResult> {
  const config = loadConfig(project.dir, undefined, BUILTIN);
  return scan({ root: project.dir, paths: [project.dir], config });
}

async function writeBaseline(): Promise<string> {
  const result = await scanProject();
  fingerprintScan(result);
  const file = path.join(project.dir, '.medsec-baseline.json');
  fs.writeFileSync(file, serializeBaseline(createBaseline(sortedFindings(result), '0.1.0')));
  return file;
}

async function scanAgainst(file: string): Promise<{ result: ScanResult; fresh: Finding[] }> {
  const result = await scanProject();
  applyBaseline(result, file, [project.dir]);
  return { result, fresh: sortedFindings(result).filter((finding) => finding.baselineState === 'new') };
}

describe('medsec baseline', () => {
  it('writes a reviewable, sorted file with redacted snippets and no line numbers', async () => {
    project.write('.medsec.json', CONFIG);
    project.write('src/wifi.c', ORIGINAL);
    const file = await writeBaseline();
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain('Zq9fakeSECRET4711');
    expect(text).not.toContain('4711-fake-PIN');
    const baseline = parseBaseline(text, file);
    expect(baseline.entries).toHaveLength(2);
    expect(baseline.entries[0]).toEqual({
      ruleId: 'hardcoded-credential',
      path: 'src/wifi.c',
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}:1$/),
      lineHash: expect.stringMatching(/^[0-9a-f]{16}$/),
      snippet: expect.stringContaining('****'),
    });
    expect(text).not.toMatch(/"line"/);
    expect(text).toBe(serializeBaseline(JSON.parse(text))); // pretty-printed, stable
    expect(await writeBaseline().then((f) => fs.readFileSync(f, 'utf8'))).toBe(text); // deterministic
  });

  it('reports nothing new after code moves, reformatting elsewhere and a rename; a new finding alone', async () => {
    project.write('.medsec.json', CONFIG);
    project.write('src/wifi.c', ORIGINAL);
    const file = await writeBaseline();

    // Move the function above the variable, add lines at the top, and reformat the unrelated function.
    const moved = [
      '#include <string.h>',
      '#include <stdio.h>',
      '',
      '/* Added later: a long comment',
      '   spanning lines. */',
      'int check_password(const char *password) {',
      '  return strcmp(password, "4711-fake-PIN") == 0;',
      '}',
      '',
      'static const char *wifi_password = "Zq9fakeSECRET4711";',
      '',
      'int unrelated(int a)',
      '{',
      '    return a + 1;',
      '}',
      '',
    ].join('\n');
    fs.rmSync(path.join(project.dir, 'src/wifi.c'));
    project.write('src/net/wireless.c', moved); // renamed and moved to another folder
    let { result, fresh } = await scanAgainst(file);
    expect(fresh).toEqual([]);
    expect(summarize(result).baselined).toBe(2);
    expect(result.baseline).toMatchObject({ entries: 2, unchanged: 2, absent: 0 });

    // A new credential is the only thing reported, and it counts.
    project.write(
      'src/net/wireless.c',
      moved.replace('int unrelated', 'static const char *api_token = "tok-Zq9fakeSECRET99";\n\nint unrelated'),
    );
    ({ result, fresh } = await scanAgainst(file));
    expect(fresh.map((finding) => finding.snippet)).toEqual([expect.stringContaining('api_token')]);
    expect(summarize(result).findings.critical).toBe(1);
  });

  it('counts fixed findings as absent', async () => {
    project.write('.medsec.json', CONFIG);
    project.write('src/wifi.c', ORIGINAL);
    const file = await writeBaseline();
    project.write(
      'src/wifi.c',
      ORIGINAL.replace('static const char *wifi_password = "Zq9fakeSECRET4711";', 'extern const char *wifi_password;'),
    );
    const { result, fresh } = await scanAgainst(file);
    expect(fresh).toEqual([]);
    expect(result.baseline).toMatchObject({ entries: 2, unchanged: 1, absent: 1 });
  });

  it('does not count entries of files outside a partial scan as absent', async () => {
    project.write('.medsec.json', CONFIG);
    project.write('src/wifi.c', ORIGINAL);
    project.write('other/pin.c', ORIGINAL);
    const file = await writeBaseline();
    const config = loadConfig(project.dir, undefined, BUILTIN);
    const result = await scan({ root: project.dir, paths: [path.join(project.dir, 'src')], config });
    applyBaseline(result, file, [path.join(project.dir, 'src')]);
    expect(result.baseline).toMatchObject({ entries: 4, unchanged: 2, absent: 0 });
  });

  it.each([
    ['directly above it', 4],
    ['one line above it', 3],
    ['above it, outside its context', 1],
    ['below it, outside its context', 7],
  ])('reports only the inserted copy when an exact duplicate of an accepted line is inserted %s', async (_where, insertAt) => {
    const credential = '  const char *wifi_password = "Zq9fakeSECRET4711";';
    const lines = ['#include <string.h>', '', 'int setup(void) {', '  int mode = 1;', credential, '  return mode;', '}', ''];
    project.write('.medsec.json', CONFIG);
    project.write('src/pin.c', lines.join('\n'));
    const file = await writeBaseline();
    const edited = [...lines.slice(0, insertAt), credential, ...lines.slice(insertAt)];
    project.write('src/pin.c', edited.join('\n'));
    const { result, fresh } = await scanAgainst(file);
    expect(fresh.map((finding) => finding.range.start.line)).toEqual([insertAt]);
    expect(result.baseline).toMatchObject({ entries: 1, unchanged: 1, absent: 0 });
  });

  it('reports exactly one finding as new when the copy is pasted directly below the accepted line', async () => {
    // Adjacent identical lines cannot be told apart by their text: one of the two is new, never both.
    const credential = '  const char *wifi_password = "Zq9fakeSECRET4711";';
    const lines = ['#include <string.h>', '', 'int setup(void) {', '  int mode = 1;', credential, '  return mode;', '}', ''];
    project.write('.medsec.json', CONFIG);
    project.write('src/pin.c', lines.join('\n'));
    const file = await writeBaseline();
    project.write('src/pin.c', [...lines.slice(0, 5), credential, ...lines.slice(5)].join('\n'));
    const { result, fresh } = await scanAgainst(file);
    expect(fresh).toHaveLength(1);
    expect(result.baseline).toMatchObject({ entries: 1, unchanged: 1, absent: 0 });
  });

  it('rejects a malformed baseline with a usage error', () => {
    expect(() => parseBaseline('{', 'b.json')).toThrow(/not valid JSON/);
    expect(() => parseBaseline('{"version":1,"fingerprintVersion":1,"entries":[{}]}', 'b.json')).toThrow(/entries\[0\]/);
    expect(() => parseBaseline('{"version":9,"fingerprintVersion":1,"entries":[]}', 'b.json')).toThrow(/regenerate/);
  });
});

describe('fingerprints', () => {
  const finding = (line: number, snippet: string, start: number): Finding => ({
    ruleId: 'r',
    message: 'm',
    severity: 'high',
    confidence: 'high',
    path: 'a.c',
    language: 'c',
    span: { start, end: start + 1 },
    range: { start: { line, column: 0 }, end: { line, column: 1 } },
    snippet,
    fixes: [],
  });

  it('do not depend on the line number or on whitespace', () => {
    const a = fingerprintFindings('int a;\nx = "k****";\nint b;\n', [finding(1, 'x = "k****";', 7)]);
    const b = fingerprintFindings('\n\n\nint  a;\n\n   x  =  "k****";\nint b;\n', [finding(5, 'x  =  "k****";', 12)]);
    expect(a).toEqual(b);
  });

  it('tell identical lines in different surroundings apart, and number identical ones', () => {
    const text = 'void f() {\nx = "k****";\n}\nvoid g() {\nx = "k****";\n}\nvoid g() {\nx = "k****";\n}\nvoid g() {\n}\n';
    const prints = fingerprintFindings(text, [
      finding(1, 'x = "k****";', 11),
      finding(4, 'x = "k****";', 35),
      finding(7, 'x = "k****";', 59),
    ]);
    expect(prints[0].fingerprint).not.toBe(prints[1].fingerprint);
    expect(prints[1].fingerprint.replace(/:\d+$/, '')).toBe(prints[2].fingerprint.replace(/:\d+$/, ''));
    // Identical findings in identical surroundings are numbered from the end of the file.
    expect(prints.map((p) => p.fingerprint.split(':')[1])).toEqual(['1', '2', '1']);
    expect(new Set(prints.map((p) => p.lineHash)).size).toBe(1);
    expect(lineFingerprints(prints.map((_, i) => finding(i, 'x = "k****";', i)))).toEqual([
      expect.stringMatching(/:1$/),
      expect.stringMatching(/:2$/),
      expect.stringMatching(/:3$/),
    ]);
  });

  /** A credential finding on the line `const char *ota_password = "<value>";` (line 1 of the text), its value the secret. */
  const credential = (text: string, snippet: string): Finding => {
    const start = text.indexOf('"') + 1;
    const line = text.slice(0, start).split('\n').length - 1;
    const column = start - (text.lastIndexOf('\n', start - 1) + 1);
    const end = text.indexOf('"', start);
    return {
      ...finding(line, snippet, start),
      span: { start, end },
      secret: { start, end },
      range: { start: { line, column }, end: { line, column: column + end - start } },
    };
  };

  it('do not change when the masking of snippets changes, and hold no secret value', () => {
    const text = 'int a;\nconst char *ota_password = "password"; // password\nint b;\n';
    // How a release masks a one-word value inside a longer name changed once; the fingerprint must not.
    const masked = [credential(text, 'const char *ota_pa**** = "pa****"; // pa****')];
    const token = [credential(text, 'const char *ota_password = "pa****"; // pa****')];
    attachFingerprints(text, masked);
    attachFingerprints(text, token);
    expect(token[0].fingerprint).toBe(masked[0].fingerprint);
    expect(token[0].lineHash).toBe(masked[0].lineHash);
    expect(token[0].fingerprintV1).not.toBe(masked[0].fingerprintV1); // what version 1 did
    // The value (each of its occurrences on the line) is not hashed: another value gives the same fingerprint.
    const [first, second] = ['hunter22', 'Zq7!rT2#'].map((value) => {
      const source = `int a;\nconst char *ota_password = "${value}"; // ${value}\nint b;\n`;
      const findings = [credential(source, 'const char *ota_password = "****"; // ****')];
      attachFingerprints(source, findings);
      return findings[0];
    });
    expect(first.fingerprint).toBe(second.fingerprint);
    expect(first.lineHash).toBe(second.lineHash);
    // SARIF's primaryLocationLineHash too: code scanning keeps the alert when only the value or its masking changes.
    const masks = ['const char *ota_password = "hu****"; // hu****', 'const char *ota_password = "Zq****"; // Zq****'];
    expect(lineFingerprints([{ ...first, snippet: masks[0] }])).toEqual(lineFingerprints([{ ...second, snippet: masks[1] }]));
    expect(lineFingerprints([{ ...first, snippet: masks[0] }])).toEqual([`${first.lineHash}:1`]);
    // Neither is any part of a value cut by the window of a long line.
    const long = `${'x'.repeat(300)}; const char *ota_password = "${'k'.repeat(200)}";\n`;
    const longer = `${'x'.repeat(300)}; const char *ota_password = "${'q'.repeat(200)}";\n`;
    const [a, b] = [long, longer].map((source) => {
      const findings = [credential(source, '…')];
      attachFingerprints(source, findings);
      return findings[0].fingerprint;
    });
    expect(a).toBe(b);
  });

  it('still match a baseline written with version-1 fingerprints', () => {
    const text = 'int a;\nconst char *ota_password = "password";\nint b;\n';
    const findings = [credential(text, 'const char *ota_password = "pa****";')];
    attachFingerprints(text, findings);
    const current = createBaseline(findings, '0');
    expect(current.fingerprintVersion).toBe(2);
    const v1 = parseBaseline(
      JSON.stringify({
        ...current,
        fingerprintVersion: 1,
        entries: current.entries.map((entry) => ({ ...entry, fingerprint: findings[0].fingerprintV1, lineHash: findings[0].lineHashV1 })),
      }),
      'old.json',
    );
    expect(v1.entries[0].fingerprint).not.toBe(current.entries[0].fingerprint);
    expect(matchBaseline(findings, v1).unchanged.size).toBe(1);
    expect(matchBaseline(findings, current).unchanged.size).toBe(1);
    expect(() => parseBaseline(JSON.stringify({ ...current, fingerprintVersion: 3 }), 'b.json')).toThrow(/reads 1\/1 or 2/);
  });

  it('match on the line alone when a neighbouring line was edited', () => {
    const before = [finding(1, 'x = "k****";', 7)];
    attachFingerprints('int a;\nx = "k****";\nint b;\n', before);
    const baseline = createBaseline(before, '0');
    const after = [finding(1, 'x = "k****";', 7)];
    attachFingerprints('int changed;\nx = "k****";\nint b;\n', after);
    expect(after[0].fingerprint).not.toBe(before[0].fingerprint);
    expect(matchBaseline(after, baseline).unchanged.size).toBe(1);
  });
});
