// The VS Code client's pure parts and its manifest: the status bar text, the suppress command's arguments,
// where rule docs open, and that package.json declares every setting, command and language the client
// and server use. (The client itself runs in the end-to-end test, test/e2e/.)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index';
import { COMMANDS, justificationProblem, ruleDocsUrl } from '../shared/protocol';
import { DEFAULT_SETTINGS, SETTING_NAMES } from '../server/src/lsp/settings';
import {
  bundledRuleDoc,
  CONFIG_TEMPLATE,
  configCandidates,
  scanSummaryMessage,
  STATUS_MENU,
  statusBarView,
  suppressTarget,
} from '../client/src/presentation';
import { resolveConfig } from '../server/src/core/config';
import { BUILTIN } from './helpers/registry';
import { documentSelector, MEDSEC_LANGUAGE_IDS } from '../client/src/selector';
import { FIX_ALL_KIND } from '../server/src/lsp/protocol';
import { serverEnvironment } from '../client/src/server-environment';

const root = join(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
/** Settings only the VS Code client reads (the language client's trace switch). */
const CLIENT_ONLY_SETTINGS: string[] = ['medsec.trace.server'];

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

  it('says when an untrusted workspace restricts medsec to built-in rules, in the text itself', () => {
    expect(statusBarView({ state: 'idle', findings: 0 }, false).tooltip).toContain('built-in rules only');
    expect(statusBarView({ state: 'idle', findings: 2 }, false).text).toBe('$(shield) medsec: 2 $(workspace-untrusted) Restricted Mode');
    expect(statusBarView(undefined, false).text).toContain('Restricted Mode');
    expect(statusBarView({ state: 'idle', findings: 0 }, true).tooltip).not.toContain('Restricted');
    expect(statusBarView({ state: 'idle', findings: 0 }, true).text).not.toContain('Restricted');
  });

  it('opens a menu of problems, output, scan and configuration, each a declared command or the Problems view', () => {
    const declared = (manifest.contributes.commands as { command: string }[]).map((entry) => entry.command);
    expect(STATUS_MENU.map((entry) => entry.label.replace(/^\$\([a-z-]+\) /, ''))).toEqual([
      'Show Problems',
      'Show Output',
      'Scan Workspace',
      'Open Configuration',
    ]);
    for (const entry of STATUS_MENU.slice(1)) expect(declared).toContain(entry.command);
    expect(STATUS_MENU[0].command).toBe('workbench.actions.view.problems');
  });
});

describe('Scan Workspace summary', () => {
  const base = {
    folders: 1,
    files: 12,
    filesWithFindings: 0,
    findings: 0,
    skipped: 0,
    configErrors: [],
    cancelled: false,
    durationMs: 40,
    bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
  };

  it('counts findings by the severities that occur, highest first, and the files they are in', () => {
    const summary = { ...base, filesWithFindings: 3, findings: 5, bySeverity: { ...base.bySeverity, critical: 1, medium: 4 } };
    expect(scanSummaryMessage(summary)).toBe('medsec: 5 findings (1 critical, 4 medium) in 3 of 12 files.');
  });

  it('says so when nothing was found, when the scan was cancelled and when a configuration kept files from being checked', () => {
    expect(scanSummaryMessage({ ...base, files: 1 })).toBe('medsec: no findings in 1 file.');
    expect(scanSummaryMessage({ ...base, cancelled: true })).toBe('medsec: scan cancelled; so far no findings in 12 files.');
    expect(scanSummaryMessage({ ...base, configErrors: ['fw/.medsec.json'] })).toBe(
      'medsec: no findings in 12 files. 1 configuration error: nothing under it was checked (see the Problems panel).',
    );
  });
});

describe('suppression justification', () => {
  it('refuses words that carry no information, whatever their case and punctuation', () => {
    for (const empty of ['ok', 'OK.', 'fine', 'test', 'TODO', 'n/a', 'N/A', 'false positive!', 'ok (until 2027-03-31)']) {
      expect(justificationProblem(empty), empty).toMatch(
        /says nothing about why the finding is acceptable.*why the finding is safe here, who reviewed it and until when/,
      );
    }
  });

  it('refuses a reason too short to say why, not counting its expiry date', () => {
    expect(justificationProblem('lab only')).toMatch(/"lab only" is shorter than the 12 characters/);
    expect(justificationProblem('lab only (until 2027-03-31)')).toMatch(/"lab only" is shorter than the 12 characters/);
  });

  it('accepts a reason that names why it is safe', () => {
    expect(justificationProblem('factory test fixture, never built into release')).toBeUndefined();
    expect(justificationProblem('cache key only, not integrity (until 2027-03-31)')).toBeUndefined();
    expect(justificationProblem('test harness only')).toBeUndefined(); // a stop word inside a real reason is fine
  });
});

