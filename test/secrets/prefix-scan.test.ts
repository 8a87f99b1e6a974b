/**
 * The prefix scanner finds exactly what the prefix trigger regex finds (offset and length of every match, the
 * search going on after each), on every rule fixture and on text built to probe the regex's edges: word
 * boundaries, prefixes inside longer prefixes, free prefixes inside words, the ends of the text.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nextPrefix, PREFIX_TRIGGER } from '../../rules/_shared/secrets/find-secrets';
import { PREFIX_FORMATS } from '../../rules/_shared/secrets/formats';

const byRegex = (text: string) => [...text.matchAll(new RegExp(PREFIX_TRIGGER.source, 'g'))].map((m) => [m.index, m[0].length]);
function byScanner(text: string): number[][] {
  const hits: number[][] = [];
  for (let h = nextPrefix(text, 0); h; h = nextPrefix(text, h.index + h.length)) hits.push([h.index, h.length]);
  return hits;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('prefix scanner', () => {
  it('matches the trigger regex on every rule fixture', () => {
    const root = path.join(__dirname, '../../rules');
    const fixtures = readdirSync(root)
      .map((rule) => path.join(root, rule, 'fixtures'))
      .filter((dir) => existsSync(dir) && statSync(dir).isDirectory())
      .flatMap(filesUnder);
    expect(fixtures.length).toBeGreaterThan(100);
    for (const file of fixtures) {
      const text = readFileSync(file, 'utf8');
      expect(byScanner(text), file).toEqual(byRegex(text));
    }
  });

  it('matches the trigger regex around every prefix: in words, after words, nested, at the ends', () => {
    const prefixes = [...new Set(PREFIX_FORMATS.flatMap((f) => f.prefixes))];
    for (const prefix of [...prefixes, '://', 'MII', 'LS0tLS1CRUdJTi']) {
      for (const text of [
        prefix,
        `${prefix}abc`,
        `x${prefix}`,
        ` ${prefix}`,
        `_${prefix}9`,
        `"${prefix}${prefix}"`,
        `é${prefix}`,
        `${prefix.slice(0, -1)} ${prefix}`,
        `a${prefix.slice(0, 1)}${prefix}`,
        `${prefix}${prefix.slice(1)}://x:y@h`,
      ]) {
        expect(byScanner(text), JSON.stringify(text)).toEqual(byRegex(text));
      }
    }
    expect(byScanner('')).toEqual([]);
    expect(nextPrefix('ghp_', 4)).toBeUndefined();
  });
});
