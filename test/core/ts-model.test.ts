/**
 * The code model built from TypeScript's own tree (core/model/ts-model.ts) is the one built from
 * typescript-estree's ESTree (core/model/estree-model.ts), for every TypeScript / JavaScript file of the
 * rule fixtures and the rules' own sources: the same facts, spans, names and order, and `parts` compared
 * down to PARTS_DEPTH levels (test/helpers/model-compare.ts). Real codebases are checked by
 * bench/ts-model-check.mjs. A file parses under one exactly when it parses under the other.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { buildEstreeModel } from '../../server/src/core/model/estree-model';
import { buildTsModel } from '../../server/src/core/model/ts-model';
import { parseEstree } from '../../server/src/core/parse/estree';
import { parseTypeScript } from '../../server/src/core/parse/typescript';
import { firstDifference, modelData } from '../helpers/model-compare';

const RULES = path.join(__dirname, '..', '..', 'rules');
const SOURCE = /\.(ts|tsx|js|jsx|mjs|cjs)$/i;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.isFile() && SOURCE.test(e.name) ? [full] : [];
  });
}

function differenceOf(text: string, file: string) {
  const estree = parseEstree(text, file);
  const own = parseTypeScript(text, file);
  if (!estree.ast || !own.sourceFile) return { parse: { estree: estree.error, typescript: own.error } };
  return firstDifference(modelData(buildEstreeModel(estree.ast, text)), modelData(buildTsModel(own.sourceFile, text)));
}

describe('the model from TypeScript’s tree', () => {
  const files = sources(RULES);
  it('covers the fixtures', () => expect(files.length).toBeGreaterThan(200));
  it.each(files.map((f) => [path.relative(RULES, f), f]))('is the ESTree model: %s', (_name, file) => {
    expect(differenceOf(fs.readFileSync(file, 'utf8'), file)).toBeUndefined();
  });

  const SHAPES: Record<string, string> = {
    destructuring: 'let a, b; [a, b = f()] = [b, a]; ({ x: a, y = 2, ...rest } = obj); for ([a] of xs) g(a);',
    optionalChain: 'a?.b(c); f(a?.b.c()); (a?.b)(); x = a?.[k]?.(1);',
    sequence: 'x = (a, b, c); for (i = 0, j = 1; i < j; i++, j--) h(i);',
    methods:
      'class A extends B.C implements D { constructor(private p = 1, q?: number) { super(); } get g() { return 1; } static #m<T>(x: T) {} }',
    exports:
      'export default function () {} export class E {} export const k: string = "v"; export async function f(a: T = 1, ...r: U[]) {}',
    jsx: 'const v = <A.B x="&amp;" {...p}>{/* c */}{a}<br/><ns:t/></A.B>;',
    templates: 'tag`a${b}c`; const u = `x${y}z${`n`}`; new.target; import.meta.url; import("m");',
    literals: 'o = { 1e3: a, 0x10: b, "s": c, [`t`]: d, [e]: f, g() {}, get h() { return 1; } }; /re\\/x/gi.test(s); 10n.toString();',
    requires: 'const { a, b: c, d = 1, [e]: f, ...g } = require("m"); const h = require("n");',
  };
  it.each(Object.entries(SHAPES))('matches on %s', (_name, text) => {
    expect(differenceOf(text, 'shape.tsx')).toBeUndefined();
  });

  it('puts the calls of an expression-bodied arrow function in that function, in both models', () => {
    const text = 'function outer() { const makeToken = () => Math.random().toString(36); return makeToken; }';
    const own = parseTypeScript(text, 'arrow.js');
    const estree = parseEstree(text, 'arrow.js');
    for (const model of [buildTsModel(own.sourceFile!, text), buildEstreeModel(estree.ast!, text)]) {
      const random = model.calls.find((c) => c.callee === 'Math.random');
      expect(random?.fn?.name).toBe('makeToken');
      expect(model.functions.find((f) => f.name === 'outer')?.calls.map((c) => c.callee)).not.toContain('Math.random');
    }
  });

  it('fails to parse where typescript-estree does, at the same place', () => {
    for (const text of ['const = 1;', 'f(a,', 'class { x', 'let x = <T>(y);']) {
      const estree = parseEstree(text, 'broken.js');
      const own = parseTypeScript(text, 'broken.js');
      expect(!!own.sourceFile).toBe(!!estree.ast);
      expect(own.error?.offset).toBe(estree.error?.offset);
    }
  });
});
