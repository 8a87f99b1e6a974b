/**
 * Content fingerprints for findings: what baselines and SARIF `partialFingerprints` match on.
 *
 * Scheme (version 2), per finding:
 *   line     = the finding's source line (a window of 160 characters around it on a long line), every secret
 *              in it replaced by one fixed mark, then ALL whitespace removed (so re-indenting or reformatting
 *              spaces on the line does not change it). The secrets replaced are the spans the file's findings
 *              report as secrets and every other occurrence of their values (3 characters or more): no secret
 *              enters the hash, and how reports mask secrets (which may change between releases) does not
 *              enter it either. Version 1 hashed the masked snippet, so a change to masking re-keyed findings.
 *   context  = the nearest CONTEXT_LINES non-blank lines above and below the finding's first line, each
 *              made the same way; a neighbour identical to the finding's own line is passed over, so a copy
 *              of the line pasted next to it leaves the original's context, and so its identity, as it was
 *   key      = sha256(ruleId, line, context), first 16 hex digits
 *   fingerprint = `${key}:${occurrence}`, occurrence = 1-based index among findings of the same file with
 *              the same key, counted from the END of the file (tells identical lines in identical
 *              surroundings apart). Such lines cannot be told apart by their text: counting from the end
 *              means a copy inserted above an accepted line is the new one, and the accepted line keeps
 *              its identity. Either way exactly one finding is new.
 *   lineHash = sha256(ruleId, line), first 16 hex digits: the fallback key when a neighbour was edited
 *
 * A finding also carries its version-1 fingerprint and lineHash (`fingerprintV1`, `lineHashV1`: the masked
 * snippet and neighbours' snippets) so that a baseline written before version 2 still matches (baseline.ts).
 *
 * SARIF's `primaryLocationLineHash` is `${lineHash}:${occurrence among the file's findings with that lineHash}`
 * (`lineFingerprints`), and it also survives an edit right next to the finding. It uses the version-2 lineHash, so
 * neither a secret's value nor how reports mask it re-keys code scanning's alerts; only a finding that carries no
 * lineHash (one never fingerprinted against its file's text) falls back to hashing its masked snippet.
 *
 * Neither the path nor the line number enters the fingerprint, so moving code within a file, inserting or
 * deleting unrelated lines, reformatting elsewhere, and renaming the file leave it unchanged. Editing the
 * finding's own line (beyond whitespace and the secret's value) makes it a new finding, as it should. Matching
 * a baseline (see core/baseline.ts) tries (path, fingerprint), then fingerprint alone (renamed or moved
 * files), then (path, lineHash) (an edited neighbour).
 */
import { createHash } from 'crypto';
import type { Finding } from './types';

export const FINGERPRINT_VERSION = 2;
/** Non-blank lines taken on each side of the finding for its context. */
export const CONTEXT_LINES = 2;

export interface FindingFingerprint {
  fingerprint: string;
  lineHash: string;
  /** The version-1 fingerprint and lineHash, for baselines written before version 2. */
  fingerprintV1: string;
  lineHashV1: string;
}

/** A line's text for a fingerprint: the finding's line or a neighbour, by 0-based index. */
type LineText = (index: number) => string;

/**
 * Fingerprints the findings of one file, given the file's text. Returns them in the order of `findings`
 * (which must all be from this file); occurrence indices count from the end of the file whatever that order is.
 */
export function fingerprintFindings(text: string, findings: readonly Finding[]): FindingFingerprint[] {
  const lines = text.split(/\r?\n|\r/);
  const redactedLine = new Map<number, string>();
  for (const finding of findings) {
    if (!redactedLine.has(finding.range.start.line)) redactedLine.set(finding.range.start.line, finding.snippet);
  }
  const v1Line: LineText = (index) => redactedLine.get(index) ?? lines[index] ?? '';
  const v2Line = withoutSecrets(text, lines, findings);
  const v2 = keyFindings(findings, lines.length, v2Line, (finding) => v2Line(finding.range.start.line, finding));
  const v1 = keyFindings(findings, lines.length, v1Line, (finding) => finding.snippet);
  return findings.map((_, index) => ({
    fingerprint: v2[index].fingerprint,
    lineHash: v2[index].lineHash,
    fingerprintV1: v1[index].fingerprint,
    lineHashV1: v1[index].lineHash,
  }));
}

/** Keys and numbers the findings, each by its own line (`ownLine`) and its neighbours (`lineAt`). */
function keyFindings(
  findings: readonly Finding[],
  lineCount: number,
  lineAt: LineText,
  ownLine: (finding: Finding) => string,
): { fingerprint: string; lineHash: string }[] {
  const keyed = findings.map((finding, index) => {
    const line = squeeze(ownLine(finding));
    const context = contextOf(lineCount, finding.range.start.line, line, lineAt);
    return { index, finding, key: hash([finding.ruleId, line, ...context]), lineHash: hash([finding.ruleId, line]) };
  });
  const fromTheEnd = [...keyed].sort(
    (a, b) => b.finding.span.start - a.finding.span.start || b.finding.span.end - a.finding.span.end || b.index - a.index,
  );
  const occurrences = new Map<string, number>();
  const out: { fingerprint: string; lineHash: string }[] = new Array(findings.length);
  for (const item of fromTheEnd) {
    const occurrence = (occurrences.get(item.key) ?? 0) + 1;
    occurrences.set(item.key, occurrence);
    out[item.index] = { fingerprint: `${item.key}:${occurrence}`, lineHash: item.lineHash };
  }
  return out;
}

/** A line is cut to this window around the finding (as its snippet is), and a neighbour to its start. */
const WINDOW = 160;
/** Secret values shorter than this are replaced only where a finding reports them, not wherever the characters occur. */
const MIN_VALUE = 3;
const SECRET_MARK = '\u0001';

