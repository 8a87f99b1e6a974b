/**
 * Code blocks of a documentation file (Markdown, reStructuredText, plain text): where a pasted configuration
 * or shell session sits, and whether the prose around it presents it as an example. Documentation shows how a
 * value is written (`**Example:**` above a block, "above shows the header for password `Abc`" below it); a
 * value the page itself calls an example is illustrative, whatever it looks like.
 */
import { lastSpanStartingBy } from '../../../server/src/core/span';
import type { Span } from '../../../server/src/core/types';

/** Words and phrases of prose that present the neighbouring block as an illustration, not as the project's settings. */
const EXAMPLE_WORDS = new Set([
  'example',
  'examples',
  'e.g',
  'sample',
  'illustrates',
  'illustration',
  'illustrative',
  'show',
  'shows',
  'shown',
]);
const EXAMPLE_PHRASES = ['for instance', 'looks like', 'look like', 'would look'];

function presentsExample(prose: string): boolean {
  const lower = prose.toLowerCase();
  if (EXAMPLE_PHRASES.some((phrase) => lower.includes(phrase))) return true;
  return lower.split(/[^a-z.]+/).some((word) => {
    let end = word.length;
    while (end > 0 && word[end - 1] === '.') end--; // `example.` at the end of a sentence, `e.g.`
    return EXAMPLE_WORDS.has(word.slice(0, end));
  });
}
/** A line of code outside a fence: indented as a code block (four spaces or a tab), or a shell line. */
const CODE_LINE = /^(?: {4}|\t|[ \t]{0,3}(?:export|set|setx|\$|>)[ \t])/;
const FENCE = /^[ \t]{0,3}(?:```|~~~)/;

interface Line extends Span {
  text: string;
}

export interface ProseBlocks {
  /** The code block holding `offset`, or undefined when the offset is in prose. */
  blockAt(offset: number): Span | undefined;
  /** Whether the prose line next to the block (above or below it) presents it as an example. */
  isExampleBlock(block: Span): boolean;
}

export function proseBlocks(content: string): ProseBlocks {
  const lines = splitLines(content);
  const blocks = findBlocks(lines);
  const blockAt = (offset: number) => {
    const block = blocks[lastSpanStartingBy(blocks, offset)];
    return block && offset < block.end ? block : undefined;
  };
  const isExampleBlock = (block: Span): boolean => {
    const above = proseNear(lines, lastSpanStartingBy(lines, block.start), -1, blockAt);
    const below = proseNear(lines, lastSpanStartingBy(lines, block.end), 1, blockAt);
    return [above, below].some((line) => !!line && presentsExample(line));
  };
  return { blockAt, isExampleBlock };
}

function splitLines(content: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= content.length) {
    const newline = content.indexOf('\n', start);
    const end = newline < 0 ? content.length : newline;
    lines.push({ start, end, text: content.slice(start, end) });
    if (newline < 0) break;
    start = newline + 1;
  }
  return lines;
}

/** Fenced blocks (fences included) and runs of indented or shell lines, in order. */
function findBlocks(lines: readonly Line[]): Span[] {
  const blocks: Span[] = [];
  let open: number | undefined;
  let run: number | undefined;
  const closeRun = (i: number) => {
    if (run !== undefined) blocks.push({ start: lines[run].start, end: lines[i - 1].end });
    run = undefined;
  };
  lines.forEach((line, i) => {
    if (FENCE.test(line.text)) {
      closeRun(i);
      if (open === undefined) open = i;
      else {
        blocks.push({ start: lines[open].start, end: line.end });
        open = undefined;
      }
      return;
    }
    if (open !== undefined) return;
    if (CODE_LINE.test(line.text)) run ??= i;
    else closeRun(i);
  });
  closeRun(lines.length);
  if (open !== undefined) blocks.push({ start: lines[open].start, end: lines[lines.length - 1].end });
  return blocks;
}

/**
 * The prose next to the block, read from line `from` in direction `step`: the nearest paragraph (up to three
 * lines, skipping blank lines and HTML comments before it), or undefined when another block comes first.
 */
function proseNear(lines: readonly Line[], from: number, step: 1 | -1, blockAt: (offset: number) => Span | undefined): string | undefined {
  if (from < 0) return undefined;
  const paragraph: string[] = [];
  for (let i = from + step, seen = 0; i >= 0 && i < lines.length && seen < 6 && paragraph.length < 3; i += step, seen++) {
    const text = lines[i].text.trim();
    // Blank lines and HTML comments (`<!-- … -->`) are not what a reader sees between prose and block.
    const hidden = !text || /^<!--.*-->$/.test(text);
    if (hidden && !paragraph.length) continue;
    if (hidden || blockAt(lines[i].start)) break;
    paragraph.push(text);
  }
  return paragraph.length ? paragraph.join(' ') : undefined;
}
