// Removes entries from a triage file by their index in its top-level array, keeping the file's own layout
// (one entry a line, or pretty-printed objects) for every entry that stays: the files are written by hand and by
// several tools, and a rewrite in one style would bury the removal in a diff of the whole file.
import { readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

/** Start and end offsets of each object in the top-level JSON array in `text` (a triage file holds objects only). */
function elementSpans(text) {
  const spans = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '[' || c === '{') {
      if (depth === 1 && c === '{') start = i;
      depth++;
    } else if (c === ']' || c === '}') {
      depth--;
      if (depth === 1 && c === '}') spans.push({ start, end: i + 1 });
    }
  }
  return spans;
}

/**
 * Writes `file` without the entries at `indices` and checks that what is left parses to the same entries in the
 * same order; throws (leaving the file as it was) when it does not. `expected`, when given, is what was read at
 * each index (its fingerprint and path): a file that changed since it was read is refused, not pruned blind.
 */
export function pruneTriageFile(file, indices, expected) {
  const text = readFileSync(file, 'utf8');
  const entries = JSON.parse(text);
  indices.forEach((at, k) => {
    const was = expected?.[k];
    if (was && (entries[at]?.fingerprint !== was.fingerprint || entries[at]?.path !== was.path))
      throw new Error(`${file} changed since it was read (entry ${at} is no longer ${was.path} ${was.fingerprint})`);
  });
  const drop = new Set(indices);
  const spans = elementSpans(text);
  if (spans.length !== entries.length) throw new Error(`${file}: found ${spans.length} elements, expected ${entries.length}`);
  const kept = spans.filter((_, index) => !drop.has(index));
  let result;
  if (kept.length === 0) result = `[]${text.endsWith('\n') ? '\n' : ''}`;
  else {
    const head = text.slice(0, spans[0].start); // "[\n  " or "[\n {\n" up to the first element
    const tail = text.slice(spans[spans.length - 1].end); // "\n]\n"
    // Each kept element keeps the whitespace that led it after its comma (its indentation).
    const lead = (span, index) => (index === 0 ? '' : text.slice(text.lastIndexOf(',', span.start) + 1, span.start));
    result = head + kept.map((span, index) => lead(span, index) + text.slice(span.start, span.end)).join(',') + tail;
  }
  const remaining = entries.filter((_, index) => !drop.has(index));
  if (!isDeepStrictEqual(JSON.parse(result), remaining)) throw new Error(`${file}: pruning would change the entries that stay`);
  writeFileSync(file, result);
  return entries.length - remaining.length;
}
