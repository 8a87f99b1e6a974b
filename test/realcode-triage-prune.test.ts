/**
 * bench/realcode/triage-prune.mjs: removing stale verdicts from a triage file keeps the file's own layout for the
 * entries that stay, whatever their reasons hold (braces, brackets, quotes, escapes).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the benchmarks, without types
import { pruneTriageFile } from '../bench/realcode/triage-prune.mjs';

const dirs: string[] = [];
function file(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-prune-'));
  dirs.push(dir);
  const target = path.join(dir, 'owner+name.json');
  fs.writeFileSync(target, text);
  return target;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const entry = (n: number, reason: string) =>
  `{"fingerprint": "${String(n).padStart(16, '0')}:1", "rule": "weak-hash", "path": "src/a.c", "line": ${n}, "verdict": "false", "reason": ${JSON.stringify(reason)}}`;

describe('pruneTriageFile', () => {
  it('one entry a line: drops the first, a middle and the last, and leaves every other line as it was', () => {
    const reasons = ['a {brace} in it', 'a "quoted", comma', 'a ] bracket and \\ backslash', 'plain', 'last [one]'];
    const lines = reasons.map((reason, i) => `  ${entry(i + 1, reason)}`);
    const target = file(`[\n${lines.join(',\n')}\n]\n`);
    expect(pruneTriageFile(target, [0, 2, 4])).toBe(3);
    expect(fs.readFileSync(target, 'utf8')).toBe(`[\n${lines[1]},\n${lines[3]}\n]\n`);
  });

  it('pretty-printed objects keep their indentation', () => {
    const objects = [1, 2, 3].map((n) => JSON.parse(entry(n, `reason ${n}`)));
    const text = `${JSON.stringify(objects, null, 1)}\n`;
    const target = file(text);
    expect(pruneTriageFile(target, [1])).toBe(1);
    expect(fs.readFileSync(target, 'utf8')).toBe(`${JSON.stringify([objects[0], objects[2]], null, 1)}\n`);
  });

  it('every entry pruned leaves an empty array; none pruned leaves the file as it was', () => {
    const text = `[\n  ${entry(1, 'x')},\n  ${entry(2, 'y')}\n]\n`;
    const all = file(text);
    expect(pruneTriageFile(all, [0, 1])).toBe(2);
    expect(fs.readFileSync(all, 'utf8')).toBe('[]\n');
    const none = file(text);
    expect(pruneTriageFile(none, [])).toBe(0);
    expect(fs.readFileSync(none, 'utf8')).toBe(text);
  });

  it('refuses a file that changed since its entries were read, and leaves it as it was', () => {
    const text = `[\n  ${entry(1, 'x')},\n  ${entry(2, 'y')}\n]\n`;
    const target = file(text);
    const read = { fingerprint: '0000000000000001:1', path: 'src/a.c' };
    expect(() => pruneTriageFile(target, [1], [read])).toThrow(/changed since/);
    expect(fs.readFileSync(target, 'utf8')).toBe(text);
    expect(pruneTriageFile(target, [0], [read])).toBe(1);
  });

  it('refuses a file whose elements it cannot tell apart, and leaves it as it was', () => {
    const text = `[\n  ${entry(1, 'x')},\n  "a stray string"\n]\n`;
    const target = file(text);
    expect(() => pruneTriageFile(target, [0])).toThrow(/elements/);
    expect(fs.readFileSync(target, 'utf8')).toBe(text);
  });
});