describe('Open Configuration', () => {
  it("looks for .medsec.json from the file's folder up to the workspace folder, nearest first", () => {
    expect(configCandidates('/ws/firmware/main/ota.c', '/ws')).toEqual([
      '/ws/firmware/main/.medsec.json',
      '/ws/firmware/.medsec.json',
      '/ws/.medsec.json',
    ]);
    expect(configCandidates('/ws/ota.c', '/ws/')).toEqual(['/ws/.medsec.json']);
    expect(configCandidates(undefined, '/ws')).toEqual(['/ws/.medsec.json']);
    expect(configCandidates('/elsewhere/ota.c', '/ws')).toEqual(['/ws/.medsec.json']);
    expect(configCandidates('/ws2/ota.c', '/ws')).toEqual(['/ws/.medsec.json']);
  });

  it('offers a template that the engine loads', () => {
    const config = resolveConfig(CONFIG_TEMPLATE, '/ws/.medsec.json', '/ws', BUILTIN);
    expect(config.enabledRules().length).toBeGreaterThan(10);
  });
});

describe('medsec.suppress arguments', () => {
  const expected = { uri: 'file:///a.c', line: 4, ruleId: 'weak-hash', kind: 'next-line', version: 7 };
  it('reads the order the server sends: (uri, line, ruleId, kind, version)', () => {
    expect(suppressTarget(['file:///a.c', 4, 'weak-hash', 'next-line', 7])).toEqual(expected);
    expect(suppressTarget(['file:///a.c', 4, 'weak-hash', 'same-line'])).toEqual({
      uri: 'file:///a.c',
      line: 4,
      ruleId: 'weak-hash',
      kind: 'same-line',
    });
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
  it('contributes the fix-all code action kind for every language it checks, so settings completion offers it', () => {
    const contributed = manifest.contributes.codeActions as { languages: string[]; actions: { kind: string }[] }[];
    const forFixAll = contributed.filter((entry) => entry.actions.some((action) => action.kind === FIX_ALL_KIND));
    expect(forFixAll).toHaveLength(1);
    expect([...forFixAll[0].languages].sort()).toEqual([...MEDSEC_LANGUAGE_IDS].sort());
  });

  const properties = manifest.contributes.configuration.properties as Record<
    string,
    { default: unknown; scope: string; description?: string; markdownDescription?: string }
  >;

  it('declares every server setting as a resource-scoped medsec.* setting with the server default', () => {
    const serverSettings = Object.entries(SETTING_NAMES) as [keyof typeof SETTING_NAMES, string][];
    const clientOnly = Object.keys(properties).filter((name) => CLIENT_ONLY_SETTINGS.includes(name));
    expect(Object.keys(properties).sort()).toEqual([...serverSettings.map(([, name]) => `medsec.${name}`), ...clientOnly].sort());
    for (const [key, name] of serverSettings) {
      const property = properties[`medsec.${name}`];
      expect(property.scope, key).toBe('resource');
      expect(property.description ?? property.markdownDescription, key).toBeTruthy();
      expect(property.default, key).toEqual(DEFAULT_SETTINGS[key]);
    }
  });

  it('names every setting the server reads except the ones the client sets', () => {
    const named = new Set<string>(Object.keys(SETTING_NAMES));
    const fromClient = Object.keys(DEFAULT_SETTINGS).filter((key) => !named.has(key));
    expect(fromClient.sort()).toEqual(['commandLinks', 'trustedWorkspace']);
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

describe('the server process', () => {
  it('starts with two malloc arenas unless the user chose a number', () => {
    expect(serverEnvironment({})).toEqual({ MALLOC_ARENA_MAX: '2' });
    expect(serverEnvironment({ MALLOC_ARENA_MAX: '8' })).toEqual({ MALLOC_ARENA_MAX: '8' });
  });

  it('is started that way for running and for debugging, and measured that way in the latency bench', () => {
    const extension = readFileSync(join(root, 'client/src/extension.ts'), 'utf8');
    expect(extension.match(/options: \{ env[,\s}]/g)).toHaveLength(2);
    expect(readFileSync(join(root, 'bench/lsp-latency.mjs'), 'utf8')).toContain("process.env.MALLOC_ARENA_MAX ?? '2'");
  });
});
