/**
 * The two suppressions that need a justification from the user: a comment on a line ("Suppress <rule> on
 * this line / on the next line…") and a `.medsec.json` entry ("Turn off <rule> for this file / folder…").
 * The client asks; the server checks the text again against the project's policy and writes it.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS, justificationProblem, type RuleOffScope } from '../../shared/protocol';
import type { SuppressTarget } from './presentation';

/** An empty or unusable justification is refused: the comment is audit evidence. */
export async function suppressWithJustification(languageClient: LanguageClient, target: SuppressTarget): Promise<void> {
  const justification = await askJustification(
    `Suppress ${target.ruleId} ${target.kind === 'same-line' ? 'on this line' : 'on the next line'}`,
    'The justification stays in the code as audit evidence.',
  );
  if (justification === undefined) return;
  await runServerCommand(
    languageClient,
    COMMANDS.applySuppression,
    [target.uri, target.version ?? null, target.line, target.ruleId, target.kind, justification],
    'add the suppression',
  );
}

/** The entry goes into the `.medsec.json` that governs the file; the evidence report lists it with its reason. */
export async function turnOffRuleWithJustification(languageClient: LanguageClient, args: readonly unknown[]): Promise<void> {
  const [uri, ruleId, scope] = args;
  if (typeof uri !== 'string' || typeof ruleId !== 'string' || (scope !== 'file' && scope !== 'folder')) return;
  const justification = await askJustification(
    `Turn off ${ruleId} for this ${scope as RuleOffScope} in .medsec.json`,
    "The justification is recorded in .medsec.json and in the evidence report's suppression register.",
  );
  if (justification === undefined) return;
  const result = await runServerCommand(languageClient, COMMANDS.applyRuleOff, [uri, ruleId, scope, justification], 'turn the rule off');
  const configUri = (result as { configUri?: unknown } | undefined)?.configUri;
  if (typeof configUri !== 'string') return;
  const open = 'Open .medsec.json';
  const where = scope === 'file' ? 'this file' : 'this folder';
  if ((await vscode.window.showInformationMessage(`medsec: ${ruleId} is off for ${where}.`, open)) === open) {
    await vscode.window.showTextDocument(vscode.Uri.parse(configUri));
  }
}

/** The justification typed, or undefined when the user cancelled or typed one that would be ignored. */
async function askJustification(title: string, evidence: string): Promise<string | undefined> {
  const justification = await vscode.window.showInputBox({
    title,
    prompt: `Why is this finding acceptable? ${evidence} Add "(until YYYY-MM-DD)" to make it expire.`,
    placeHolder: 'e.g. factory test fixture, never built into release (until 2027-03-31)',
    ignoreFocusOut: true,
    validateInput: (text) => (text === '' ? undefined : justificationProblem(text)),
  });
  if (justification === undefined) return undefined; // cancelled
  const problem = justificationProblem(justification);
  if (problem) {
    void vscode.window.showWarningMessage(`medsec: nothing suppressed: ${problem}.`);
    return undefined;
  }
  return justification.trim();
}

async function runServerCommand(languageClient: LanguageClient, command: string, args: unknown[], what: string): Promise<unknown> {
  try {
    return await languageClient.sendRequest('workspace/executeCommand', { command, arguments: args });
  } catch (error) {
    void vscode.window.showErrorMessage(`medsec: could not ${what}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
