/**
 * Code actions for medsec diagnostics: the rule's fixes (preferred when safe), suggestions, suppression
 * comments (the client asks for the justification, see COMMANDS.suppress), "show documentation", and the
 * `source.fixAll.medsec` action that applies safe fixes only.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit as LspTextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { applyEdits, safeFixOf } from '../core/fix';
import type { SourceText } from '../core/text';
import type { Finding } from '../core/types';
import { DIAGNOSTIC_SOURCE, isDiagnosticData, toLspEdit, type DiagnosticData } from './diagnostics';
import { COMMANDS, type RuleOffScope, type SuppressionKind } from '../../../shared/protocol';
import { FIX_ALL_KIND } from './protocol';
import { canSuppressInSource } from './suppression-edit';
import { pushAll } from '../core/arrays';

export interface EditTarget {
  uri: string;
  version: number;
  /** The client accepts versioned `documentChanges` (then a stale edit is refused rather than misapplied). */
  documentChanges: boolean;
}

export function workspaceEdit(target: EditTarget, edits: LspTextEdit[]): WorkspaceEdit {
  return target.documentChanges
    ? { documentChanges: [{ textDocument: { uri: target.uri, version: target.version }, edits }] }
    : { changes: { [target.uri]: edits } };
}

/** Quick fixes for the medsec diagnostics in a code-action request. */
export function quickFixActions(target: EditTarget, diagnostics: readonly Diagnostic[], commentLines: ReadonlySet<number>): CodeAction[] {
  const fixes: CodeAction[] = [];
  const suppressions: CodeAction[] = [];
  const docs: CodeAction[] = [];
  const seenRules = new Set<string>();
  const rulesOffered = new Set<string>();
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE || !isDiagnosticData(diagnostic.data)) continue;
    const data = diagnostic.data;
    // The fixes' ranges belong to the version they were computed on; the versioned edit guards the rest.
    const fixTarget = { ...target, version: data.version };
    for (const fix of data.fixes) {
      fixes.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.safety === 'safe',
        edit: workspaceEdit(fixTarget, fix.edits),
      });
    }
    const ruleLineKey = `${data.ruleId}:${data.line}`;
    if (seenRules.has(ruleLineKey)) continue;
    seenRules.add(ruleLineKey);
    if (canSuppressInSource(data.language)) pushAll(suppressions, lineSuppressions(target, diagnostic, data, commentLines));
    if (target.uri.startsWith('file:') && !rulesOffered.has(data.ruleId)) {
      rulesOffered.add(data.ruleId);
      pushAll(suppressions, ruleOffActions(target.uri, diagnostic, data.ruleId));
    }
    docs.push({
      title: `Show documentation for ${data.ruleId}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title: `Show documentation for ${data.ruleId}`, command: COMMANDS.showRuleDocs, arguments: [docsTarget(data)] },
    });
  }
  return [...fixes, ...suppressions, ...docs];
}

/** "Suppress <rule> on this line / on the next line…": the client asks for the justification (COMMANDS.suppress). */
function lineSuppressions(
  target: EditTarget,
  diagnostic: Diagnostic,
  data: DiagnosticData,
  commentLines: ReadonlySet<number>,
): CodeAction[] {
  const kinds: SuppressionKind[] = ['same-line', 'next-line'];
  // An end-of-line directive must open its own comment: a line that already ends in one gets the next-line form only.
  return kinds
    .filter((kind) => kind === 'next-line' || !commentLines.has(data.line))
    .map((kind) => {
      // The ellipsis says that an input box follows, as VS Code's own titles do.
      const title = `Suppress ${data.ruleId} ${kind === 'same-line' ? 'on this line' : 'on the next line'}…`;
      return {
        title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title, command: COMMANDS.suppress, arguments: [target.uri, data.line, data.ruleId, kind, target.version] },
      };
    });
}

/**
 * "Turn off <rule> for this file / this folder in .medsec.json…" (as ESLint's disable-for-file and SonarLint's
 * deactivate-rule): a justified `suppressions` entry, also for files without comments (JSON, key files).
 */
function ruleOffActions(uri: string, diagnostic: Diagnostic, ruleId: string): CodeAction[] {
  const scopes: RuleOffScope[] = ['file', 'folder'];
  return scopes.map((scope) => {
    const title = `Turn off ${ruleId} for this ${scope} in .medsec.json…`;
    return {
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title, command: COMMANDS.turnOffRule, arguments: [uri, ruleId, scope] },
    };
  });
}

/** What `medsec.showRuleDocs` opens: the rule id for the bundled page when its link is a `command:` link, else the URL. */
function docsTarget(data: DiagnosticData): string {
  return data.docsUrl.startsWith('command:') ? data.ruleId : data.docsUrl;
}

/** `source.fixAll.medsec`: every safe fix among the shown findings, skipping any that overlap another. */
export function fixAllAction(target: EditTarget, findings: readonly Finding[], text: SourceText): CodeAction | undefined {
  const edits = findings.flatMap((finding) => (finding.suppression ? [] : (safeFixOf(finding)?.edits ?? [])));
  if (!edits.length) return undefined;
  const { skipped } = applyEdits(text.content, edits);
  const taken = edits.filter((edit) => !skipped.includes(edit));
  return {
    title: `Fix all safe medsec problems (${taken.length})`,
    kind: FIX_ALL_KIND,
    edit: workspaceEdit(
      target,
      taken.map((edit) => toLspEdit(text, edit)),
    ),
  };
}

/** Whether a request's `only` filter admits actions of `kind` (a kind admits its sub-kinds). */
export function kindRequested(only: readonly string[] | undefined, kind: string): boolean {
  if (!only) return true;
  return only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
}
