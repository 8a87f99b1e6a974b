/**
 * Issue 12, item 1: every regular expression in the rules and the engine runs on hostile text. They are all
 * put through recheck, the ReDoS checker that guards custom rules, and none may backtrack exponentially.
 * Not yet enforced: recheck also reports polynomial backtracking in about 55 of them and cannot decide about
 * 70 within its time limit; those must be rewritten (or their input bounded) before this test asks for
 * "safe" — an entry in PROVEN_LINEAR needs a one-line proof that recheck is wrong.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse, simpleTraverse } from '@typescript-eslint/typescript-estree';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const SOURCES = ['rules', 'server/src/core'];

/** Regexes recheck flags or cannot decide that are linear anyway: source → why. */
const PROVEN_LINEAR: Record<string, string> = {};

interface FoundRegex {
  file: string;
  line: number;
  source: string;
  flags: string;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : sourceFiles(full);
    return /\.ts$/.test(entry.name) && !/\.d\.ts$/.test(entry.name) ? [full] : [];
  });
}

/** Regex literals and `new RegExp('literal', 'flags')` / `RegExp(...)` calls with literal arguments. */
function regexesIn(file: string): FoundRegex[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: FoundRegex[] = [];
  const ast = parse(text, { range: true, loc: true, jsx: false });
  simpleTraverse(ast, {
    enter(node) {
      if (node.type === 'Literal' && 'regex' in node && node.regex) {
        found.push({ file, line: node.loc.start.line, source: node.regex.pattern, flags: node.regex.flags });
      } else if (
        (node.type === 'NewExpression' || node.type === 'CallExpression') &&
        node.callee.type === 'Identifier' &&
        node.callee.name === 'RegExp'
      ) {
        const [pattern, flags] = node.arguments;
        if (pattern?.type === 'Literal' && typeof pattern.value === 'string') {
          found.push({
            file,
            line: node.loc.start.line,
            source: pattern.value,
            flags: flags?.type === 'Literal' ? String(flags.value) : '',
          });
        }
      }
    },
  });
  return found;
}

describe('built-in regular expressions', () => {
  const all = SOURCES.flatMap((dir) => sourceFiles(path.join(ROOT, dir))).flatMap(regexesIn);

  it('finds the regexes (the walk works)', () => {
    expect(all.length).toBeGreaterThan(300);
  });

  it('never backtrack exponentially (by recheck, or proven linear here)', () => {
    process.env.RECHECK_SYNC_BACKEND ??= 'pure';
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { checkSync } = require('recheck') as typeof import('recheck');
    const exponential = all
      .filter((regex) => PROVEN_LINEAR[regex.source] === undefined)
      .map((regex) => ({ ...regex, result: checkSync(regex.source, regex.flags.replace(/[gy]/g, ''), { timeout: 250 }) }))
      .filter(({ result }) => result.status === 'vulnerable' && result.complexity.type === 'exponential')
      .map((regex) => `${path.relative(ROOT, regex.file)}:${regex.line}: /${regex.source}/`);
    expect(exponential).toEqual([]);
  }, 600_000);
});
