/** A rule's docs.md is parsed strictly: a page that lost a heading or an example pair fails at load. */
import { describe, expect, it } from 'vitest';
import { parseRuleDocs } from '../rules/_shared/rule-docs';

const PAGE = [
  '## What it finds',
  '',
  'Finds X.',
  '',
  '## Why it matters for a device',
  '',
  'Because.',
  '',
  '## How to fix',
  '',
  'Do Y.',
  '',
  '## Examples',
  '',
  '```c bad',
  'bad();',
  '```',
  '',
  '```c good',
  'good();',
  '```',
  '',
  '## Fix safety',
  '',
  'None.',
  '',
  '## References',
  '',
  '- [A title](https://example.org/a)',
].join('\n');

describe('parseRuleDocs', () => {
  it('reads every section, pairs the examples and lists the references', () => {
    expect(parseRuleDocs(PAGE, 'x')).toEqual({
      summary: 'Finds X.',
      risk: 'Because.',
      fix: 'Do Y.',
      examples: [{ language: 'c', bad: 'bad();\n', good: 'good();\n' }],
      fixSafety: 'None.',
      references: [{ title: 'A title', url: 'https://example.org/a' }],
    });
  });

  it('names a missing section', () => {
    expect(() => parseRuleDocs(PAGE.replace('## Fix safety', '## Fix'), 'rules/x/docs.md')).toThrow(/unknown section "## Fix"/);
    expect(() => parseRuleDocs(PAGE.replace(/## How to fix\n\nDo Y.\n\n/, ''), 'rules/x/docs.md')).toThrow(
      /missing section\(s\) "## How to fix"/,
    );
  });

  it('refuses a bad example without its good one, or an unknown language', () => {
    expect(() => parseRuleDocs(PAGE.replace('```c good', '```cpp good'), 'x')).toThrow(/needs a "c good" block/);
    expect(() => parseRuleDocs(PAGE.replace('```c bad', '```cobol bad'), 'x')).toThrow(/unknown example language "cobol"/);
  });
});
