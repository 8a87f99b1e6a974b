/**
 * The medsec language server: `node server/out/server.js --stdio` in any LSP editor.
 * Thin by design: the engine (core/) finds, this file wires LSP messages to the modules beside it.
 */
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocumentSyncKind,
  type CodeAction,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { COMMANDS, justificationProblem, type InitializationOptions, type SuppressionKind } from '../../../shared/protocol';
import { builtinRegistry } from '../builtin-registry';
import type { Rule } from '../core/types';
import { toolVersion } from '../core/version';
import { fixAllAction, kindRequested, quickFixActions, workspaceEdit, type EditTarget } from './code-actions';
import { DocumentChecker } from './document-checker';
import { ruleDocsLink } from './docs-links';
import { FolderConfigs, nestedConfigFolders } from './folder-config';
import { applyHeapPolicy } from './heap-policy';
import { hoverMarkdown } from './hover';
import { startLines } from './server-log';
import { toLspRange } from './diagnostics';
import { FIX_ALL_KIND, SERVER_COMMANDS, STATS_REQUEST, type StatsParams, type StatsResult } from './protocol';
import { applyRuleOff, RuleOffRefusal } from './rule-off';
import { SettingsProvider } from './settings-provider';
import { canSuppressInSource, suppressionEdit } from './suppression-edit';
import { pathToUri, WorkspaceFolders } from './workspace-folders';
import { WorkspaceScanner } from './workspace-scan';
import { pushAll } from '../core/arrays';

const connection = createConnection(ProposedFeatures.all);
const heapGrowingPercent = applyHeapPolicy();
const folders = new WorkspaceFolders();
const configs = new FolderConfigs(builtinRegistry, (line) => connection.console.info(line));
const rulesById = new Map<string, Rule>(builtinRegistry.rules.map((rule) => [rule.meta.id, rule]));
let settings: SettingsProvider;
let checker: DocumentChecker;
let scanner: WorkspaceScanner;
let documentChanges = false;
let watchRegistration = false;
let configurationRegistration = false;
let workspaceFolderEvents = false;
let trustedWorkspace = true;

