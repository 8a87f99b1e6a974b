/**
 * Content fingerprints for findings: what baselines and SARIF `partialFingerprints` match on.
 *
 * Scheme (version 1), per finding:
 *   line     = the finding's redacted snippet with ALL whitespace removed (so re-indenting or reformatting
 *              spaces on the line does not change it; the snippet already masks any secret)
 *   context  = the nearest CONTEXT_LINES non-blank lines above and below the finding's first line, each
 *              with all whitespace removed (a neighbour that holds another finding contributes that
 *              finding's redacted snippet instead, so no secret enters the hash); a neighbour identical to
 *              the finding's own line is passed over, so a copy of the line pasted next to it leaves the
 *              original's context, and so its identity, as it was
 *   key      = sha256(ruleId, line, context), first 16 hex digits
 *   fingerprint = `${key}:${occurrence}`, occurrence = 1-based index among findings of the same file with
 *              the same key, counted from the END of the file (tells identical lines in identical
 *              surroundings apart). Such lines cannot be told apart by their text: counting from the end
 *              means a copy inserted above an accepted line is the new one, and the accepted line keeps
 *              its identity. Either way exactly one finding is new.
 *   lineHash = sha256(ruleId, line), first 16 hex digits: the fallback key when a neighbour was edited
 *
 * SARIF's `primaryLocationLineHash` is `${lineHash}:${occurrence among the file's findings with that lineHash}`
 * (`lineFingerprints`): it needs no file text, and it also survives an edit right next to the finding.
 *
 * Neither the path nor the line number enters the fingerprint, so moving code within a file, inserting or
 * deleting unrelated lines, reformatting elsewhere, and renaming the file leave it unchanged. Editing the
 * finding's own line (beyond whitespace) makes it a new finding, as it should. Matching a baseline (see
 * core/baseline.ts) tries (path, fingerprint), then fingerprint alone (renamed or moved files), then
 * (path, lineHash) (an edited neighbour).
 */
import { createHash } from 'crypto';
import type { Finding } from './types';

export const FINGERPRINT_VERSION = 1;
/** Non-blank lines taken on each side of the finding for its context. */
export const CONTEXT_LINES = 2;

export interface FindingFingerprint {
  fingerprint: string;
  lineHash: string;
}

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
  const lineAt = (index: number) => redactedLine.get(index) ?? lines[index] ?? '';

  const keyed = findings.map((finding, index) => {
    const line = squeeze(finding.snippet);
    const context = contextOf(lines.length, finding.range.start.line, line, lineAt);
    return { index, finding, key: hash([finding.ruleId, line, ...context]), lineHash: lineHashOf(finding) };
  });
  const fromTheEnd = [...keyed].sort(
    (a, b) => b.finding.span.start - a.finding.span.start || b.finding.span.end - a.finding.span.end || b.index - a.index,
  );
  const occurrences = new Map<string, number>();
  const out: FindingFingerprint[] = new Array(findings.length);
  for (const item of fromTheEnd) {
    const occurrence = (occurrences.get(item.key) ?? 0) + 1;
    occurrences.set(item.key, occurrence);
    out[item.index] = { fingerprint: `${item.key}:${occurrence}`, lineHash: item.lineHash };
  }
  return out;
}

/** The rule and the finding's redacted line, whitespace removed, hashed. */
export function lineHashOf(finding: Finding): string {
  return hash([finding.ruleId, squeeze(finding.snippet)]);
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

/** Sets `fingerprint` and `lineHash` on every finding of a file. */
export function attachFingerprints(text: string, findings: Finding[]): void {
  const prints = fingerprintFindings(text, findings);
  findings.forEach((finding, index) => {
    finding.fingerprint = prints[index].fingerprint;
    finding.lineHash = prints[index].lineHash;
  });
}

/**
 * The squeezed neighbours: up to CONTEXT_LINES non-blank lines above (nearest first), a separator, then below,
 * passing over blank lines and lines identical to the finding's own (`own`, squeezed).
 */
function contextOf(lineCount: number, line: number, own: string, lineAt: (index: number) => string): string[] {
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
