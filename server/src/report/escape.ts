import { maxOf } from '../core/arrays';
/**
 * Escaping for the report formats. Every string that reaches a report passes through one of these:
 * a snippet can hold `<script>`, a pipe, a backtick or a newline.
 */

/** Text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** Plain text in a Markdown table cell or paragraph: no raw HTML, no table breaks, no emphasis surprises. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]<>|#]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '|' ? '\\|' : `\\${c}`));
}

/** Inline code in Markdown (tables too): a fence longer than any backtick run inside, pipes escaped. */
export function markdownCode(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  if (!flat) return '';
  const longest = maxOf(
    (flat.match(/`+/g) ?? []).map((run) => run.length),
    0,
  );
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
