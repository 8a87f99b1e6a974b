/** `--format junit`: well-formed XML, one suite per rule, failures only at or above --fail-on. */
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index';
import { loadConfig } from '../server/src/core/config';
import { scan } from '../server/src/core/scan';
import type { Rule } from '../server/src/core/types';
import { formatJunit } from '../server/src/cli/format/junit';
import type { FailOn } from '../server/src/cli/format/results';
import { useTempProject } from './helpers/project';
import { BUILTIN } from './helpers/registry';

const project = useTempProject('junit');
const rulesById = new Map<string, Rule>(builtinRules.map((rule) => [rule.meta.id, rule]));

/** A tiny XML well-formedness check: balanced tags, quoted attributes, only known entities, no stray `<` or `&`. */
function checkXml(xml: string): { name: string; attrs: Record<string, string>; parent?: string }[] {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  const elements: { name: string; attrs: Record<string, string>; parent?: string }[] = [];
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(\/?)>|<\?xml[^>]*\?>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let pos = 0;
  while (pos < xml.length && (match = token.exec(xml))) {
    pos = token.lastIndex;
    const [, closing, name, attrText, selfClosing, text] = match;
    if (text !== undefined) {
      expect(text.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, '')).not.toMatch(/[&<>]/);
      continue;
    }
    if (!name) continue;
    if (closing) {
      expect(stack.pop()).toBe(name);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const [, key, value] of attrText.matchAll(/([\w.-]+)="([^"]*)"/g)) {
      expect(value.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, '')).not.toMatch(/[&<>]/);
      attrs[key] = value;
    }
    elements.push({ name, attrs, parent: stack[stack.length - 1] });
    if (!selfClosing) stack.push(name);
  }
  expect(pos).toBe(xml.length);
  expect(stack).toEqual([]);
  return elements;
}

async function junit(failOn: FailOn): Promise<string> {
  const config = loadConfig(project.dir, undefined, BUILTIN);
  const result = await scan({ root: project.dir, paths: [project.dir], config });
  return formatJunit(result, { failOn, enabledRules: config.enabledRules(), rulesById });
}

describe('JUnit output', () => {
  it('is well-formed, one suite per rule, with failures at or above --fail-on and skipped suppressions', async () => {
    project.write(
      '.medsec.json',
      '{ "extends": [], "rules": { "hardcoded-credential": "critical", "weak-hash": "medium", "cleartext-protocol": "high" } }',
    );
    project.write(
      'src/main.c',
      [
        '#include <string.h>',
        'static const char *wifi_password = "Zq9<fake>&SECRET\u0001";',
        '// medsec-ignore-next-line hardcoded-credential -- bench fixture "quoted" <never shipped>',
        'static const char *bench_password = "Ab7fakeSECRET0815";',
        'void h(void) { MD5(buf, n, out); }',
        '',
      ].join('\n'),
    );
    const xml = await junit('high');
    const elements = checkXml(xml);
    const suites = elements.filter((e) => e.name === 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual(['medsec.cleartext-protocol', 'medsec.hardcoded-credential', 'medsec.weak-hash']);
    const credential = suites[1];
    expect(credential.attrs).toMatchObject({ tests: '2', failures: '1', skipped: '1', errors: '0' });
    expect(suites[0].attrs).toMatchObject({ tests: '1', failures: '0' }); // "no findings" case
    const root = elements.find((e) => e.name === 'testsuites');
    expect(root?.attrs.failures).toBe(String(suites.reduce((sum, s) => sum + Number(s.attrs.failures), 0)));
    expect(xml).toContain('name="src/main.c:2:');
    expect(xml).toContain('<skipped message="suppressed: bench fixture &quot;quoted&quot; &lt;never shipped&gt;"/>');
    expect(xml).not.toContain('Zq9<fake>');
    expect(xml).not.toContain('Ab7fakeSECRET0815');
    expect(xml).not.toContain('\u0001');
  });

  it('fails nothing with --fail-on none, and a medium finding only with --fail-on medium', async () => {
    project.write('.medsec.json', '{ "extends": [], "rules": { "weak-hash": "medium" } }');
    project.write('src/hash.py', 'import hashlib\ndigest = hashlib.md5(data).hexdigest()\n');
    const none = checkXml(await junit('none'));
    expect(none.find((e) => e.name === 'testsuites')?.attrs.failures).toBe('0');
    expect(none.some((e) => e.name === 'system-out')).toBe(true);
    const medium = checkXml(await junit('medium'));
    expect(medium.find((e) => e.name === 'testsuites')?.attrs.failures).toBe('1');
    expect(medium.find((e) => e.name === 'failure')?.attrs.type).toBe('medium');
  });
});
