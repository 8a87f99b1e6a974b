/**
 * The comment a "Suppress <rule>" action inserts, in the file's own comment syntax:
 *   // medsec-ignore-next-line <id> -- <justification>      (a new line above, same indentation)
 *   code();  // medsec-ignore <id> -- <justification>       (at the end of the line)
 */
import type { TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { lineCommentPrefix } from '../core/language';
import type { LanguageId } from '../core/types';
import type { SuppressionKind } from '../../../shared/protocol';

export function canSuppressInSource(language: LanguageId): boolean {
  return lineCommentPrefix(language) !== '';
}

export function suppressionEdit(
  document: TextDocument,
  language: LanguageId,
  line: number,
  ruleId: string,
  kind: SuppressionKind,
  justification: string,
): TextEdit {
  const prefix = lineCommentPrefix(language);
  const suffix = prefix === '<!--' ? ' -->' : '';
  const directive = kind === 'next-line' ? 'medsec-ignore-next-line' : 'medsec-ignore';
  const comment = `${prefix} ${directive} ${ruleId} -- ${justification.trim()}${suffix}`;
  const lineText = lineAt(document, line);
  if (kind === 'next-line') {
    const indent = /^[ \t]*/.exec(lineText)?.[0] ?? '';
    const eol = document.getText().includes('\r\n') ? '\r\n' : '\n';
    return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${comment}${eol}` };
  }
  const end = lineText.replace(/\s+$/, '').length;
  return { range: { start: { line, character: end }, end: { line, character: lineText.length } }, newText: `  ${comment}` };
}

function lineAt(document: TextDocument, line: number): string {
  const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return text.replace(/\r?\n$/, '');
}
