/**
 * Rules whose evidence lives in another file of the project (RuleContext.provide / Report.unless), checked on a
 * whole-project scan: legacy-tls-version (an AndroidManifest.xml says the code is built for Android).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expect, it } from 'vitest';

function findingsOf(dir: string, ruleId: string): { path: string; line: number }[] {
  const run = spawnSync(process.execPath, [path.resolve(__dirname, '../bin/medsec.js'), 'scan', dir, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8' });
  return (JSON.parse(run.stdout) as { findings: { ruleId: string; path: string; line: number }[] }).findings.filter((f) => f.ruleId === ruleId);
}

it('an AndroidManifest.xml in the project answers SSLContext.getInstance("SSL"), and nothing else', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-tls-android-'));
  const src = path.join(dir, 'app', 'src', 'main');
  fs.mkdirSync(path.join(src, 'java'), { recursive: true });
  fs.writeFileSync(path.join(src, 'java', 'Share.java'), [
    'import javax.net.ssl.SSLContext;',
    'class Share {',
    '  SSLContext any() throws Exception { return SSLContext.getInstance("SSL"); }',
    '  SSLContext old() throws Exception { return SSLContext.getInstance("TLSv1"); }',
    '}',
    '',
  ].join('\n'));
  const scan = () => findingsOf(dir, 'legacy-tls-version').map((f) => f.line);
  expect(scan()).toEqual([3, 4]);
  fs.writeFileSync(path.join(src, 'AndroidManifest.xml'), '<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="org.example.share"><application/></manifest>\n');
  expect(scan()).toEqual([4]);
}, 60_000);
