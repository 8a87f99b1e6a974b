// The VS Code client's pure parts and its manifest: the status bar text, the suppress command's arguments,
// where rule docs open, and that package.json declares every setting, command and language the client
// and server use. (The client itself runs in the end-to-end test, test/e2e/.)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index';
import { COMMANDS, ruleDocsUrl } from '../shared/protocol';
import { DEFAULT_SETTINGS } from '../server/src/lsp/settings';
import { bundledRuleDoc, statusBarView, suppressTarget } from '../client/src/presentation';
import { documentSelector, MEDSEC_LANGUAGE_IDS } from '../client/src/selector';

const root = join(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('status bar', () => {
  it('shows the finding count when idle, a spinner while checking, and an error state', () => {
    expect(statusBarView({ state: 'idle', findings: 3 }, true)).toMatchObject({ text: '$(shield) medsec: 3', isError: false });
    expect(statusBarView({ state: 'idle', findings: 1 }, true).tooltip).toContain('1 finding in');
    expect(statusBarView({ state: 'checking', findings: 2 }, true).text).toBe('$(sync~spin) medsec: 2');
    const error = statusBarView({ state: 'error', findings: 0, message: 'broken .medsec.json at line 3' }, true);
    expect(error).toMatchObject({ text: '$(error) medsec', isError: true });
    expect(error.tooltip).toContain('broken .medsec.json at line 3');
    expect(statusBarView(undefined, true).text).toBe('$(shield) medsec');
  });

  it('says when an untrusted workspace restricts medsec to built-in rules', () => {
    expect(statusBarView({ state: 'idle', findings: 0 }, false).tooltip).toContain('built-in rules only');
    expect(statusBarView({ state: 'idle', findings: 0 }, true).tooltip).not.toContain('Restricted');
  });
});

describe('medsec.suppress arguments', () => {
  const expected = { uri: 'file:///a.c', line: 4, ruleId: 'weak-hash', kind: 'next-line', version: 7 };
  it('reads the order the server sends: (uri, line, ruleId, kind, version)', () => {
    expect(suppressTarget(['file:///a.c', 4, 'weak-hash', 'next-line', 7])).toEqual(expected);
    expect(suppressTarget(['file:///a.c', 4, 'weak-hash', 'same-line'])).toEqual({ uri: 'file:///a.c', line: 4, ruleId: 'weak-hash', kind: 'same-line' });
  });
  it('also reads the first agreed order: (uri, version, line, ruleId, kind)', () => {
    expect(suppressTarget(['file:///a.c', 7, 4, 'weak-hash', 'next-line'])).toEqual(expected);
  });
  it('rejects arguments that make no sense', () => {
    expect(suppressTarget([])).toBeUndefined();
    expect(suppressTarget(['file:///a.c', 4, 'weak-hash', 'everywhere'])).toBeUndefined();
    expect(suppressTarget([42, 4, 'weak-hash', 'same-line'])).toBeUndefined();
  });
});

describe('rule documentation', () => {
  // Whether each page is generated and current is docs.test.ts's job; the client falls back to the URL.
  it('opens every rule docs URL from the bundled page', () => {
    for (const rule of builtinRules) {
      const page = bundledRuleDoc(ruleDocsUrl(rule.meta.id));
      expect(page, rule.meta.id).toBe(`docs/rules/${rule.meta.id}.md`);
      expect(bundledRuleDoc(rule.meta.id)).toBe(page);
    }
  });
  it('leaves any other URL to the browser', () => {
    expect(bundledRuleDoc('https://cwe.mitre.org/data/definitions/295.html')).toBeUndefined();
    expect(bundledRuleDoc(`${ruleDocsUrl('weak-hash')}/../../../etc/passwd`)).toBeUndefined();
  });
});

describe('extension manifest (package.json)', () => {
  const properties = manifest.contributes.configuration.properties as Record<string, { default: unknown; scope: string; description?: string; markdownDescription?: string }>;

  it('declares every server setting as a resource-scoped medsec.* setting with the server default', () => {
    const serverKeys = Object.keys(DEFAULT_SETTINGS).filter((key) => key !== 'trustedWorkspace');
    expect(Object.keys(properties).sort()).toEqual(serverKeys.map((key) => `medsec.${key}`).sort());
    for (const key of serverKeys) {
      const property = properties[`medsec.${key}`];
      expect(property.scope, key).toBe('resource');
      expect(property.description ?? property.markdownDescription, key).toBeTruthy();
      expect(property.default, key).toEqual(DEFAULT_SETTINGS[key as keyof typeof DEFAULT_SETTINGS]);
    }
  });

  it('declares every command with the medsec category', () => {
    const declared = manifest.contributes.commands as { command: string; category: string; title: string }[];
    expect(declared.map((entry) => entry.command).sort()).toEqual(Object.values(COMMANDS).sort());
    for (const entry of declared) expect(entry.category, entry.command).toBe('medsec');
  });

  it('activates on every language the client sends to the server, and on device projects', () => {
    const events = manifest.activationEvents as string[];
    for (const language of MEDSEC_LANGUAGE_IDS) expect(events).toContain(`onLanguage:${language}`);
    expect(events).toContain('workspaceContains:**/.medsec.json');
    expect(events).toContain('workspaceContains:**/sdkconfig');
    expect(documentSelector().every((filter) => filter.scheme === 'file')).toBe(true);
  });

  it('validates .medsec.json with the shipped schema and supports untrusted workspaces in limited mode', () => {
    expect(manifest.contributes.jsonValidation).toContainEqual({ fileMatch: '.medsec.json', url: './schema/medsec.schema.json' });
    expect(existsSync(join(root, 'schema/medsec.schema.json'))).toBe(true);
    expect(manifest.capabilities.untrustedWorkspaces.supported).toBe('limited');
  });

  it('loads the client bundle the build writes, for a VS Code the client library supports', () => {
    expect(manifest.main).toBe('./client/out/extension.js');
    expect(readFileSync(join(root, 'scripts/build.mjs'), 'utf8')).toContain("outfile: 'client/out/extension.js'");
    expect(manifest.engines.vscode).toBe('^1.91.0');
    expect(manifest.devDependencies['@types/vscode']).toBe('1.91.0');
  });
});
