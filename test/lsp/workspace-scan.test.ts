/** `medsec.scanWorkspace` over stdio: every file with findings in the Problems panel, progress, cancel. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExecuteCommandRequest } from 'vscode-languageserver-protocol/node';
import type { ScanSummary } from '../../server/src/lsp/protocol';
import { ensureServerBuilt, fileUri, LspSession } from './session';

let workspace: string;
let session: LspSession | undefined;

beforeAll(() => ensureServerBuilt(), 180_000);

beforeEach(() => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-lsp-scan-'));
  const write = (name: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
    fs.writeFileSync(path.join(workspace, name), text);
  };
  write(
    'fw/digest.cpp',
    '#include <openssl/md5.h>\nvoid digest(const unsigned char *buf, size_t n, unsigned char *out) {\n    MD5(buf, n, out);\n}\n',
  );
  write('tools/fetch.py', 'import requests\n\ndef fetch(url):\n    return requests.get(url, verify=False)\n');
  write('tools/clean.py', 'print("nothing to see")\n');
  write('node_modules/dep/index.js', "require('crypto').createHash('md5');\n");
});

afterEach(async () => {
  await session?.stop();
  session = undefined;
  fs.rmSync(workspace, { recursive: true, force: true });
});

describe('medsec.scanWorkspace', () => {
  it('publishes diagnostics for every file with findings, with progress, and returns a summary', async () => {
    // weak-hash (on fw/digest.cpp) is in medsec:strict.
    const s = (session = await LspSession.start({ folders: [workspace], workDoneProgress: true, settings: { ruleSet: 'strict' } }));
    const summary = (await s.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'medsec.scanWorkspace',
      arguments: [],
    })) as ScanSummary;
    expect(summary).toMatchObject({ folders: 1, files: 3, filesWithFindings: 2, findings: 2, cancelled: false });
    expect(summary.bySeverity).toMatchObject({ critical: 1, medium: 1 });
    expect(s.progressTokens).toHaveLength(1);
    expect(s.diagnostics.get(fileUri(path.join(workspace, 'fw/digest.cpp')))?.diagnostics.map((d) => d.code)).toEqual(['weak-hash']);
    expect(s.diagnostics.get(fileUri(path.join(workspace, 'tools/fetch.py')))?.diagnostics.map((d) => d.code)).toEqual([
      'tls-verification-disabled',
    ]);
    expect(s.diagnostics.has(fileUri(path.join(workspace, 'node_modules/dep/index.js')))).toBe(false);

    // A file fixed on disk loses its diagnostics on the next scan.
    fs.writeFileSync(path.join(workspace, 'tools/fetch.py'), 'import requests\n\ndef fetch(url):\n    return requests.get(url)\n');
    const again = (await s.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'medsec.scanWorkspace',
      arguments: [],
    })) as ScanSummary;
    expect(again.findings).toBe(1);
    expect(s.diagnostics.get(fileUri(path.join(workspace, 'tools/fetch.py')))?.diagnostics).toEqual([]);
  });

  it("shows a scanned file's findings from disk again when its editor closes", async () => {
    const s = (session = await LspSession.start({ folders: [workspace] }));
    await s.connection.sendRequest(ExecuteCommandRequest.type, { command: 'medsec.scanWorkspace', arguments: [] });
    const file = path.join(workspace, 'tools/fetch.py');
    const codes = () => s.diagnostics.get(fileUri(file))?.diagnostics.map((d) => d.code);
    expect(codes()).toEqual(['tls-verification-disabled']);
    // Open with unsaved text that no longer disables verification: the live result is empty.
    const uri = await s.open(file, 'import requests\n\ndef fetch(url):\n    return requests.get(url)\n', 'python');
    expect(await s.diagnosticsFor(uri)).toEqual([]);
    // Closed without saving: the file on disk still disables verification, and Problems says so again.
    await s.close(uri);
    await s.waitFor('the scan result again', () => codes()?.length === 1);
    expect(codes()).toEqual(['tls-verification-disabled']);
  });

  it('stops when the progress is cancelled', async () => {
    for (let i = 0; i < 200; i++) fs.writeFileSync(path.join(workspace, 'fw', `module_${i}.c`), `int value_${i} = ${i};\n`);
    const s = (session = await LspSession.start({ folders: [workspace], workDoneProgress: true }));
    s.cancelProgress = true;
    const summary = (await s.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'medsec.scanWorkspace',
      arguments: [],
    })) as ScanSummary;
    expect(summary.cancelled).toBe(true);
    expect(summary.files).toBeLessThan(203);
  });
});

describe('medsec.scanWorkspace with nested .medsec.json files', () => {
  it('checks each file with its nearest configuration and reports a broken one without scanning its folder', async () => {
    fs.writeFileSync(path.join(workspace, 'fw/.medsec.json'), '{ "rules": { "weak-hash": "off" } }\n');
    fs.mkdirSync(path.join(workspace, 'tools/broken'));
    fs.writeFileSync(path.join(workspace, 'tools/broken/.medsec.json'), '{ "rules": { "weak-hsah": "off" } }\n');
    fs.writeFileSync(path.join(workspace, 'tools/broken/fetch.py'), 'import requests\nrequests.get("https://x", verify=False)\n');
    const s = (session = await LspSession.start({ folders: [workspace] }));
    const summary = (await s.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'medsec.scanWorkspace',
      arguments: [],
    })) as ScanSummary;
    expect(summary).toMatchObject({ filesWithFindings: 1, findings: 1 });
    expect(summary.configErrors).toHaveLength(1);
    expect(summary.configErrors[0]).toContain(path.join('tools', 'broken', '.medsec.json'));
    expect(s.diagnostics.get(fileUri(path.join(workspace, 'fw/digest.cpp')))?.diagnostics ?? []).toEqual([]);
    expect(s.diagnostics.get(fileUri(path.join(workspace, 'tools/broken/fetch.py')))).toBeUndefined();
    expect(s.diagnostics.get(fileUri(path.join(workspace, 'tools/broken/.medsec.json')))?.diagnostics[0]?.code).toBe('invalid-config');
  });
});
