/**
 * Matches of a global regex `<opener>[^<stops>]*<tail>` where `tail` starts at a stop character (`open(…) as f`):
 * the run ends at the first stop after the opener, so openers that share that stop share the result and the
 * text is read once. The regex rereads the run from every opener: quadratic on `open(open(open(…` with no `)`.
 * `opener` is global, `stops` global, `tail` sticky; yields the opener's index and the tail's match.
 */
export function* throughFirstStop(
  text: string,
  opener: RegExp,
  stops: RegExp,
  tail: RegExp,
): Generator<{ index: number; tail: RegExpExecArray }> {
  let stop = -1;
  let failed = -1;
  opener.lastIndex = 0;
  for (let m = opener.exec(text); m; m = opener.exec(text)) {
    const from = m.index + m[0].length;
    if (stop < from) {
      stops.lastIndex = from;
      stop = stops.exec(text)?.index ?? text.length;
    }
    if (stop === failed) continue;
    tail.lastIndex = stop;
    const found = stop < text.length ? tail.exec(text) : null;
    if (!found) {
      failed = stop;
      continue;
    }
    yield { index: m.index, tail: found };
    opener.lastIndex = tail.lastIndex;
  }
}
