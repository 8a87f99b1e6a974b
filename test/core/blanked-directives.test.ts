/** model/blanked-directives.ts: the `#if` blocks of blanked directive lines, read from the text as the tree gives them. */
import { describe, expect, it } from 'vitest';
import { blankedBlocks, withBlankedBlocks } from '../../server/src/core/model/blanked-directives';
import { conditionalCandidates } from '../../server/src/core/parse/macro-blanks';

const TEXT = [
  'int a = f(1,', //
  '#if CONFIG_A /* on */',
  '  2',
  '#elif defined(B)',
  '  3',
  '#else',
  '  4',
  '#endif',
  ');',
  '#ifdef KEEP',
  'int k;',
  '#endif',
  '',
].join('\n');

const lineStart = (text: string) => TEXT.indexOf(text);

describe('blankedBlocks', () => {
  it('reads the blocks that hold a blanked line, with the spans the tree gives an #if, #elif and #else', () => {
    const lines = conditionalCandidates(TEXT);
    const blocks = blankedBlocks(TEXT, lines, new Set([lineStart('#if CONFIG_A')]))!;
    const endif = lineStart('#endif');
    expect(blocks.directives).toEqual([
      { kind: '#if', start: lineStart('#if CONFIG_A'), end: endif + '#endif'.length, condition: 'CONFIG_A' },
      { kind: '#elif', start: lineStart('#elif'), end: endif, condition: 'defined(B)' },
      { kind: '#else', start: lineStart('#else'), end: endif, condition: '' },
    ]);
    // Every line of the block is replaced; the #ifdef KEEP block, with no blanked line, is the tree's.
    expect([...blocks.replaced]).toEqual([lineStart('#if CONFIG_A'), lineStart('#elif'), lineStart('#else'), endif]);
  });

  it('leaves the tree its blocks when the lines do not pair up', () => {
    const text = '#if A\nint a;\n';
    expect(blankedBlocks(text, conditionalCandidates(text), new Set([0]))).toBeUndefined();
    expect(withBlankedBlocks([], text, conditionalCandidates(text), new Set([0]))).toEqual([]);
  });

  it('replaces the tree entries of those lines and keeps the others, in source order', () => {
    const keep = { kind: '#ifdef' as const, start: lineStart('#ifdef KEEP'), end: TEXT.length - 1, condition: 'KEEP' };
    const stray = { kind: '#else' as const, start: lineStart('#else'), end: lineStart('#endif'), condition: '' };
    const merged = withBlankedBlocks([stray, keep], TEXT, conditionalCandidates(TEXT), new Set([lineStart('#elif')]));
    expect(merged.map((d) => d.kind)).toEqual(['#if', '#elif', '#else', '#ifdef']);
  });
});
