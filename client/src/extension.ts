/**
 * The medsec VS Code extension: starts the bundled language server and adds the few things only the
 * editor can do (status item and its menu, input box for a suppression's justification, opening docs and
 * the configuration, the output channel, restarting). All checking happens in the server
 * (server/src/lsp), which any LSP editor can run.
 */
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { COMMANDS, STATUS_NOTIFICATION, type InitializationOptions, type ScanSummary, type StatusParams } from '../../shared/protocol';
import { exists, openConfiguration } from './configuration-file';
import { bundledRuleDoc, scanSummaryMessage, suppressTarget } from './presentation';
import { CONFIG_FILE_GLOB, documentSelector } from './selector';
import { serverEnvironment } from './server-environment';
import { showStatusMenu, StatusItem } from './status-item';
import { suppressWithJustification, turnOffRuleWithJustification } from './suppress';

let client: LanguageClient | undefined;
/** Whether the user ran Scan Workspace in this window: a restart runs it again (see `restart`). */
let workspaceScanned = false;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath('server/out/server.js');
  const env = serverEnvironment(process.env);
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { env } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    synchronize: {
      configurationSection: 'medsec',
      fileEvents: vscode.workspace.createFileSystemWatcher(CONFIG_FILE_GLOB),
    },
    // A function, so that the restart after the user grants trust sends the new value.
    initializationOptions: (): InitializationOptions => ({ trustedWorkspace: vscode.workspace.isTrusted, commandLinks: true }),
    // Hovers link to the bundled rule documentation with a command: link; no other command may run from them.
    markdown: { isTrusted: { enabledCommands: [COMMANDS.showRuleDocs] } },
    middleware: {
      // Scan Workspace is the server's command; what it returns becomes the summary notification.
      executeCommand: async (command, args, next) => {
        const result: unknown = await next(command, args);
        if (command === COMMANDS.scanWorkspace) workspaceScanned = true;
        if (command === COMMANDS.scanWorkspace && isScanSummary(result)) void showScanSummary(result);
        return result;
      },
    },
  };
  // The client's id makes `medsec.trace.server` the trace setting; its name is the output channel's.
  const languageClient = new LanguageClient('medsec', 'medsec', serverOptions, clientOptions);
  client = languageClient;
  const status = new StatusItem();

  const openBundledMarkdown = (relativePath: string) =>
    vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(context.extensionUri, relativePath));
  const restart = async (reason: string) => {
    languageClient.info(`Restarting the server: ${reason}`);
    status.show(undefined);
    await languageClient.restart();
    // Stopping the server drops every diagnostic it published, the workspace scan's too; the new server only
    // checks open files. Scan again, without the summary toast, so Problems shows what it showed before.
    if (workspaceScanned) {
      languageClient.info('Scanning the workspace again after the restart');
      await languageClient.sendRequest(ExecuteCommandRequest.type, { command: COMMANDS.scanWorkspace, arguments: [] });
    }
  };

  context.subscriptions.push(
    status,
    languageClient.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => status.show(params)),
    vscode.commands.registerCommand(COMMANDS.suppress, async (...args: unknown[]) => {
      const target = suppressTarget(args);
      if (target) await suppressWithJustification(languageClient, target);
    }),
    vscode.commands.registerCommand(COMMANDS.turnOffRule, (...args: unknown[]) => turnOffRuleWithJustification(languageClient, args)),
    vscode.commands.registerCommand(COMMANDS.showRuleDocs, async (urlOrRuleId: unknown) => {
      if (typeof urlOrRuleId !== 'string') return;
      const bundled = bundledRuleDoc(urlOrRuleId);
      // The bundled page matches the installed version and works offline; a rule without one opens the URL.
      if (bundled && (await exists(vscode.Uri.joinPath(context.extensionUri, bundled)))) await openBundledMarkdown(bundled);
      else if (/^https?:/.test(urlOrRuleId)) await vscode.env.openExternal(vscode.Uri.parse(urlOrRuleId));
      else void vscode.window.showInformationMessage(`medsec: no documentation is bundled for ${urlOrRuleId}.`);
    }),
    vscode.commands.registerCommand(COMMANDS.openRuleReference, () => openBundledMarkdown('docs/rules.md')),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => languageClient.outputChannel.show(true)),
    vscode.commands.registerCommand(COMMANDS.restartServer, () => restart('the Restart Server command')),
    vscode.commands.registerCommand(COMMANDS.showMenu, showStatusMenu),
    vscode.commands.registerCommand(COMMANDS.openConfiguration, openConfiguration),
    // Untrusted workspaces get built-in rules only; once trusted, restart so the server loads everything.
    vscode.workspace.onDidGrantWorkspaceTrust(() => restart('the workspace is now trusted')),
  );

  await languageClient.start();
}

async function showScanSummary(summary: ScanSummary): Promise<void> {
  const openProblems = 'Open Problems';
  const show = summary.configErrors.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  if ((await show(scanSummaryMessage(summary), openProblems)) === openProblems) {
    await vscode.commands.executeCommand('workbench.actions.view.problems');
  }
}

function isScanSummary(value: unknown): value is ScanSummary {
  const summary = value as ScanSummary | undefined;
  return !!summary && typeof summary.findings === 'number' && !!summary.bySeverity && Array.isArray(summary.configErrors);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
