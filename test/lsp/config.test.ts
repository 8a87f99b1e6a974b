/** `.medsec.json` in the language server: changes re-check, a broken file is reported once, trust. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FileChangeType } from 'vscode-languageserver-protocol/node';
import { ensureServerBuilt, fileUri, LspSession } from './session';

const HASH_CPP =
  '#include <openssl/md5.h>\nvoid digest(const unsigned char *buf, size_t n, unsigned char *out) {\n    MD5(buf, n, out);\n}\n';

let workspace: string;
let session: LspSession | undefined;

beforeAll(() => ensureServerBuilt(), 180_000);

beforeEach(() => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-lsp-config-'));
});

afterEach(async () => {
  await session?.stop();
  session = undefined;
  fs.rmSync(workspace, { recursive: true, force: true });
});

async function configChanged(s: LspSession): Promise<void> {
  await s.watchedFilesChanged([{ uri: fileUri(path.join(workspace, '.medsec.json')), type: FileChangeType.Changed }]);
}

describe('.medsec.json', () => {
  it('re-checks open documents when it changes (turning a rule off and on)', async () => {
    // weak-hash, the rule of HASH_CPP, is in medsec:strict.
    const s = (session = await LspSession.start({ folders: [workspace], settings: { ruleSet: 'strict' } }));
    const uri = await s.open(path.join(workspace, 'digest.cpp'), HASH_CPP, 'cpp');
    expect(await s.diagnosticsFor(uri)).toHaveLength(1);
    fs.writeFileSync(path.join(workspace, '.medsec.json'), '{ "rules": { "weak-hash": "off" } }\n');
    await configChanged(s);
    await s.waitFor('rule off', () => s.diagnostics.get(uri)?.diagnostics.length === 0);
    fs.writeFileSync(path.join(workspace, '.medsec.json'), '{ "rules": { "weak-hash": "critical" } }\n');
    await configChanged(s);
    await s.waitFor('rule on as critical', () => s.diagnostics.get(uri)?.diagnostics[0]?.severity === 1);
  });

  it('a broken file gets one diagnostic at the error and one message, nothing runs, and fixing it recovers', async () => {
    const configFile = path.join(workspace, '.medsec.json');
    fs.writeFileSync(configFile, '{\n  "rules": {\n    "weak-hsah": "off"\n  }\n}\n');
    const s = (session = await LspSession.start({ folders: [workspace] }));
    const configUri = fileUri(configFile);
    await s.waitFor('config diagnostic', () => (s.diagnostics.get(configUri)?.diagnostics.length ?? 0) > 0);
    const uri = await s.open(path.join(workspace, 'digest.cpp'), HASH_CPP, 'cpp');
    expect(await s.diagnosticsFor(uri)).toEqual([]); // the engine refuses to run on a broken config
    const uri2 = await s.open(path.join(workspace, 'other.cpp'), HASH_CPP, 'cpp');
    expect(await s.diagnosticsFor(uri2)).toEqual([]);
    await configChanged(s); // the same error again: no second message
    await s.diagnosticsFor(uri);

    const configDiagnostics = s.diagnostics.get(configUri)!.diagnostics;
    expect(configDiagnostics).toHaveLength(1);
    expect(configDiagnostics[0].range.start).toEqual({ line: 2, character: 4 });
    expect(configDiagnostics[0].message).toContain('weak-hsah');
    expect(configDiagnostics[0].message).toContain('did you mean "weak-hash"');
    expect(s.shownMessages.filter((m) => m.message.includes('weak-hsah'))).toHaveLength(1);
    expect(s.statuses.at(-1)?.state).toBe('error');

    fs.writeFileSync(configFile, '{ "rules": { "weak-hash": "high" } }\n');
    await configChanged(s);
    await s.waitFor('config diagnostic cleared', () => s.diagnostics.get(configUri)?.diagnostics.length === 0);
    await s.waitFor('files checked again', () => s.diagnostics.get(uri)?.diagnostics.length === 1);
    expect(s.child.exitCode).toBeNull();
  });

  it('a syntax error is located too', async () => {
    const configFile = path.join(workspace, '.medsec.json');
    fs.writeFileSync(configFile, '{\n  "rules": { "weak-hash": "off" \n');
    const s = (session = await LspSession.start({ folders: [workspace] }));
    await s.waitFor('config diagnostic', () => (s.diagnostics.get(fileUri(configFile))?.diagnostics.length ?? 0) > 0);
    expect(s.diagnostics.get(fileUri(configFile))!.diagnostics).toHaveLength(1);
    expect(s.child.exitCode).toBeNull();
  });

  it('in an untrusted workspace, extends files are not read', async () => {
    fs.writeFileSync(path.join(workspace, 'base.json'), '{ "rules": { "weak-hash": "off" } }\n');
    fs.writeFileSync(path.join(workspace, '.medsec.json'), '{ "extends": ["medsec:strict", "./base.json"] }\n');
    const trusted = (session = await LspSession.start({ folders: [workspace] }));
    const uri = await trusted.open(path.join(workspace, 'digest.cpp'), HASH_CPP, 'cpp');
    expect(await trusted.diagnosticsFor(uri)).toEqual([]); // base.json turned weak-hash off
    await trusted.stop();

    const untrusted = (session = await LspSession.start({ folders: [workspace], initializationOptions: { trustedWorkspace: false } }));
    const uri2 = await untrusted.open(path.join(workspace, 'digest.cpp'), HASH_CPP, 'cpp');
    expect((await untrusted.diagnosticsFor(uri2)).map((d) => d.code)).toEqual(['weak-hash']);
  });

  it('uses the ruleSet setting when there is no .medsec.json', async () => {
    const s = (session = await LspSession.start({ folders: [workspace], settings: { ruleSet: 'strict' } }));
    const uri = await s.open(path.join(workspace, 'digest.cpp'), HASH_CPP, 'cpp');
    expect((await s.diagnosticsFor(uri)).map((d) => d.code)).toEqual(['weak-hash']);
  });
});

describe('nested .medsec.json', () => {
  const write = (name: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
    fs.writeFileSync(path.join(workspace, name), text);
    return path.join(workspace, name);
  };

  it('governs the files below it, as in the CLI: standing alone, its globs relative to its folder', async () => {
    write('.medsec.json', '{ "rules": { "weak-hash": "off" } }\n');
    write('firmware/.medsec.json', '{ "rules": { "weak-hash": "critical" }, "ignore": ["/generated/"] }\n');
    const s = (session = await LspSession.start({ folders: [workspace] }));
    const outer = await s.open(path.join(workspace, 'app/digest.cpp'), HASH_CPP, 'cpp');
    const inner = await s.open(path.join(workspace, 'firmware/main/digest.cpp'), HASH_CPP, 'cpp');
    const generated = await s.open(path.join(workspace, 'firmware/generated/digest.cpp'), HASH_CPP, 'cpp');
    expect(await s.diagnosticsFor(outer)).toEqual([]);
    const [finding] = await s.diagnosticsFor(inner);
    expect(finding).toMatchObject({ code: 'weak-hash', severity: 1 });
    expect(finding.message).toMatch(/^\[critical\] /);
    expect(await s.diagnosticsFor(generated)).toEqual([]);
    await s.waitFor('the nested configuration logged', () =>
      s.logs.some((line) => line.startsWith(`${path.join(workspace, 'firmware')}: configuration `)),
    );
  });

  it('may extend a file above it in the workspace folder, but not one outside it', async () => {
    const root = path.join(workspace, 'repo');
    write('shared.json', '{ "rules": { "weak-hash": "off" } }\n'); // beside the workspace folder, not in it
    write('repo/.medsec.json', '{ "rules": { "weak-hash": "off" } }\n');
    write('repo/firmware/.medsec.json', '{ "extends": ["../.medsec.json"] }\n');
    write('repo/drivers/.medsec.json', '{ "extends": ["../../shared.json"] }\n');
    const s = (session = await LspSession.start({ folders: [root] }));
    const inside = await s.open(path.join(root, 'firmware/digest.cpp'), HASH_CPP, 'cpp');
    expect(await s.diagnosticsFor(inside)).toEqual([]);
    const outsideUri = fileUri(path.join(root, 'drivers/.medsec.json'));
    await s.waitFor('refused extends reported', () => (s.diagnostics.get(outsideUri)?.diagnostics.length ?? 0) > 0);
    expect(s.diagnostics.get(outsideUri)!.diagnostics[0].message).toContain('it is outside the workspace');
  });

  it('is reported like a root file when broken, at start and when it changes, and recovers', async () => {
    write('.medsec.json', '{ "rules": { "weak-hash": "medium" } }\n'); // a medsec:strict rule
    const nestedFile = write('firmware/.medsec.json', '{\n  "rules": { "weak-hsah": "off" }\n}\n');
    const s = (session = await LspSession.start({ folders: [workspace] }));
    const nestedUri = fileUri(nestedFile);
    await s.waitFor('nested config diagnostic', () => (s.diagnostics.get(nestedUri)?.diagnostics.length ?? 0) > 0);
    expect(s.diagnostics.get(nestedUri)!.diagnostics[0]).toMatchObject({
      code: 'invalid-config',
      range: { start: { line: 1, character: 13 } },
    });
    await s.waitFor('the error message', () => s.shownMessages.some((m) => m.message.includes('weak-hsah')));
    const inner = await s.open(path.join(workspace, 'firmware/digest.cpp'), HASH_CPP, 'cpp');
    const outer = await s.open(path.join(workspace, 'digest.cpp'), HASH_CPP, 'cpp');
    expect(await s.diagnosticsFor(inner)).toEqual([]); // nothing runs under a broken file
    expect((await s.diagnosticsFor(outer)).map((d) => d.code)).toEqual(['weak-hash']); // the rest is checked
    await s.waitFor('error status', () => s.statuses.at(-1)?.state === 'error');
    expect(s.shownMessages.filter((m) => m.message.includes('weak-hsah'))).toHaveLength(1);

    fs.writeFileSync(nestedFile, '{ "rules": { "weak-hash": "high" } }\n');
    await s.watchedFilesChanged([{ uri: nestedUri, type: FileChangeType.Changed }]);
    await s.waitFor('nested config diagnostic cleared', () => s.diagnostics.get(nestedUri)?.diagnostics.length === 0);
    await s.waitFor('the file checked again', () => s.diagnostics.get(inner)?.diagnostics.length === 1);
    expect(s.diagnostics.get(inner)!.diagnostics[0].severity).toBe(2);
  });

  it('takes its error with it when deleted', async () => {
    const nestedFile = write('firmware/.medsec.json', '{ "rules": { "weak-hsah": "off" } }\n');
    const s = (session = await LspSession.start({ folders: [workspace] }));
    const nestedUri = fileUri(nestedFile);
    await s.waitFor('nested config diagnostic', () => (s.diagnostics.get(nestedUri)?.diagnostics.length ?? 0) > 0);
    fs.rmSync(nestedFile);
    await s.watchedFilesChanged([{ uri: nestedUri, type: FileChangeType.Deleted }]);
    await s.waitFor('cleared', () => s.diagnostics.get(nestedUri)?.diagnostics.length === 0);
    await s.waitFor('idle status', () => s.statuses.at(-1)?.state === 'idle');
  });
});
