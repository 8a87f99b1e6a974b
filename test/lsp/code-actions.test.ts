/** Code actions over stdio: fixes, suppressions (with and without justification), docs, fix-all. */
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import {
  CodeActionRequest,
  ExecuteCommandRequest,
  type CodeAction,
  type Diagnostic,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { useSharedSession, WEAK_HASH_ON } from './session';

const TLS_C = [
  '#include <mbedtls/ssl.h>',
  'void setup(mbedtls_ssl_config *conf)',
  '{',
  '    mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);',
  '    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_NONE);',
  '}',
  '',
].join('\n');

/** A safe fix (tls-verification-disabled) and a suggestion-only one (weak-hash) in one file. */
const MIXED_TS = [
  "import { createHash } from 'crypto';",
  "import * as https from 'https';",
  'export const agent = new https.Agent({ rejectUnauthorized: false });',
  'export function h(b: Buffer): string {',
  "  return createHash('md5').update(b).digest('hex');",
  '}',
  '',
].join('\n');

const shared = useSharedSession('actions', WEAK_HASH_ON);

async function actionsFor(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
  const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const result = await shared.session.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range,
    context: { diagnostics, only },
  });
  return (result ?? []) as CodeAction[];
}

function editsOf(action: CodeAction): TextEdit[] {
  const change = action.edit?.documentChanges?.[0];
  return change && 'edits' in change ? (change.edits as TextEdit[]) : [];
}

describe('quick fixes', () => {
  it('offers the safe fix as preferred, suppressions and docs; applying the fix removes the finding', async () => {
    const uri = await shared.session.open(path.join(shared.workspace, 'fix/uplink.c'), TLS_C, 'c');
    const diagnostics = await shared.session.diagnosticsFor(uri);
    expect(diagnostics).toHaveLength(1);
    const actions = await actionsFor(uri, diagnostics);
    const titles = actions.map((action) => action.title);
    expect(titles).toContain('Suppress tls-verification-disabled on this line…');
    expect(titles).toContain('Suppress tls-verification-disabled on the next line…');
    expect(titles).toContain('Show documentation for tls-verification-disabled');
    const docs = actions.find((action) => action.title.startsWith('Show documentation'))!;
    expect(docs.command).toMatchObject({ command: 'medsec.showRuleDocs', arguments: [diagnostics[0].codeDescription?.href] });
    const suppress = actions.find((action) => action.title.endsWith('on the next line…'))!;
    expect(suppress.command).toMatchObject({
      command: 'medsec.suppress',
      arguments: [uri, 4, 'tls-verification-disabled', 'next-line', 1],
    });

    const fix = actions.find((action) => action.edit)!;
    expect(fix.isPreferred).toBe(true);
    expect(fix.kind).toBe('quickfix');
    expect(action(fix).textDocument).toEqual({ uri, version: 1 });
    await shared.session.applyEdits(uri, editsOf(fix));
    expect(shared.session.text(uri)).toContain('MBEDTLS_SSL_VERIFY_REQUIRED');
    expect(await shared.session.diagnosticsFor(uri)).toEqual([]);
    await shared.session.close(uri);
  });

  it('offers suggestions as not preferred', async () => {
    const uri = await shared.session.open(path.join(shared.workspace, 'fix/hash.ts'), MIXED_TS, 'typescript');
    const diagnostics = (await shared.session.diagnosticsFor(uri)).filter((d) => d.code === 'weak-hash');
    const fixes = (await actionsFor(uri, diagnostics)).filter((a) => a.edit);
    expect(fixes.length).toBeGreaterThan(0);
    for (const fix of fixes) expect(fix.isPreferred).toBe(false);
    await shared.session.close(uri);
  });
});

function action(codeAction: CodeAction): { textDocument: unknown } {
  return codeAction.edit!.documentChanges![0] as { textDocument: unknown };
}

