/**
 * Secrets never leave the engine in plain text: every snippet and message is masked here, once, so no
 * output format can forget to. A secret keeps a short prefix so a reviewer can tell which one it is.
 */
import type { Span } from './types';

export const MASK = '****';

export function maskSecret(secret: string): string {
  if (!secret) return secret;
  const visible = secret.length >= 12 ? 3 : secret.length >= 6 ? 2 : secret.length >= 4 ? 1 : 0;
  return secret.slice(0, visible) + MASK;
}

/**
 * Replaces every secret span that overlaps [from, to) of `content` with its masked form and returns that
 * slice of the text.
 */
export function redactSlice(content: string, from: number, to: number, secrets: Span[]): string {
  const relevant = secrets
    .filter((s) => s.end > from && s.start < to && s.end > s.start)
    .sort((a, b) => a.start - b.start);
  let out = '';
  let pos = from;
  for (const s of relevant) {
    if (s.end <= pos) continue;
    // A secret cut by the window start shows no prefix at all.
    out += s.start >= pos ? content.slice(pos, s.start) + maskSecret(content.slice(s.start, s.end)) : MASK;
    pos = Math.min(s.end, to);
  }
  out += content.slice(pos, to);
  return out;
}

/** Removes any literal occurrence of a secret value from free text (a rule's message, say). */
export function redactText(text: string, secretValues: string[]): string {
  let out = text;
  for (const value of secretValues) {
    if (value.length >= 3 && out.includes(value)) out = out.split(value).join(maskSecret(value));
  }
  return out;
}
