/** The `.medsec.json` text "Turn off <rule>" writes: anchored globs, comments kept, a new file keeps the preset. */
import { parse } from 'jsonc-parser';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { ruleOffGlob, withRuleOff } from '../../server/src/lsp/rule-off-edit';

const entry = { rules: ['weak-hash'], paths: ['/src/legacy.c'], justification: 'legacy checksum, not a security control' };

describe('ruleOffGlob', () => {
  const root = path.join(path.sep, 'ws');
  it('anchors a file at the configuration folder, so that the same name elsewhere stays checked', () => {
    expect(ruleOffGlob(root, path.join(root, 'main.c'), 'file')).toBe('/main.c');
    expect(ruleOffGlob(root, path.join(root, 'src', 'app', 'main.c'), 'file')).toBe('/src/app/main.c');
  });
  it('gives a folder with a trailing slash (everything below), and the configuration folder as **', () => {
    expect(ruleOffGlob(root, path.join(root, 'src', 'app', 'main.c'), 'folder')).toBe('/src/app/');
    expect(ruleOffGlob(root, path.join(root, 'main.c'), 'folder')).toBe('**');
  });
  it('refuses a file outside the configuration folder', () => {
    expect(() => ruleOffGlob(root, path.join(path.sep, 'elsewhere', 'main.c'), 'file')).toThrow(/not below/);
  });
});

describe('withRuleOff', () => {
  it('creates a configuration with the preset in use, so nothing else changes', () => {
    const text = withRuleOff(undefined, entry, 'medsec:strict');
    expect(JSON.parse(text)).toEqual({ extends: ['medsec:strict'], suppressions: [entry] });
  });
  it('appends to existing suppressions and keeps comments and other keys', () => {
    const before =
      '{\n  // reviewed 2026-11\n  "rules": { "weak-hash": "high" },\n  "suppressions": [\n    { "rules": ["all"], "paths": ["/vendor/"], "justification": "third-party code, audited upstream" },\n  ],\n}\n';
    const after = withRuleOff(before, entry, 'medsec:recommended');
    expect(after).toContain('// reviewed 2026-11');
    const value = parse(after, [], { allowTrailingComma: true });
    expect(value.rules).toEqual({ 'weak-hash': 'high' });
    expect(value.suppressions).toHaveLength(2);
    expect(value.suppressions[1]).toEqual(entry);
  });
  it('adds the suppressions key to a configuration without one', () => {
    const value = parse(withRuleOff('{ "extends": ["medsec:recommended"] }', entry, 'medsec:strict'));
    expect(value).toEqual({ extends: ['medsec:recommended'], suppressions: [entry] });
  });
  it('never overwrites a configuration that does not parse', () => {
    expect(() => withRuleOff('{ "rules": ', entry, 'medsec:recommended')).toThrow(/does not parse/);
    expect(() => withRuleOff('[1, 2]', entry, 'medsec:recommended')).toThrow(/does not parse/);
  });
});
