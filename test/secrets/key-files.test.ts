/**
 * Whole-file secrets through the CLI: committed key containers are reported on the file, line 1, and no
 * output ever shows their bytes; multi-line PEM keys (a .pem file, a key split over C string literals, a
 * key in JSON) never show a line of key material in text, JSON, SARIF or JUnit.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { runScanCommand, type ScanFormat } from '../../server/src/cli/commands/scan';
import { useTempProject } from '../helpers/project';
import { javaKeyStore, pkcs12 } from './der-builders';

const project = useTempProject('key-files');

interface JsonFinding {
  ruleId: string;
  path: string;
  line: number;
  snippet: string;
  message: string;
}

async function scanAll(): Promise<Record<string, string>> {
  const outputs: Record<string, string> = {};
  for (const format of ['json', 'sarif', 'text', 'junit'] as ScanFormat[]) {
    const output = path.join(project.dir, `..`, `${path.basename(project.dir)}.${format}`);
    await runScanCommand([project.dir], { format, output, failOn: 'none' });
    outputs[format] = fs.readFileSync(output, 'utf8');
    fs.rmSync(output);
  }
  return outputs;
}

describe('key files', () => {
  it('reports committed key containers on line 1 and never prints their bytes', async () => {
    const der = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'der' });
    const files: Record<string, Uint8Array> = {
      'certs/client.p12': pkcs12('key'),
      'certs/truststore.p12': pkcs12('certificate'),
      'certs/device.der': new Uint8Array(der),
      'keys/app.jks': javaKeyStore('private-key'),
      'keys/cacerts.jks': javaKeyStore('certificate'),
      'assets/logo.bin': Uint8Array.from([0, 1, 2, 3]),
    };
    for (const [name, bytes] of Object.entries(files)) project.write(name, bytes);
    const outputs = await scanAll();
    const findings = (JSON.parse(outputs.json) as { findings: JsonFinding[] }).findings;
    expect(findings.map((f) => [f.path, f.line, f.ruleId])).toEqual([
      ['certs/client.p12', 1, 'hardcoded-credential'],
      ['certs/device.der', 1, 'hardcoded-credential'],
      ['keys/app.jks', 1, 'hardcoded-credential'],
    ]);
    expect(findings[0].snippet).toMatch(/^\[binary PKCS#12 \(PFX\) key store holding a password-encrypted private key, \d+ bytes\]$/);
    const derBase64 = Buffer.from(der).toString('base64');
    for (const [format, text] of Object.entries(outputs)) {
      expect(text.includes(derBase64.slice(20, 60)), `${format} shows the key's base64`).toBe(false);
      expect(text.includes(Buffer.from(der).toString('hex').slice(40, 80)), `${format} shows the key's hex`).toBe(false);
      expect(/[\u0000-\u0008]/.test(text), `${format} carries raw bytes`).toBe(false);
    }
  });

  it('masks multi-line PEM keys on every line in every output', async () => {
    const key = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const lines = key.trim().split('\n');
    project.write('certs/device.pem', key);
    project.write('firmware/tls.c', `static const char k[] =\n${lines.map((l) => `    "${l}\\n"`).join('\n')};\n`);
    project.write(
      'cloud/service-account.json',
      JSON.stringify({ type: 'service_account', private_key: key, client_email: 'a@b.iam.gserviceaccount.com' }, null, 2),
    );
    const outputs = await scanAll();
    const findings = (JSON.parse(outputs.json) as { findings: JsonFinding[] }).findings;
    expect(findings.map((f) => [f.path, f.line])).toEqual([
      ['certs/device.pem', 1],
      ['cloud/service-account.json', 3],
      ['firmware/tls.c', 2],
    ]);
    const material = lines.slice(1, -1).map((line) => line.slice(4, 40));
    for (const [format, text] of Object.entries(outputs)) {
      for (const piece of material) expect(text.includes(piece), `${format} shows key material ${piece.slice(0, 6)}…`).toBe(false);
    }
    expect(findings.every((f) => f.snippet.includes('****'))).toBe(true);
  });
});
