/**
 * The stub that stands for a lazily loaded package in the CLI bundle (scripts/lazy-modules.mjs): it loads
 * the lazy bundle on first use only, and then every export is a plain value, so that readers of
 * `ts.X` per node or per token call no getter of the stub.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script without type declarations
import { stub } from '../scripts/lazy-modules.mjs';

describe('lazy module stub', () => {
  it('loads on first use, then holds plain values', () => {
    const real = { skipTrivia: (text: string, pos: number) => pos + text.length, SyntaxKind: { Identifier: 80 } };
    const loads: string[] = [];
    const fakeRequire = (request: string) => {
      if (request === 'path') return { join: (...parts: string[]) => parts.join('/') };
      loads.push(request);
      return { typescript: real };
    };
    const exports: Record<string, unknown> = {};
    new Function('exports', 'require', '__dirname', stub('typescript', real) as string)(exports, fakeRequire, '/dist');
    expect(loads).toEqual([]);
    expect(typeof Object.getOwnPropertyDescriptor(exports, 'skipTrivia')?.get).toBe('function');
    expect((exports.skipTrivia as typeof real.skipTrivia)('ab', 1)).toBe(3);
    expect(loads).toEqual(['/dist/lazy/typescript.js']);
    for (const name of ['skipTrivia', 'SyntaxKind']) {
      const descriptor = Object.getOwnPropertyDescriptor(exports, name);
      expect(descriptor?.get).toBeUndefined();
      expect(descriptor?.value).toBe(real[name as keyof typeof real]);
      expect(descriptor?.enumerable).toBe(true);
    }
    expect(loads).toHaveLength(1);
  });
});
