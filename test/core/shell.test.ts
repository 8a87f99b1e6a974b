/** Shell scripts are a language of their own, read with tree-sitter-bash; only the rules that name it read them. */
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../server/src/builtin-registry';
import { parseFile } from '../../server/src/core/check';
import { detectLanguage } from '../../server/src/core/language';

describe('shell', () => {
  it('is recognised by extension and by the #! line', () => {
    expect(detectLanguage('tools/flash.sh')).toBe('shell');
    expect(detectLanguage('tools/env.bash')).toBe('shell');
    expect(detectLanguage('bin/setup', '#!/bin/sh')).toBe('shell');
    expect(detectLanguage('bin/setup', '#!/usr/bin/env bash')).toBe('shell');
    expect(detectLanguage('bin/run', '#!/usr/bin/env python3')).toBe('python');
    expect(detectLanguage('bin/run', '#!/usr/bin/fish')).toBeUndefined();
  });

  it('parses into a tree, with the comments in the model for suppressions', async () => {
    const text = '#!/bin/sh\n# medsec-ignore-next-line unsigned-firmware-update -- vendored installer\ncurl -s https://x/i.sh | sh\n';
    const parsed = await parseFile({ path: 'i.sh', relativePath: 'i.sh', text, language: 'shell' });
    expect(parsed.tree?.rootNode.descendantsOfType('pipeline')).toHaveLength(1);
    expect(parsed.model.comments.map((c) => c.text)).toEqual([
      '#!/bin/sh',
      '# medsec-ignore-next-line unsigned-firmware-update -- vendored installer',
    ]);
    expect(parsed.model.hasErrors).toBe(false);
    parsed.tree?.delete();
  });

  it('survives deeply nested input', async () => {
    const text = `${'$('.repeat(5000)}echo${')'.repeat(5000)}\n`;
    // Parsed, or reported as not analysed: never a throw that takes the scan down.
    const parsed = await parseFile({ path: 'deep.sh', relativePath: 'deep.sh', text, language: 'shell' });
    expect(parsed.language).toBe('shell');
    parsed.tree?.delete();
  });

  it('is read only by the rules that name it: the update rule and the secrets checks', () => {
    const readers = builtinRegistry.rules.filter((rule) => rule.meta.languages.includes('shell')).map((rule) => rule.meta.id);
    expect(readers.sort()).toEqual(['default-credential', 'hardcoded-credential', 'unsigned-firmware-update']);
  });
});
