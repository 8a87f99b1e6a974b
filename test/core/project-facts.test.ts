import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expect, it } from 'vitest';
import { conditionList, resolveProjectFacts } from '../../server/src/core/project-facts';
import type { FileResult, Finding } from '../../server/src/core/types';

const finding = (ruleId: string, unless?: Finding['unless'], when?: Finding['when']): Finding => ({
  ruleId,
  message: 'm',
  severity: 'high',
  confidence: 'medium',
  path: 'a.c',
  language: 'c',
  span: { start: 0, end: 1 },
  range: { start: { line: 0, column: 0 }, end: { line: 0, column: 1 } },
  snippet: 's',
  fixes: [],
  ...(unless ? { unless } : {}),
  ...(when ? { when } : {}),
});
const file = (path: string, findings: Finding[], facts?: FileResult['facts']): FileResult => ({
  path,
  language: 'c',
  findings,
  ruleFailures: [],
  notes: [],
  lines: 1,
  ...(facts ? { facts } : {}),
});

it('drops a conditional finding when another file provides the fact, for the same rule only', () => {
  const files = resolveProjectFacts([
    file('ota.c', [
      finding('unsigned-firmware-update', { fact: 'verifies-signature', anyOf: ['check_image'] }),
      finding('unsigned-firmware-update', { fact: 'verifies-signature', anyOf: ['crc_image'] }),
      finding('other-rule', { fact: 'verifies-signature', anyOf: ['check_image'] }),
      finding('weak-hash'),
    ]),
    file('verify.c', [], { 'unsigned-firmware-update': { 'verifies-signature': ['check_image'] } }),
  ]);
  expect(files[0].findings.map((f) => `${f.ruleId} ${conditionList(f.unless)[0]?.anyOf[0] ?? ''}`)).toEqual([
    'unsigned-firmware-update crc_image',
    'other-rule check_image',
    'weak-hash ',
  ]);
});

it('keeps a finding with several `when` conditions only when every one is provided', () => {
  const openAp = { fact: 'open-ap', anyOf: ['yes'] };
  const commands = { fact: 'command-interface', anyOf: ['dose', 'config'] };
  const rule = 'open-access-point';
  const scan = (facts: Record<string, string[]>) =>
    resolveProjectFacts([file('portal.cpp', [finding(rule, undefined, [openAp, commands])]), file('wifi.cpp', [], { [rule]: facts })])[0]
      .findings.length;
  expect(scan({ 'open-ap': ['yes'], 'command-interface': ['config'] })).toBe(1);
  expect(scan({ 'open-ap': ['yes'] })).toBe(0);
  expect(scan({ 'command-interface': ['dose'] })).toBe(0);
});

it('drops a finding with several `unless` conditions when any one is provided, and keeps it when none is', () => {
  const signed = { fact: 'signed', anyOf: ['yes'] };
  const authenticated = { fact: 'authenticated', anyOf: ['smp-hook'] };
  const rule = 'unprotected-update-channel';
  const scan = (facts: Record<string, string[]>) =>
    resolveProjectFacts([file('Kconfig', [finding(rule, [signed, authenticated])]), file('prj.conf', [], { [rule]: facts })])[0].findings
      .length;
  expect(scan({ authenticated: ['smp-hook'] })).toBe(0);
  expect(scan({ signed: ['yes'] })).toBe(0);
  expect(scan({ signed: ['no'], other: ['smp-hook'] })).toBe(1);
});

it('combines `when` and `unless`: confirmed by all, then answered by any', () => {
  const rule = 'r';
  const when = [
    { fact: 'a', anyOf: ['1'] },
    { fact: 'b', anyOf: ['1'] },
  ];
  const unless = [{ fact: 'c', anyOf: ['1'] }];
  const scan = (facts: Record<string, string[]>) =>
    resolveProjectFacts([file('x.c', [finding(rule, unless, when)]), file('y.c', [], { [rule]: facts })])[0].findings.length;
  expect(scan({ a: ['1'], b: ['1'] })).toBe(1);
  expect(scan({ a: ['1'], b: ['1'], c: ['1'] })).toBe(0);
});

it('leaves results untouched when no file provides anything', () => {
  const files = [file('a.c', [finding('unsigned-firmware-update', { fact: 'verifies-signature', anyOf: ['x'] })])];
  expect(resolveProjectFacts(files)).toBe(files);
});

