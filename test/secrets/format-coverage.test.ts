/**
 * Every provider format has a generator in the benchmark (bench/secrets/tokens.mjs), and a token made to the
 * provider's published format is found, with that format's id, in a configuration file and in code.
 */
import { describe, expect, it } from 'vitest';
import { findSecrets } from '../../rules/_shared/secrets/find-secrets';
import { PREFIX_FORMATS, SLOT_FORMATS } from '../../rules/_shared/secrets/formats';
// @ts-expect-error: a plain ES module of the benchmark, without type declarations.
import { rng, SLOT_TOKENS, TOKENS } from '../../bench/secrets/tokens.mjs';

type Generator = { family: string; name?: string; names?: string[]; make: (r: unknown) => string };
const tokens = TOKENS as Record<string, Generator>;
const slotTokens = SLOT_TOKENS as Record<string, Generator>;

describe('provider formats and the benchmark', () => {
  it('has a generator for every format, in the same family', () => {
    for (const format of PREFIX_FORMATS) expect(tokens[format.id]?.family, format.id).toBe(format.family);
    for (const format of SLOT_FORMATS) expect(slotTokens[format.id]?.family, format.id).toBe(format.family);
  });

  it.each(PREFIX_FORMATS.map((f) => [f.id]))('finds %s in configuration and in code', (id) => {
    const r = rng(42);
    for (let i = 0; i < 5; i++) {
      const token = tokens[id].make(r);
      const inConfig = findSecrets(`deploy.credential=${token}\n`, { kind: 'config', path: 'app.properties', assignments: 'all' });
      expect(
        inConfig.map((f) => f.format.id),
        token,
      ).toEqual([id]);
      const inCode = findSecrets(`const char *credential = "${token.replace(/["\\]/g, '\\$&')}";\n`, {
        kind: 'source',
        path: 'a.c',
        assignments: 'none',
      });
      expect(
        inCode.map((f) => f.format.id),
        token,
      ).toEqual([id]);
    }
  });

  it.each(SLOT_FORMATS.map((f) => [f.id]))('finds %s under its provider names', (id) => {
    const r = rng(7);
    for (const name of slotTokens[id].names ?? []) {
      const value = slotTokens[id].make(r);
      const found = findSecrets(`${name}=${value}\n`, {
        kind: 'config',
        path: name.startsWith('//') ? '.npmrc' : 'app.env.conf',
        assignments: 'all',
      });
      expect(
        found.map((f) => f.format.id),
        `${name}=${value}`,
      ).toEqual([id]);
    }
  });
});
