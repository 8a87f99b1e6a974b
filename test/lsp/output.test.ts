/**
 * What the server tells the `medsec` output channel (window/logMessage): version, folders, trust mode and
 * the configuration of each folder at start; a summary of each workspace scan; configuration errors.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExecuteCommandRequest } from 'vscode-languageserver-protocol/node';
import { toolVersion } from '../../server/src/core/version';
import { ensureServerBuilt, LspSession } from './session';

let workspace: string;
let session: LspSession | undefined;

beforeAll(() => ensureServerBuilt(), 180_000);

beforeEach(() => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-lsp-output-'));
  fs.mkdirSync(path.join(workspace, 'fw'));
  fs.writeFileSync(
    path.join(workspace, 'fw/digest.cpp'),
    '#include <openssl/md5.h>\nvoid d(const unsigned char *b, size_t n, unsigned char *o) { MD5(b, n, o); }\n',
  );
});

afterEach(async () => {
  await session?.stop();
  session = undefined;
  fs.rmSync(workspace, { recursive: true, force: true });
});

const logged = (s: LspSession, text: string | RegExp) =>
  s.logs.some((line) => (typeof text === 'string' ? line.includes(text) : text.test(line)));

describe('the output channel', () => {
  it('says at start which version runs, on which folders, trusted or not, and with which configuration', async () => {
    fs.writeFileSync(path.join(workspace, '.medsec.json'), '{ "extends": ["medsec:strict"], "rules": { "weak-hash": "off" } }\n');
    const s = (session = await LspSession.start({ folders: [workspace] }));
    await s.waitFor('the configuration line', () => logged(s, /rules? enabled/));
    expect(s.logs[0]).toBe(`medsec ${toolVersion()} language server started (Node ${process.version})`);
    expect(logged(s, `Workspace folders: ${workspace}`)).toBe(true);
    expect(logged(s, 'Workspace trust: trusted')).toBe(true);
    expect(
      logged(s, new RegExp(`^${escape(workspace)}: configuration ${escape(path.join(workspace, '.medsec.json'))}, \\d+ rules enabled$`)),
    ).toBe(true);
  });

  it('names the preset when a folder has no .medsec.json, and Restricted Mode in an untrusted workspace', async () => {
    const s = (session = await LspSession.start({ folders: [workspace], initializationOptions: { trustedWorkspace: false } }));
    await s.waitFor('the configuration line', () => logged(s, /rules? enabled/));
    expect(logged(s, 'Workspace trust: Restricted Mode; built-in rules only')).toBe(true);
    expect(logged(s, new RegExp(`^${escape(workspace)}: no \\.medsec\\.json, preset medsec:recommended, \\d+ rules enabled$`))).toBe(true);
  });

  it('summarises each workspace scan', async () => {
    fs.writeFileSync(path.join(workspace, '.medsec.json'), '{ "rules": { "weak-hash": "medium" } }\n'); // a medsec:strict rule
    // Two files: the .medsec.json is read for secrets like every text file.
    const s = (session = await LspSession.start({ folders: [workspace] }));
    await s.connection.sendRequest(ExecuteCommandRequest.type, { command: 'medsec.scanWorkspace', arguments: [] });
    await s.waitFor('the scan summary', () => logged(s, 'Workspace scan:'));
    expect(s.logs.find((line) => line.startsWith('Workspace scan:'))).toMatch(
      /^Workspace scan: scanned 2 files in \d+\.\d s: 1 finding \(0 critical, 0 high, 1 medium, 0 low, 0 info\) in 1 file, 0 skipped$/,
    );
  });

  it('logs a configuration error', async () => {
    fs.writeFileSync(path.join(workspace, '.medsec.json'), '{ "rules": { "weak-hsah": "off" } }\n');
    const s = (session = await LspSession.start({ folders: [workspace] }));
    await s.waitFor('the error', () => logged(s, 'unknown rule "weak-hsah"'));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