// Nothing may take the server down: log and keep serving the other files.
process.on('uncaughtException', (error) => connection.console.error(`medsec: unexpected error: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`medsec: unexpected rejection: ${String(reason)}`));

connection.onInitialize((params): InitializeResult => {
  const capabilities = params.capabilities;
  const options = (params.initializationOptions ?? {}) as InitializationOptions;
  folders.set(params.workspaceFolders, params.rootUri);
  documentChanges = !!capabilities.workspace?.workspaceEdit?.documentChanges;
  watchRegistration = !!capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  configurationRegistration = !!capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
  workspaceFolderEvents = !!capabilities.workspace?.workspaceFolders;
  const trustSignal = typeof options.trustedWorkspace === 'boolean' ? options.trustedWorkspace : undefined;
  // For the start line only: a client with no trust signal is in Restricted Mode unless the user's settings say otherwise.
  trustedWorkspace = trustSignal === true;
  settings = new SettingsProvider(connection, !!capabilities.workspace?.configuration, trustSignal, options.commandLinks === true);
  checker = new DocumentChecker(connection, settings, configs, folders);
  scanner = new WorkspaceScanner(connection, folders, settings, configs, checker);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      hoverProvider: true,
      executeCommandProvider: { commands: SERVER_COMMANDS },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'medsec' },
  };
});

connection.onInitialized(() => {
  for (const line of startLines(toolVersion(), folders.all(), trustedWorkspace)) connection.console.info(line);
  if (configurationRegistration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'medsec' });
  if (watchRegistration) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/.medsec.json' }] });
  }
  if (workspaceFolderEvents) {
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      folders.change(event.added, event.removed);
      configurationChanged();
    });
  }
  void validateFolderConfigs();
});

connection.onDidOpenTextDocument(({ textDocument }) =>
  checker.didOpen(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.text),
);
connection.onDidChangeTextDocument(({ textDocument, contentChanges }) =>
  checker.didChange(textDocument.uri, textDocument.version, contentChanges),
);
connection.onDidSaveTextDocument(({ textDocument }) => checker.didSave(textDocument.uri));
connection.onDidCloseTextDocument(({ textDocument }) => {
  checker.didClose(textDocument.uri);
  void scanner.documentClosed(textDocument.uri);
});

connection.onDidChangeConfiguration((params) => {
  settings.reset(params.settings);
  configurationChanged();
});
connection.onDidChangeWatchedFiles(() => configurationChanged());

function configurationChanged(): void {
  configs.clear();
  checker.recheckAll();
  void validateFolderConfigs();
}

/**
 * Reports a broken `.medsec.json` even when no file of its folder is open: each workspace folder's, and the
 * nested ones below it (core/nested-config.ts), which are reported the same way.
 */
async function validateFolderConfigs(): Promise<void> {
  for (const root of folders.all()) {
    try {
      const folderSettings = await settings.get(pathToUri(root));
      if (!folderSettings.enable) continue;
      const withConfig = [root, ...(await nestedConfigFolders(root))];
      for (const folder of withConfig) {
        const loaded = configs.get(folder, folderSettings, root);
        if (loaded.ok) checker.configProblems.clear(folder);
        else checker.configProblems.report(folder, loaded.error);
      }
      // A nested file that was deleted takes its error with it.
      for (const folder of checker.configProblems.folders()) {
        if (folders.folderOf(folder) === root && !withConfig.includes(folder)) checker.configProblems.clear(folder);
      }
    } catch (error) {
      connection.console.error(`medsec: cannot load the configuration of ${root}: ${String(error)}`);
    }
  }
}

connection.onHover(async ({ textDocument, position }) => {
  const shown = checker.currentResult(textDocument.uri);
  if (!shown) return null;
  const at = shown.text.offsetAt({ line: position.line, column: position.character });
  const here = shown.findings.filter((finding) => finding.span.start <= at && at <= finding.span.end);
  if (!here.length) return null;
  const documentSettings = await settings.get(textDocument.uri);
  const docsLink = (ruleId: string) => ruleDocsLink(ruleId, documentSettings);
  return { contents: hoverMarkdown(here, rulesById, docsLink), range: toLspRange(here[0].range) };
});

connection.onCodeAction(async ({ textDocument, context }) => {
  const document = checker.documentOf(textDocument.uri);
  if (!document) return [];
  const target: EditTarget = { uri: textDocument.uri, version: document.version, documentChanges };
  const actions: CodeAction[] = [];
  if (kindRequested(context.only, CodeActionKind.QuickFix)) {
    const commentLines = checker.currentResult(textDocument.uri)?.commentLines ?? new Set<number>();
    pushAll(actions, quickFixActions(target, context.diagnostics, commentLines));
  }
  if (context.only && kindRequested(context.only, FIX_ALL_KIND)) {
    const shown = await checker.resultNow(textDocument.uri);
    if (shown && shown.version === checker.documentOf(textDocument.uri)?.version) {
      const fixAll = fixAllAction({ ...target, version: shown.version }, shown.findings, shown.text);
      if (fixAll) actions.push(fixAll);
    }
  }
  return actions;
});

connection.onExecuteCommand(async ({ command, arguments: args = [] }) => {
  switch (command) {
    case COMMANDS.scanWorkspace:
      return scanner.scan();
    case COMMANDS.applySuppression:
      return applySuppression(args);
    case COMMANDS.applyRuleOff:
      return turnRuleOff(args);
    default:
      throw new ResponseError(ErrorCodes.InvalidRequest, `medsec: unknown command ${command}`);
  }
});

/** `medsec.applySuppression(uri, version, line, ruleId, kind, justification)`. */
async function applySuppression(args: unknown[]): Promise<{ applied: boolean }> {
  const [uri, version, line, ruleId, kind, justification] = args;
  const invalid = (message: string) => new ResponseError(ErrorCodes.InvalidParams, `medsec: ${message}`);
  if (typeof uri !== 'string') throw invalid('the first argument must be the document URI');
  const document = checker.documentOf(uri);
  if (!document) throw invalid(`${uri} is not open`);
  if (typeof version === 'number' && version !== document.version) {
    throw invalid('the document changed since the action was offered; try again');
  }
  if (typeof line !== 'number' || !Number.isInteger(line) || line < 0 || line >= document.lineCount) {
    throw invalid('the line is not in the document');
  }
  if (typeof ruleId !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(ruleId)) throw invalid('the rule id is not valid');
  if (kind !== 'same-line' && kind !== 'next-line') throw invalid('the kind must be "same-line" or "next-line"');
  const problem = justificationProblem(justification);
  if (problem) throw invalid(problem);
  const language = checker.languageOf(uri);
  if (!language || !canSuppressInSource(language)) throw invalid('this file has no comments; suppress the finding in .medsec.json instead');
  const edit = suppressionEdit(document, language, line, ruleId, kind as SuppressionKind, justification as string);
  const target: EditTarget = { uri, version: document.version, documentChanges };
  const result = await connection.workspace.applyEdit({ label: `Suppress ${ruleId}`, edit: workspaceEdit(target, [edit]) });
  return { applied: result.applied };
}

/** `medsec.applyRuleOff(uri, ruleId, scope, justification)`; the changed configuration applies at once. */
async function turnRuleOff(args: unknown[]): Promise<{ configUri: string }> {
  const context = {
    folders,
    configs,
    settings,
    isRule: (id: string) => rulesById.has(id),
    openText: (uri: string) => checker.documentOf(uri)?.getText(),
  };
  try {
    const result = await applyRuleOff(args, context);
    configurationChanged();
    return result;
  } catch (error) {
    if (error instanceof RuleOffRefusal) throw new ResponseError(ErrorCodes.InvalidParams, `medsec: ${error.message}`);
    throw error;
  }
}

connection.onRequest(STATS_REQUEST, (params?: StatsParams): StatsResult => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (params?.gc && gc) gc();
  const memory = process.memoryUsage();
  const costs = checker.costs.summary();
  if (params?.resetCosts) checker.costs.reset();
  return {
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    heapTotal: memory.heapTotal,
    external: memory.external,
    arrayBuffers: memory.arrayBuffers,
    ...checker.stats(),
    heapGrowingPercent,
    costs,
  };
});

// The document worker is unref'd, so it never keeps the process alive; ending it here frees it at once.
connection.onShutdown(() => checker?.shutdown());

connection.listen();