it('a whole-project scan lets the firmware configuration answer an update path without a version check', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-facts-'));
  fs.mkdirSync(path.join(dir, 'main'));
  fs.writeFileSync(
    path.join(dir, 'main', 'ota.c'),
    [
      '#include "esp_ota_ops.h"',
      'esp_err_t apply(const esp_partition_t *target) {',
      '    if (!verify_image_signature(target)) return ESP_FAIL;',
      '    return esp_ota_set_boot_partition(target);',
      '}',
      '',
    ].join('\n'),
  );
  const scan = () => {
    const run = spawnSync(
      process.execPath,
      [path.resolve(__dirname, '../../bin/medsec.js'), 'scan', dir, '--format', 'json', '--fail-on', 'none'],
      { encoding: 'utf8' },
    );
    return (JSON.parse(run.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
  };
  expect(scan()).toContain('update-rollback-allowed');
  fs.writeFileSync(
    path.join(dir, 'sdkconfig.defaults'),
    'CONFIG_SECURE_BOOT=y\nCONFIG_BOOTLOADER_APP_ANTI_ROLLBACK=y\nCONFIG_BOOTLOADER_APP_SECURE_VERSION=2\n',
  );
  expect(scan()).not.toContain('update-rollback-allowed');
}, 60_000);

it('follows an unsigned-update path into the file that verifies, and into the file that calls after verifying', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-facts-'));
  const write = (name: string, lines: string[]) => fs.writeFileSync(path.join(dir, name), `${lines.join('\n')}\n`);
  write('ota_apply.c', [
    '#include "esp_ota_ops.h"',
    'esp_err_t ota_apply(const esp_partition_t *target, const uint8_t *img, size_t len) {',
    '    if (image_ok(img, len) != 1) return ESP_FAIL;',
    '    return esp_ota_set_boot_partition(target);',
    '}',
    'esp_err_t ota_commit(const esp_partition_t *target) {',
    '    return esp_ota_set_boot_partition(target);',
    '}',
    'esp_err_t ota_unchecked(const esp_partition_t *target, const uint8_t *img, size_t len) {',
    '    if (crc32_image(img, len) != 0) return ESP_FAIL;',
    '    return esp_ota_set_boot_partition(target);',
    '}',
  ]);
  const scan = () => {
    const run = spawnSync(
      process.execPath,
      [path.resolve(__dirname, '../../bin/medsec.js'), 'scan', dir, '--format', 'json', '--fail-on', 'none'],
      { encoding: 'utf8' },
    );
    return (JSON.parse(run.stdout) as { findings: { ruleId: string; path: string; line: number }[] }).findings
      .filter((f) => f.ruleId === 'unsigned-firmware-update')
      .map((f) => `${f.path}:${f.line}`);
  };
  // Alone, the file cannot tell: every activation is reported.
  expect(scan()).toEqual(['ota_apply.c:4', 'ota_apply.c:7', 'ota_apply.c:11']);
  write('verify.c', [
    '#include "mbedtls/pk.h"',
    'int image_ok(const uint8_t *img, size_t len) {',
    '    return mbedtls_pk_verify(&release_key, MBEDTLS_MD_SHA256, img, 32, sig, sig_len) == 0;',
    '}',
    'void on_image_received(const esp_partition_t *target, const uint8_t *img, size_t len) {',
    '    if (mbedtls_pk_verify(&release_key, MBEDTLS_MD_SHA256, img, 32, sig, sig_len) == 0) ota_commit(target);',
    '}',
  ]);
  // With the verifying file in the scan: the helper verifies, and ota_commit is only called after a check.
  expect(scan()).toEqual(['ota_apply.c:11']);
}, 60_000);

it('a wildcard CORS policy without credentials stands unless the project authenticates requests by an Authorization header', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-facts-'));
  const write = (name: string, lines: string[]) => fs.writeFileSync(path.join(dir, name), `${lines.join('\n')}\n`);
  write('wsgi.py', [
    'from flask import Flask',
    'from flask_cors import CORS',
    'app = Flask(__name__)',
    'CORS(app)',
    'CORS(app, supports_credentials=True)',
  ]);
  const scan = () => {
    const run = spawnSync(
      process.execPath,
      [path.resolve(__dirname, '../../bin/medsec.js'), 'scan', dir, '--format', 'json', '--fail-on', 'none'],
      { encoding: 'utf8' },
    );
    return (JSON.parse(run.stdout) as { findings: { ruleId: string; line: number }[] }).findings
      .filter((f) => f.ruleId === 'cors-wildcard')
      .map((f) => f.line);
  };
  expect(scan()).toEqual([4, 5]);
  write('auth.py', [
    'from flask import request',
    'class ApiKeyAuthorization:',
    '    def is_authorized(self, headers):',
    "        return self.key == headers.get('Authorization')",
  ]);
  // Every request must carry the key, which a foreign page does not have; with credentials, cookies still go along.
  expect(scan()).toEqual([5]);
}, 60_000);

it('a dropped result of a verification function defined in another file stands unless that file shows it returns no verdict', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-facts-'));
  const write = (name: string, lines: string[]) => fs.writeFileSync(path.join(dir, name), `${lines.join('\n')}\n`);
  write('ota.c', [
    '#include "esp_ota_ops.h"',
    'esp_err_t ota_apply(const esp_partition_t *target, const uint8_t *img, size_t len) {',
    '    verify_image_signature(img, len);',
    '    return esp_ota_set_boot_partition(target);',
    '}',
  ]);
  const scan = () => {
    const run = spawnSync(
      process.execPath,
      [path.resolve(__dirname, '../../bin/medsec.js'), 'scan', dir, '--format', 'json', '--fail-on', 'none'],
      { encoding: 'utf8' },
    );
    return (JSON.parse(run.stdout) as { findings: { ruleId: string; line: number }[] }).findings
      .filter((f) => f.ruleId === 'ignored-signature-result')
      .map((f) => f.line);
  };
  expect(scan()).toEqual([3]);
  // The verifier halts on a bad signature and returns nothing: the call drops no verdict.
  write('verify.c', [
    '#include "mbedtls/pk.h"',
    'void verify_image_signature(const uint8_t *img, size_t len) {',
    '    if (mbedtls_pk_verify(&release_key, MBEDTLS_MD_SHA256, digest_of(img, len), 32, sig, sig_len) != 0) abort();',
    '}',
  ]);
  expect(scan()).toEqual([]);
}, 60_000);
