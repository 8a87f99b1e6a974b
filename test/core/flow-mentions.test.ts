/**
 * The data-flow layer's mentions of a name (server/src/core/flow/mentions.ts), found per name by a search of
 * the text, are the ones a whole-file index lists, in the same order: on every rule fixture, and on names
 * spelled with escapes, which the TypeScript model decodes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../server/src/core/check';
import { indexMentions, Mentions, type Mention } from '../../server/src/core/flow/mentions';
import { detectLanguage } from '../../server/src/core/language';
import { emptyModel, type Call, type Expr } from '../../server/src/core/model/types';
import type { LanguageId } from '../../server/src/core/types';

const root = path.join(__dirname, '../../rules');
const CODE: LanguageId[] = ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'];

function fixtureFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (full.includes(`${path.sep}fixtures${path.sep}`)) out.push(full);
    }
  };
  walk(root);
  return out;
}

const shape = (list: Mention[]) => list.map((m) => [m.expr, m.root.kind, m.root.span, 'fn' in m.root ? m.root.fn : undefined]);

/** Each name's mentions both ways; the search never falls back (an unbounded budget). */
async function compare(file: string, text: string, language: LanguageId, extraNames: string[] = []) {
  const parsed = await parseFile({ path: file, relativePath: path.basename(file), text, language });
  try {
    // The search first: it must not depend on parts the whole-file index resolved.
    const searched = new Mentions(parsed.model, text, Infinity);
    const names = [...new Set([...indexMentions(parsed.model).keys(), ...extraNames])]
      // Names the search does not look for (`f().x`, `[]`) are answered by the whole-file index by design.
      .filter((name) => /^[A-Za-z_$][\w$]*$/.test(name.split('.')[0]));
    const found = names.map((name) => shape(searched.of(name)));
    const whole = indexMentions(parsed.model);
    names.forEach((name, i) => expect(found[i], `${file}: ${name}`).toEqual(shape(whole.get(name) ?? [])));
    return names.length;
  } finally {
    parsed.tree?.delete();
  }
}

describe('mentions of a name, searched per name', () => {
  it('equal the whole-file index on every rule fixture', async () => {
    let names = 0;
    for (const file of fixtureFiles()) {
      const language = detectLanguage(file);
      if (!language || !CODE.includes(language)) continue;
      names += await compare(file, readFileSync(file, 'utf8'), language, ['absentName', 'absentName.field']);
    }
    expect(names).toBeGreaterThan(5000);
  });

  it('finds names written with escapes', async () => {
    const code = [
      'const \\u0070w = process.env.PW;',
      'class A { m() { this["t\\x6fken"] = "x"; send(this["t\\x6fken"]); send(pw, \\u{70}w.length); } }',
    ].join('\n');
    await compare('/t/a.ts', code, 'typescript', ['pw', 'token']);
    const parsed = await parseFile({ path: '/t/a.ts', relativePath: 'a.ts', text: code, language: 'typescript' });
    const searched = new Mentions(parsed.model, code, Infinity);
    expect(searched.of('pw').map((m) => m.expr.text)).toEqual(['pw', '\\u{70}w.length']);
    expect(searched.of('token').map((m) => m.expr.text)).toEqual(['this["t\\x6fken"]']);
  });

  it('finds them when root expressions overlap without nesting', () => {
    // Syntax nests, but a model's spans need not: the search then walks back by the greatest end.
    const text = 'alpha beta alpha';
    const name = (start: number, end: number): Expr => ({
      start,
      end,
      text: text.slice(start, end),
      kind: 'name',
      value: text.slice(start, end),
    });
    const other = (start: number, end: number, parts: Expr[]): Expr => ({
      start,
      end,
      text: text.slice(start, end),
      kind: 'other',
      parts: () => parts,
    });
    const model = emptyModel();
    const call = (args: Expr[]): Call => ({
      start: 0,
      end: text.length,
      callee: 'f',
      name: 'f',
      isNew: false,
      args,
      named: [],
      calleeSpan: { start: 0, end: 1 },
    });
    model.calls.push(call([other(0, 10, [name(0, 5)])]), call([other(6, 16, [name(11, 16), name(6, 10)])]));
    const whole = indexMentions(model);
    const searched = new Mentions(model, text, Infinity);
    for (const key of ['alpha', 'beta']) expect(shape(searched.of(key))).toEqual(shape(whole.get(key) ?? []));
    expect(searched.of('alpha')).toHaveLength(2);
  });

  it('answers from the whole-file index once the search budget is spent', async () => {
    const code = 'const a = x; const b = a; send(a, b); send(b.c, x);';
    const parsed = await parseFile({ path: '/t/a.js', relativePath: 'a.js', text: code, language: 'javascript' });
    const whole = indexMentions(parsed.model);
    const mentions = new Mentions(parsed.model, code, 1);
    for (const name of ['a', 'b', 'x', 'b.c', 'nothing']) expect(mentions.of(name)).toEqual(whole.get(name) ?? []);
  });
});
