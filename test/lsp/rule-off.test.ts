/** "Turn off <rule> for this file / folder in .medsec.json…" over stdio: the entry, its effect, its refusals. */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { CodeActionRequest, ExecuteCommandRequest, type CodeAction } from 'vscode-languageserver-protocol/node';
import { useSharedSession } from './session';

const TLS_C = [
  '#include <mbedtls/ssl.h>',
  'void setup(mbedtls_ssl_config *conf)',
  '{',
  '    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_NONE);',
  '}',
  '',
].join('\n');

/** A configuration with a comment the edit must keep. */
const CONFIG = '{\n  // bench rigs are reviewed separately\n  "extends": ["medsec:recommended"]\n}\n';

const shared = useSharedSession('ruleoff', CONFIG);

function turnOff(args: unknown[]): Promise<unknown> {
  return shared.session.connection.sendRequest(ExecuteCommandRequest.type, { command: 'medsec.applyRuleOff', arguments: args });
}

describe('turning a rule off in .medsec.json', () => {
  it('is offered once per rule, for the file and for its folder, with the ellipsis of an action that asks', async () => {
    const uri = await shared.session.open(path.join(shared.workspace, 'offered/uplink.c'), TLS_C, 'c');
    const diagnostics = await shared.session.diagnosticsFor(uri);
    const actions = (await shared.session.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostics[0].range,
      context: { diagnostics: [...diagnostics, ...diagnostics] },
    })) as CodeAction[];
    const ruleOff = actions.filter((action) => action.command?.command === 'medsec.turnOffRule');
    expect(ruleOff.map((action) => [action.title, action.command?.arguments])).toEqual([
      ['Turn off tls-verification-disabled for this file in .medsec.json…', [uri, 'tls-verification-disabled', 'file']],
      ['Turn off tls-verification-disabled for this folder in .medsec.json…', [uri, 'tls-verification-disabled', 'folder']],
    ]);
    await shared.session.close(uri);
  });

  it('adds a justified entry that keeps the file as written and silences the rule for that file only', async () => {
    const file = path.join(shared.workspace, 'rig/uplink.c');
    const uri = await shared.session.open(file, TLS_C, 'c');
    const sibling = await shared.session.open(path.join(shared.workspace, 'rig/other.c'), TLS_C, 'c');
    expect(await shared.session.diagnosticsFor(uri)).toHaveLength(1);
    const result = await turnOff([uri, 'tls-verification-disabled', 'file', 'bench rig talks to a local simulator only (reviewed-by: QA)']);
    const configFile = path.join(shared.workspace, '.medsec.json');
    expect(result).toEqual({ configUri: expect.stringMatching(/\.medsec\.json$/) });
    const text = fs.readFileSync(configFile, 'utf8');
    expect(text).toContain('// bench rigs are reviewed separately');
    expect(JSON.parse(text.replace(/\/\/.*\n/, '\n')).suppressions).toEqual([
      {
        rules: ['tls-verification-disabled'],
        paths: ['/rig/uplink.c'],
        justification: 'bench rig talks to a local simulator only (reviewed-by: QA)',
      },
    ]);
    await expect.poll(() => shared.session.diagnosticsFor(uri), { timeout: 20_000 }).toEqual([]);
    expect(await shared.session.diagnosticsFor(sibling)).toHaveLength(1);
    await shared.session.close(uri);
    await shared.session.close(sibling);
  });

  it('for a folder, covers every file below it', async () => {
    const uri = await shared.session.open(path.join(shared.workspace, 'lab/a/uplink.c'), TLS_C, 'c');
    await turnOff([uri, 'tls-verification-disabled', 'folder', 'lab tools never ship in the device image']);
    const config = fs.readFileSync(path.join(shared.workspace, '.medsec.json'), 'utf8');
    expect(config).toContain('"/lab/a/"');
    const below = await shared.session.open(path.join(shared.workspace, 'lab/a/deep/tool.c'), TLS_C, 'c');
    expect(await shared.session.diagnosticsFor(below)).toEqual([]);
    await shared.session.close(uri);
    await shared.session.close(below);
  });

  it('refuses what would be ignored or what it cannot write, and changes nothing', async () => {
    const uri = await shared.session.open(path.join(shared.workspace, 'refused/uplink.c'), TLS_C, 'c');
    const configFile = path.join(shared.workspace, '.medsec.json');
    const before = fs.readFileSync(configFile, 'utf8');
    await expect(turnOff([uri, 'tls-verification-disabled', 'file', 'ok'])).rejects.toThrow(/justification/);
    await expect(turnOff([uri, 'no-such-rule', 'file', 'a reason long enough to pass'])).rejects.toThrow(/unknown rule/);
    await expect(turnOff([uri, 'tls-verification-disabled', 'repo', 'a reason long enough to pass'])).rejects.toThrow(/scope/);
    await expect(turnOff(['untitled:Untitled-1', 'tls-verification-disabled', 'file', 'a reason long enough to pass'])).rejects.toThrow(
      /URI of a file/,
    );
    // The configuration is open with unsaved changes: writing the disk would fight the editor.
    const configUri = await shared.session.open(configFile, `${before}\n`, 'jsonc');
    await expect(turnOff([uri, 'tls-verification-disabled', 'file', 'a reason long enough to pass'])).rejects.toThrow(/unsaved/);
    await shared.session.close(configUri);
    expect(fs.readFileSync(configFile, 'utf8')).toBe(before);
    expect(shared.session.child.exitCode).toBeNull();
    await shared.session.close(uri);
  });
});
