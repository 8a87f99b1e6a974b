/** "Suppress <rule> on this line / on the next line…": asks for the justification, then lets the server insert the comment. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS, justificationProblem } from '../../shared/protocol';
import type { SuppressTarget } from './presentation';

/** An empty or unusable justification is refused: the comment is audit evidence. */
export async function suppressWithJustification(languageClient: LanguageClient, target: SuppressTarget): Promise<void> {
  const justification = await vscode.window.showInputBox({
    title: `Suppress ${target.ruleId} ${target.kind === 'same-line' ? 'on this line' : 'on the next line'}`,
    prompt:
      'Why is this finding acceptable? The justification stays in the code as audit evidence. ' +
      'Add "(until YYYY-MM-DD)" to make it expire.',
    placeHolder: 'e.g. factory test fixture, never built into release (until 2027-03-31)',
    ignoreFocusOut: true,
    validateInput: (text) => (text === '' ? undefined : justificationProblem(text)),
  });
  if (justification === undefined) return; // cancelled
  const problem = justificationProblem(justification);
  if (problem) {
    void vscode.window.showWarningMessage(`medsec: nothing suppressed: ${problem}.`);
    return;
  }
  try {
    await languageClient.sendRequest('workspace/executeCommand', {
      command: COMMANDS.applySuppression,
      arguments: [target.uri, target.version ?? null, target.line, target.ruleId, target.kind, justification.trim()],
    });
  } catch (error) {
    void vscode.window.showErrorMessage(`medsec: could not add the suppression: ${error instanceof Error ? error.message : String(error)}`);
  }
}