describe('suppression', () => {
  it("inserts a justified next-line suppression in the file's comment syntax, which silences the finding", async () => {
    const uri = await shared.session.open(path.join(shared.workspace, 'suppress/uplink.c'), TLS_C, 'c');
    await shared.session.diagnosticsFor(uri);
    const before = shared.session.appliedEdits.length;
    const result = await shared.session.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'medsec.applySuppression',
      arguments: [uri, shared.session.version(uri), 4, 'tls-verification-disabled', 'next-line', 'bench rig only, never shipped'],
    });
    expect(result).toEqual({ applied: true });
    expect(shared.session.appliedEdits).toHaveLength(before + 1);
    const change = shared.session.appliedEdits[before].edit.documentChanges![0] as { edits: TextEdit[] };
    expect(change.edits[0].newText).toBe('    // medsec-ignore-next-line tls-verification-disabled -- bench rig only, never shipped\n');
    await shared.session.applyEdits(uri, change.edits);
    expect(await shared.session.diagnosticsFor(uri)).toEqual([]);
    await shared.session.close(uri);
  });

  it('appends a same-line suppression with # in Python', async () => {
    const uri = await shared.session.open(
      path.join(shared.workspace, 'suppress/fetch.py'),
      'import requests\n\ndef fetch(url):\n    return requests.get(url, verify=False)\n',
      'python',
    );
    const [diagnostic] = await shared.session.diagnosticsFor(uri);
    const before = shared.session.appliedEdits.length;
    await shared.session.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'medsec.applySuppression',
      arguments: [
        uri,
        shared.session.version(uri),
        diagnostic.range.start.line,
        'tls-verification-disabled',
        'same-line',
        'lab proxy with its own CA',
      ],
    });
    const change = shared.session.appliedEdits[before].edit.documentChanges![0] as { edits: TextEdit[] };
    await shared.session.applyEdits(uri, change.edits);
    expect(shared.session.text(uri)).toContain('verify=False)  # medsec-ignore tls-verification-disabled -- lab proxy with its own CA\n');
    expect(await shared.session.diagnosticsFor(uri)).toEqual([]);
    await shared.session.close(uri);
  });

  it('refuses a suppression without a justification, or with one that says nothing, and applies no edit', async () => {
    const uri = await shared.session.open(path.join(shared.workspace, 'suppress/again.c'), TLS_C, 'c');
    await shared.session.diagnosticsFor(uri);
    const before = shared.session.appliedEdits.length;
    for (const justification of ['', '   ', undefined, 'ok', 'n/a', 'lab only']) {
      await expect(
        shared.session.connection.sendRequest(ExecuteCommandRequest.type, {
          command: 'medsec.applySuppression',
          arguments: [uri, shared.session.version(uri), 4, 'tls-verification-disabled', 'next-line', justification],
        }),
      ).rejects.toThrow(/justification/);
    }
    expect(shared.session.appliedEdits).toHaveLength(before);
    expect(shared.session.child.exitCode).toBeNull();
    await shared.session.close(uri);
  });
});

describe('source.fixAll.medsec', () => {
  it('applies safe fixes only', async () => {
    const uri = await shared.session.open(path.join(shared.workspace, 'fixall/mixed.ts'), MIXED_TS, 'typescript');
    const diagnostics = await shared.session.diagnosticsFor(uri);
    expect(diagnostics.map((d) => d.code).sort()).toEqual(['tls-verification-disabled', 'weak-hash']);
    const actions = await actionsFor(uri, [], ['source.fixAll.medsec']);
    expect(actions.map((a) => a.kind)).toEqual(['source.fixAll.medsec']);
    await shared.session.applyEdits(uri, editsOf(actions[0]));
    expect(shared.session.text(uri)).toContain("createHash('md5')"); // the suggestion is not applied
    expect(shared.session.text(uri)).not.toContain('rejectUnauthorized: false');
    expect((await shared.session.diagnosticsFor(uri)).map((d) => d.code)).toEqual(['weak-hash']);
    // Nothing safe left to fix: no action.
    expect(await actionsFor(uri, [], ['source.fixAll'])).toEqual([]);
    await shared.session.close(uri);
  });
});
