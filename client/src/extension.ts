/**
 * The medsec VS Code extension: starts the bundled language server and adds the few things only the
 * editor can do (status bar, input box for a suppression's justification, opening docs). All checking
 * happens in the server (server/src/lsp), which any LSP editor can run.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { COMMANDS, justificationProblem, STATUS_NOTIFICATION, type InitializationOptions, type StatusParams } from '../../shared/protocol';
import { bundledRuleDoc, statusBarView, suppressTarget, type SuppressTarget } from './presentation';
import { CONFIG_FILE_GLOB, documentSelector } from './selector';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath('server/out/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    synchronize: {
      configurationSection: 'medsec',
      fileEvents: vscode.workspace.createFileSystemWatcher(CONFIG_FILE_GLOB),
    },
    // A function, so that the restart after the user grants trust sends the new value.
    initializationOptions: (): InitializationOptions => ({ trustedWorkspace: vscode.workspace.isTrusted }),
  };
  const languageClient = new LanguageClient('medsec', 'medsec', serverOptions, clientOptions);
  client = languageClient;

  const statusItem = vscode.window.createStatusBarItem('medsec.status', vscode.StatusBarAlignment.Left, 0);
  statusItem.name = 'medsec';
  statusItem.command = 'workbench.actions.view.problems';
  const showStatus = (status: StatusParams | undefined): void => {
    const view = statusBarView(status, vscode.workspace.isTrusted);
    statusItem.text = view.text;
    statusItem.tooltip = view.tooltip;
    statusItem.backgroundColor = view.isError ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  };
  showStatus(undefined);
  statusItem.show();

  const openBundledMarkdown = (relativePath: string) =>
    vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(context.extensionUri, relativePath));

  context.subscriptions.push(
    statusItem,
    languageClient.onNotification(STATUS_NOTIFICATION, (status: StatusParams) => showStatus(status)),
    vscode.commands.registerCommand(COMMANDS.suppress, async (...args: unknown[]) => {
      const target = suppressTarget(args);
      if (target) await suppressWithJustification(languageClient, target);
    }),
    vscode.commands.registerCommand(COMMANDS.showRuleDocs, async (urlOrRuleId: unknown) => {
      if (typeof urlOrRuleId !== 'string') return;
      const bundled = bundledRuleDoc(urlOrRuleId);
      // The bundled page matches the installed version and works offline; a rule without one opens the URL.
      if (bundled && (await exists(vscode.Uri.joinPath(context.extensionUri, bundled)))) await openBundledMarkdown(bundled);
      else if (/^https?:/.test(urlOrRuleId)) await vscode.env.openExternal(vscode.Uri.parse(urlOrRuleId));
    }),
    vscode.commands.registerCommand(COMMANDS.openRuleReference, () => openBundledMarkdown('docs/rules.md')),
    // Untrusted workspaces get built-in rules only; once trusted, restart so the server loads everything.
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      showStatus(undefined);
      await languageClient.restart();
    }),
  );

  await languageClient.start();
}

/** Asks for the justification (an empty one is refused), then lets the server insert the comment. */
async function suppressWithJustification(languageClient: LanguageClient, target: SuppressTarget): Promise<void> {
  const justification = await vscode.window.showInputBox({
    title: `Suppress ${target.ruleId} ${target.kind === 'same-line' ? 'on this line' : 'on the next line'}`,
    prompt: 'Why is this finding acceptable? The justification stays in the code as audit evidence. ' +
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

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(() => true, () => false);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