/**
 * The file's lines with every secret replaced by SECRET_MARK (see the scheme above): the finding's own line
 * (given the finding) cut to the window around it on a long line, a neighbour cut to its first WINDOW
 * characters. Secrets are found in the window widened by the longest value, so none is left in part at a cut.
 */
function withoutSecrets(
  text: string,
  lines: readonly string[],
  findings: readonly Finding[],
): (index: number, finding?: Finding) => string {
  const values = new Set<string>();
  const spansByLine = new Map<number, { start: number; end: number }[]>();
  for (const finding of findings) {
    if (!finding.secret) continue;
    const value = text.slice(finding.secret.start, finding.secret.end);
    if (value.length >= MIN_VALUE) values.add(value);
    // The secret's columns on the finding's line: the span's start is the range's start.
    const lineStart = finding.span.start - finding.range.start.column;
    const spans = spansByLine.get(finding.range.start.line) ?? [];
    spans.push({ start: finding.secret.start - lineStart, end: finding.secret.end - lineStart });
    spansByLine.set(finding.range.start.line, spans);
  }
  const lengths = [...new Set([...values].map((value) => value.length))].sort((a, b) => b - a);
  const neighbours = new Map<number, string>();
  return (index, finding) => {
    const raw = lines[index] ?? '';
    const spans = spansByLine.get(index) ?? [];
    if (finding) {
      // A long line (minified code): the window around the finding, as its snippet shows it.
      const from = raw.length <= WINDOW ? 0 : Math.max(0, finding.range.start.column - WINDOW / 4);
      return markSecrets(raw, from, Math.min(raw.length, from + WINDOW), spans, values, lengths);
    }
    let line = neighbours.get(index);
    if (line === undefined) neighbours.set(index, (line = markSecrets(raw, 0, Math.min(raw.length, WINDOW), spans, values, lengths)));
    return line;
  };
}

/**
 * `line` from `from` to `to` with each secret that overlaps it replaced by SECRET_MARK: the reported spans
 * (columns) and every occurrence of a value, longest values first, looked up by substrings of the values'
 * lengths (a window costs its length times the number of distinct lengths).
 */
function markSecrets(
  line: string,
  from: number,
  to: number,
  spans: readonly { start: number; end: number }[],
  values: ReadonlySet<string>,
  lengths: readonly number[],
): string {
  const low = Math.max(0, from - (lengths[0] ?? 0));
  const high = Math.min(line.length, to + (lengths[0] ?? 0));
  const covered = new Uint8Array(high - low);
  const secrets = spans.filter((span) => span.end > from && span.start < to).map((span) => ({ ...span }));
  for (const span of secrets) covered.fill(1, Math.max(0, span.start - low), Math.max(0, Math.min(high, span.end) - low));
  for (const length of lengths) {
    for (let i = low; i + length <= high; i++) {
      if (covered[i - low] || covered[i + length - 1 - low] || !values.has(line.slice(i, i + length))) continue;
      covered.fill(1, i - low, i + length - low);
      if (i + length > from && i < to) secrets.push({ start: i, end: i + length });
      i += length - 1;
    }
  }
  let out = '';
  let pos = from;
  for (const secret of secrets.sort((a, b) => a.start - b.start)) {
    if (secret.end <= pos) continue;
    out += line.slice(pos, Math.max(pos, secret.start)) + SECRET_MARK;
    pos = secret.end;
  }
  return pos < to ? out + line.slice(pos, to) : out;
}

/** The finding's version-2 lineHash; without one, its rule and redacted snippet, whitespace removed, hashed (version 1's). */
export function lineHashOf(finding: Finding): string {
  return finding.lineHash ?? hash([finding.ruleId, squeeze(finding.snippet)]);
}

/**
 * `${lineHash}:${occurrence}` per finding, the occurrence counted per file and lineHash in the order given
 * (pass findings sorted by path and position).
 */
export function lineFingerprints(findings: readonly Finding[]): string[] {
  const occurrences = new Map<string, number>();
  return findings.map((finding) => {
    const lineHash = lineHashOf(finding);
    const key = `${finding.path}\0${lineHash}`;
    const occurrence = (occurrences.get(key) ?? 0) + 1;
    occurrences.set(key, occurrence);
    return `${lineHash}:${occurrence}`;
  });
}

/** Sets `fingerprint` and `lineHash` (and their version-1 forms) on every finding of a file. */
export function attachFingerprints(text: string, findings: Finding[]): void {
  const prints = fingerprintFindings(text, findings);
  findings.forEach((finding, index) => {
    finding.fingerprint = prints[index].fingerprint;
    finding.lineHash = prints[index].lineHash;
    finding.fingerprintV1 = prints[index].fingerprintV1;
    finding.lineHashV1 = prints[index].lineHashV1;
  });
}

/**
 * The squeezed neighbours: up to CONTEXT_LINES non-blank lines above (nearest first), a separator, then below,
 * passing over blank lines and lines identical to the finding's own (`own`, squeezed).
 */
function contextOf(lineCount: number, line: number, own: string, lineAt: LineText): string[] {
  const neighbours = (from: number, step: 1 | -1): string[] => {
    const found: string[] = [];
    for (let i = from; i >= 0 && i < lineCount && found.length < CONTEXT_LINES; i += step) {
      const text = squeeze(lineAt(i));
      if (text && text !== own) found.push(text);
    }
    return found;
  };
  return [...neighbours(line - 1, -1), '\u0001', ...neighbours(line + 1, 1)];
}

function squeeze(text: string): string {
  return text.replace(/\s+/g, '');
}

function hash(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
}
