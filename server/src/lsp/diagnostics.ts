/**
 * Findings as LSP diagnostics. Each diagnostic's `data` carries everything its code actions need (the fixes
 * as ranges, the line, the comment syntax), so code actions need no server-side cache.
 */
import { DiagnosticSeverity, type Diagnostic, type Range as LspRange, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import { ConfigError } from '../core/config';
import { ruleDocsUrl } from '../../../shared/protocol';
import type { SourceText } from '../core/text';
import type { Finding, FixSafety, LanguageId, Range, Severity, TextEdit } from '../core/types';

export const DIAGNOSTIC_SOURCE = 'medsec';

export interface DiagnosticFix {
  title: string;
  safety: Exclude<FixSafety, 'none'>;
  edits: LspTextEdit[];
}

export interface DiagnosticData {
  ruleId: string;
  language: LanguageId;
  /** The document version the ranges refer to. */
  version: number;
  /** Zero-based line of the finding, for suppression comments. */
  line: number;
  fixes: DiagnosticFix[];
  docsUrl: string;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  critical: DiagnosticSeverity.Error,
  high: DiagnosticSeverity.Error,
  medium: DiagnosticSeverity.Warning,
  low: DiagnosticSeverity.Information,
  info: DiagnosticSeverity.Hint,
};

export function toLspRange(range: Range): LspRange {
  return { start: { line: range.start.line, character: range.start.column }, end: { line: range.end.line, character: range.end.column } };
}

export function toLspEdit(text: SourceText, edit: TextEdit): LspTextEdit {
  return { range: toLspRange(text.rangeOf(edit.span)), newText: edit.newText };
}

export function findingToDiagnostic(finding: Finding, text: SourceText, version: number): Diagnostic {
  const docsUrl = ruleDocsUrl(finding.ruleId);
  const data: DiagnosticData = {
    ruleId: finding.ruleId,
    language: finding.language,
    version,
    line: finding.range.start.line,
    fixes: finding.fixes.map((fix) => ({ title: fix.title, safety: fix.safety, edits: fix.edits.map((edit) => toLspEdit(text, edit)) })),
    docsUrl,
  };
  return {
    range: toLspRange(finding.range),
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    codeDescription: { href: docsUrl },
    message: finding.message,
    data,
  };
}

export function isDiagnosticData(value: unknown): value is DiagnosticData {
  const data = value as DiagnosticData | undefined;
  return !!data && typeof data.ruleId === 'string' && typeof data.line === 'number' && Array.isArray(data.fixes);
}

/** The one diagnostic a broken `.medsec.json` gets, at the error's line and column. */
export function configErrorDiagnostic(error: ConfigError): Diagnostic {
  const position = { line: Math.max(0, error.line - 1), character: Math.max(0, error.column - 1) };
  return {
    range: { start: position, end: { line: position.line, character: position.character + 1 } },
    severity: DiagnosticSeverity.Error,
    source: DIAGNOSTIC_SOURCE,
    code: 'invalid-config',
    message: `${error.detail}${error.key ? ` (at ${error.key})` : ''}. medsec does not check this folder until the configuration is fixed.`,
  };
}
