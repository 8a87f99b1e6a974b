/**
 * Rules whose evidence lives in another file of the project (RuleContext.provide / Report.unless), checked on a
 * whole-project scan: legacy-tls-version (an AndroidManifest.xml says the code is built for Android) and
 * broken-cipher (a caller elsewhere passes one block to a raw-block AES helper).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expect, it } from 'vitest';

function findingsOf(dir: string, ruleId: string): { path: string; line: number }[] {
  const run = spawnSync(
    process.execPath,
    [path.resolve(__dirname, '../bin/medsec.js'), 'scan', dir, '--format', 'json', '--fail-on', 'none'],
    { encoding: 'utf8' },
  );
  return (JSON.parse(run.stdout) as { findings: { ruleId: string; path: string; line: number }[] }).findings.filter(
    (f) => f.ruleId === ruleId,
  );
}

it('an AndroidManifest.xml in the project answers SSLContext.getInstance("SSL"), and nothing else', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-tls-android-'));
  const src = path.join(dir, 'app', 'src', 'main');
  fs.mkdirSync(path.join(src, 'java'), { recursive: true });
  fs.writeFileSync(
    path.join(src, 'java', 'Share.java'),
    [
      'import javax.net.ssl.SSLContext;',
      'class Share {',
      '  SSLContext any() throws Exception { return SSLContext.getInstance("SSL"); }',
      '  SSLContext old() throws Exception { return SSLContext.getInstance("TLSv1"); }',
      '}',
      '',
    ].join('\n'),
  );
  const scan = () => findingsOf(dir, 'legacy-tls-version').map((f) => f.line);
  expect(scan()).toEqual([3, 4]);
  fs.writeFileSync(
    path.join(src, 'AndroidManifest.xml'),
    '<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="org.example.share"><application/></manifest>\n',
  );
  expect(scan()).toEqual([4]);
}, 60_000);

it('a caller in another file that passes one block answers ECB in a raw-block helper, and only a NoPadding one', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-ecb-callers-'));
  fs.writeFileSync(
    path.join(dir, 'AesBlock.java'),
    [
      'import javax.crypto.Cipher;',
      'import javax.crypto.spec.SecretKeySpec;',
      'class AesBlock {',
      '  private final byte[] key;',
      '  AesBlock(byte[] key) { this.key = key; }',
      '  byte[] aes(byte[] block) throws Exception {',
      '    Cipher c = Cipher.getInstance("AES/ECB/NoPadding");',
      '    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));',
      '    return c.doFinal(block);',
      '  }',
      '  byte[] seal(byte[] record) throws Exception {',
      '    Cipher c = Cipher.getInstance("AES/ECB/PKCS5Padding");',
      '    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));',
      '    return c.doFinal(record);',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  const scan = () => findingsOf(dir, 'broken-cipher').map((f) => `${f.path}:${f.line}`);
  expect(scan()).toEqual(['AesBlock.java:7', 'AesBlock.java:12']);
  fs.writeFileSync(
    path.join(dir, 'Auth.java'),
    [
      'import java.nio.ByteBuffer;',
      'class Auth {',
      '  byte[] answer(byte[] key, byte[] challenge) throws Exception {',
      '    ByteBuffer bb = ByteBuffer.allocate(16);',
      '    bb.put(challenge);',
      '    bb.put(challenge);',
      '    byte[] doubled = bb.array();',
      '    byte[] sealed = new AesBlock(key).seal(doubled);',
      '    return new AesBlock(key).aes(doubled);',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  expect(scan()).toEqual(['AesBlock.java:12']);
}, 60_000);

it('a .properties file of the project settles the hash algorithm a setting names, defaults included', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-hash-settings-'));
  fs.writeFileSync(path.join(dir, '.medsec.json'), JSON.stringify({ extends: ['medsec:strict'] }));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(
    path.join(dir, 'src', 'RecordDigest.java'),
    [
      'import java.security.MessageDigest;',
      'import java.util.Properties;',
      'class RecordDigest {',
      '  private final Properties props;',
      '  RecordDigest(Properties props) { this.props = props; }',
      '  byte[] record(byte[] data) throws Exception {',
      '    String alg = props.getProperty("record.hash", "SHA-256");',
      '    return MessageDigest.getInstance(alg).digest(data);',
      '  }',
      '  byte[] legacy(byte[] data) throws Exception {',
      '    String alg = props.getProperty("legacy.hash", "MD5");',
      '    return MessageDigest.getInstance(alg).digest(data);',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  const scan = () => findingsOf(dir, 'weak-hash').map((f) => f.line);
  // No file sets either key: the strong default holds, the weak default is used.
  expect(scan()).toEqual([11]);
  fs.writeFileSync(path.join(dir, 'app.properties'), '# digests of exported records\nrecord.hash = MD5\nlegacy.hash=SHA-256\n');
  // The file makes the first weak and the second strong.
  expect(scan()).toEqual([7]);
  fs.writeFileSync(path.join(dir, 'app.properties'), 'record.hash=SHA-512\nlegacy.hash=sha1\n');
  expect(scan()).toEqual([11]);
}, 60_000);

it('MCUboot built to verify signatures answers boot_request_upgrade in its own application only', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-mcuboot-verifies-'));
  const dfu = [
    '#include <zephyr/dfu/mcuboot.h>',
    'int dfu_finish(void)',
    '{',
    '    return boot_request_upgrade(BOOT_UPGRADE_TEST);',
    '}',
    '',
  ].join('\n');
  for (const app of ['patch', 'hub']) {
    fs.mkdirSync(path.join(dir, app, 'src'), { recursive: true });
    fs.writeFileSync(path.join(dir, app, 'prj.conf'), 'CONFIG_BOOTLOADER_MCUBOOT=y\nCONFIG_MCUMGR_GRP_IMG=y\n');
    fs.writeFileSync(path.join(dir, app, 'src', 'dfu.c'), dfu);
  }
  // The activation calls' findings; the configurations' own (MCUboot on its default key) are the rule fixtures'.
  const scan = () =>
    findingsOf(dir, 'unsigned-firmware-update')
      .filter((f) => f.path.endsWith('.c'))
      .map((f) => `${f.path}:${f.line}`);
  expect(scan()).toEqual(['hub/src/dfu.c:4', 'patch/src/dfu.c:4']);
  // MCUboot's own configuration (sysbuild image folder) without signatures answers nothing.
  const mcuboot = path.join(dir, 'patch', 'sysbuild', 'mcuboot');
  fs.mkdirSync(mcuboot, { recursive: true });
  fs.writeFileSync(path.join(mcuboot, 'prj.conf'), 'CONFIG_BOOT_SIGNATURE_TYPE_NONE=y\n');
  expect(scan()).toEqual(['hub/src/dfu.c:4', 'patch/src/dfu.c:4']);
  // A verifying MCUboot: the image the application requests is checked before it boots.
  fs.writeFileSync(
    path.join(mcuboot, 'prj.conf'),
    'CONFIG_BOOT_SIGNATURE_TYPE_ECDSA_P256=y\nCONFIG_BOOT_SIGNATURE_KEY_FILE="keys/release.pem"\nCONFIG_BOOT_VALIDATE_SLOT0=y\n',
  );
  expect(scan()).toEqual(['hub/src/dfu.c:4']);
  // ... unless primary-slot validation is off.
  fs.writeFileSync(path.join(mcuboot, 'prj.conf'), 'CONFIG_BOOT_SIGNATURE_TYPE_ED25519=y\nCONFIG_BOOT_VALIDATE_SLOT0=n\n');
  expect(scan()).toEqual(['hub/src/dfu.c:4', 'patch/src/dfu.c:4']);
  // Sysbuild's SB_CONFIG_ spelling at the application root counts as well.
  fs.writeFileSync(path.join(mcuboot, 'prj.conf'), '');
  fs.writeFileSync(path.join(dir, 'hub', 'sysbuild.conf'), 'SB_CONFIG_BOOT_SIGNATURE_TYPE_ECDSA_P256=y\n');
  expect(scan()).toEqual(['patch/src/dfu.c:4']);
}, 60_000);
