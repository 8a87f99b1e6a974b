/**
 * Conditional directives that a C/C++ parse blanked out (macro-blanks.ts `conditionalCandidates`: `#if CONFIG_X`
 * inside an argument list or an initializer breaks the expression, so its lines are blanked and the parse reads
 * every branch as code). The tree then has no `#if` block there, and code in it would read as unconditional:
 * a rule that asks what a call is conditional on (a `#ifdef SKIP_VERIFY` gate, a `CONFIG_` switch) would not
 * see it. The blocks are read here from the directive lines of the original text, as the tree gives them
 * elsewhere: an `#if`/`#ifdef`/`#ifndef` from its line to its `#endif`, an `#elif`/`#else` from its line to
 * the `#endif`.
 */
import type { Directive } from './types';

type Opening = { kind: '#if' | '#ifdef' | '#ifndef'; start: number; condition: string; alternatives: Directive[]; lines: number[] };

const DIRECTIVE = /^#[ \t]*(ifdef|ifndef|if|elif|else|endif)\b(.*)$/;

/** The condition text of a directive line: what follows the keyword, without its comments (a scan: no regex to backtrack). */
function conditionOf(rest: string): string {
  let out = '';
  for (let i = 0; i < rest.length;) {
    if (rest.startsWith('//', i)) break;
    if (rest.startsWith('/*', i)) {
      const close = rest.indexOf('*/', i + 2);
      if (close < 0) break;
      out += ' ';
      i = close + 2;
    } else out += rest[i++];
  }
  return out.trim();
}

/**
 * The blocks of `text` that hold a blanked directive line, given the spans of the directive lines
 * (`lines`, in order) and which of them were blanked (their start offsets); undefined when the lines do not
 * pair up (then the tree's blocks stand as they are). `replaced` holds the start of every line of those blocks.
 */
export function blankedBlocks(
  text: string,
  lines: readonly [number, number][],
  blanked: ReadonlySet<number>,
): { directives: Directive[]; replaced: Set<number> } | undefined {
  const open: Opening[] = [];
  const directives: Directive[] = [];
  const replaced = new Set<number>();
  for (const [start, end] of lines) {
    const match = DIRECTIVE.exec(text.slice(start, end));
    if (!match) continue;
    const [, keyword, rest] = match;
    if (keyword === 'if' || keyword === 'ifdef' || keyword === 'ifndef') {
      open.push({ kind: `#${keyword}`, start, condition: conditionOf(rest), alternatives: [], lines: [start] });
      continue;
    }
    const block = open.at(-1);
    if (!block) return undefined;
    block.lines.push(start);
    if (keyword === 'elif' || keyword === 'else') {
      block.alternatives.push({ kind: `#${keyword}`, start, end: start, condition: keyword === 'elif' ? conditionOf(rest) : '' });
      continue;
    }
    open.pop();
    if (!block.lines.some((line) => blanked.has(line))) continue;
    directives.push({ kind: block.kind, start: block.start, end, condition: block.condition });
    for (const alternative of block.alternatives) directives.push({ ...alternative, end: start });
    for (const line of block.lines) replaced.add(line);
  }
  return open.length ? undefined : { directives, replaced };
}

/** `directives` (the tree's) with the blocks that hold a blanked line read from the text instead, in source order. */
export function withBlankedBlocks(
  directives: readonly Directive[],
  text: string,
  lines: readonly [number, number][],
  blanked: ReadonlySet<number>,
): Directive[] {
  const blocks = blankedBlocks(text, lines, blanked);
  if (!blocks?.directives.length) return [...directives];
  const kept = directives.filter((d) => d.kind === '#error' || !blocks.replaced.has(d.start));
  return [...kept, ...blocks.directives].sort((a, b) => a.start - b.start);
}
