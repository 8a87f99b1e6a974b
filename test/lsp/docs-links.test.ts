/**
 * Rule documentation links: the bundled page through a `command:` link in a client that runs them (VS Code),
 * the published page in other editors, and a team's own site with `medsec.docs.baseUrl`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeActionRequest, HoverRequest, type CodeAction, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { customDocsUrl, ruleDocsLink } from '../../server/src/lsp/docs-links';
import { COMMANDS, ruleDocsUrl } from '../../shared/protocol';
import { ensureServerBuilt, LspSession } from './session';

const HASH_CPP =
  '#include <openssl/md5.h>\nvoid digest(const unsigned char *buf, size_t n, unsigned char *out) {\n    MD5(buf, n, out);\n}\n';
const COMMAND_LINK = `command:${COMMANDS.showRuleDocs}?${encodeURIComponent('["weak-hash"]')}`;

describe('ruleDocsLink', () => {
  it('links to the bundled page with a command: link when the client runs them, else to the published page', () => {
    expect(ruleDocsLink('weak-hash', { docsBaseUrl: '', commandLinks: true })).toBe(COMMAND_LINK);
    expect(ruleDocsLink('weak-hash', { docsBaseUrl: '', commandLinks: false })).toBe(ruleDocsUrl('weak-hash'));
  });

  it('sends every link to a team site when a base URL is set, with {rule} or <rule>.md appended', () => {
    expect(ruleDocsLink('weak-hash', { docsBaseUrl: 'https://wiki.example.com/medsec', commandLinks: true })).toBe(
      'https://wiki.example.com/medsec/weak-hash.md',
    );
    expect(customDocsUrl('https://wiki.example.com/medsec/', 'weak-hash')).toBe('https://wiki.example.com/medsec/weak-hash.md');
    expect(customDocsUrl('https://wiki.example.com/rules/{rule}.html', 'weak-hash')).toBe('https://wiki.example.com/rules/weak-hash.html');
    expect(customDocsUrl('https://x.example/{rule}', 'acme/no-telnet')).toBe('https://x.example/acme%2Fno-telnet');
  });
});

describe('in a client that runs command links', () => {
  let workspace: string;
  let session: LspSession;
  beforeAll(async () => {
    ensureServerBuilt();
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-lsp-docs-'));
    fs.writeFileSync(path.join(workspace, '.medsec.json'), '{ "rules": { "weak-hash": "medium" } }\n'); // a medsec:strict rule
    session = await LspSession.start({ folders: [workspace], initializationOptions: { commandLinks: true } });
  }, 180_000);
  afterAll(async () => {
    await session?.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('the Problems panel link, the hover link and Show documentation open the bundled page', async () => {
    const uri = await session.open(path.join(workspace, 'digest.cpp'), HASH_CPP, 'cpp');
    const [diagnostic] = await session.diagnosticsFor(uri);
    expect(diagnostic.codeDescription?.href).toBe(COMMAND_LINK);
    const hover = await session.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: diagnostic.range.start });
    expect((hover?.contents as MarkupContent).value).toContain(`(${COMMAND_LINK})`);
    const actions = (await session.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    })) as CodeAction[];
    const docs = actions.find((action) => action.title.startsWith('Show documentation'));
    expect(docs?.command).toMatchObject({ command: COMMANDS.showRuleDocs, arguments: ['weak-hash'] });
    await session.close(uri);
  });

  it('follows medsec.docs.baseUrl everywhere', async () => {
    session.settings = { ...session.settings, docs: { baseUrl: 'https://wiki.example.com/medsec/{rule}.html' } };
    await session.settingsChanged();
    const uri = await session.open(path.join(workspace, 'digest2.cpp'), HASH_CPP, 'cpp');
    const [diagnostic] = await session.diagnosticsFor(uri);
    expect(diagnostic.codeDescription?.href).toBe('https://wiki.example.com/medsec/weak-hash.html');
    const hover = await session.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: diagnostic.range.start });
    expect((hover?.contents as MarkupContent).value).toContain('(https://wiki.example.com/medsec/weak-hash.html)');
    const actions = (await session.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    })) as CodeAction[];
    const docs = actions.find((action) => action.title.startsWith('Show documentation'));
    expect(docs?.command?.arguments).toEqual(['https://wiki.example.com/medsec/weak-hash.html']);
    await session.close(uri);
  });
});
