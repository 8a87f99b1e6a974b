/** AndroidManifest.xml is read with a real XML parser: exact spans, and no entity expansion. */
import { describe, expect, it } from 'vitest';
import { buildConfigModel } from '../../server/src/core/model/config-model';
import { readXml } from '../../server/src/core/parse/xml';
import { cpuCost, LINEAR_GROWTH_BOUND } from '../helpers/cpu-cost';

/**
 * The classic entity-expansion attack: with `depth` 9, lol9 would expand to 10^9 "lol"s (3 GB) if entities were
 * expanded.
 */
const laughs = (depth: number) =>
  [
    '<?xml version="1.0"?>',
    '<!DOCTYPE manifest [',
    '  <!ENTITY lol "lol">',
    ...Array.from({ length: depth - 1 }, (_, i) => `  <!ENTITY lol${i + 2} "${`&lol${i === 0 ? '' : i + 1};`.repeat(10)}">`),
    ']>',
    `<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="&lol${depth};">`,
    `  <application android:label="&lol${depth};" android:debuggable="true">&lol${depth};</application>`,
    '</manifest>',
    '',
  ].join('\n');
const BILLION_LAUGHS = laughs(9);

describe('readXml', () => {
  it('reads an entity-expansion ("billion laughs") manifest quickly, without expanding anything', () => {
    const model = buildConfigModel('android-manifest', BILLION_LAUGHS);
    // Against two levels (ten "lol"s) in the same test: expanded, nine would cost ten million times more; read as
    // text, about what their length adds.
    const deep = cpuCost(() => buildConfigModel('android-manifest', BILLION_LAUGHS));
    const shallow = cpuCost(() => buildConfigModel('android-manifest', laughs(2)));
    expect(deep / shallow).toBeLessThan((LINEAR_GROWTH_BOUND * BILLION_LAUGHS.length) / laughs(2).length);
    expect(model.config.map((entry) => [entry.key, entry.value])).toEqual([
      ['manifest@xmlns:android', 'http://schemas.android.com/apk/res/android'],
      ['manifest@package', '&lol9;'],
      ['application@android:label', '&lol9;'],
      ['application@android:debuggable', 'true'],
    ]);
    const debuggable = model.config[3];
    expect(BILLION_LAUGHS.slice(debuggable.valueSpan.start, debuggable.valueSpan.end)).toBe('true');
  });

  it('gives exact spans, also where a regex would be fooled (> in a value, CDATA, comments, CRLF)', () => {
    const text = [
      '<manifest xmlns:android="x">',
      '  <!-- <application android:debuggable="true"/> -->',
      '  <meta-data android:value="a > b" />',
      '  <![CDATA[ <application android:debuggable="true"/> ]]>',
      '  <application\r\n      android:debuggable = \'true\' android:label="x &amp; y"/>',
      '</manifest>',
    ].join('\n');
    const { attributes, comments } = readXml(text);
    const slice = (span: { start: number; end: number }) => text.slice(span.start, span.end);
    expect(attributes.map((a) => [a.element, a.name, a.value, slice(a.nameSpan), slice(a.valueSpan), slice(a.span)])).toEqual([
      ['manifest', 'xmlns:android', 'x', 'xmlns:android', 'x', 'xmlns:android="x"'],
      ['meta-data', 'android:value', 'a > b', 'android:value', 'a > b', 'android:value="a > b"'],
      ['application', 'android:debuggable', 'true', 'android:debuggable', 'true', "android:debuggable = 'true'"],
      ['application', 'android:label', 'x &amp; y', 'android:label', 'x &amp; y', 'android:label="x &amp; y"'],
    ]);
    expect(comments.map((c) => [c.text, slice(c)])).toEqual([
      ['<!-- <application android:debuggable="true"/> -->', '<!-- <application android:debuggable="true"/> -->'],
    ]);
  });

  it('still reads what it can of a manifest that is being edited', () => {
    const { attributes } = readXml('<manifest><application android:debuggable="true" android:label=');
    expect(attributes.map((a) => `${a.element}@${a.name}=${a.value}`)).toEqual(['application@android:debuggable=true']);
  });
});

describe('readXml elements', () => {
  it('gives each element its parent, start tag, attributes and own text, self-closing or not', () => {
    const text = [
      '<network-security-config>',
      '  <domain-config cleartextTrafficPermitted="true">',
      '    <domain includeSubdomains="true"> example.com </domain>',
      '    <trust-anchors><certificates src="user"/></trust-anchors>',
      '  </domain-config>',
      '  <debug-overrides/>',
      '</network-security-config>',
    ].join('\n');
    const { elements } = readXml(text);
    expect(elements.map((e) => [e.name, e.parent, e.text, e.attributes.map((a) => `${a.name}=${a.value}`)])).toEqual([
      ['network-security-config', -1, '', []],
      ['domain-config', 0, '', ['cleartextTrafficPermitted=true']],
      ['domain', 1, 'example.com', ['includeSubdomains=true']],
      ['trust-anchors', 1, '', []],
      ['certificates', 3, '', ['src=user']],
      ['debug-overrides', 0, '', []],
    ]);
    expect(text.slice(elements[4].span.start, elements[4].span.end)).toBe('<certificates src="user"/>');
  });

  it('keeps the tree of a file cut off mid-element', () => {
    const { elements } = readXml('<manifest><application><activity android:name=".A">');
    expect(elements.map((e) => [e.name, e.parent])).toEqual([
      ['manifest', -1],
      ['application', 0],
      ['activity', 1],
    ]);
  });
});
