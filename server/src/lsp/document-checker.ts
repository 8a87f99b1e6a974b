/**
 * Checks open documents as they change: debounces, hands each check to the document worker thread
 * (document-worker-client.ts; the worker keeps the tree-sitter trees of the documents edited last and
 * re-parses them incrementally from the edits sent along), and never publishes results for a version that
 * is no longer current. The main thread only applies edits and publishes, so it keeps answering requests
 * while a slow document is analysed.
 */
import * as path from 'path';
import { performance } from 'perf_hooks';
import type { Connection, Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CheckInput } from '../core/check';
import { ruleReads } from '../core/discover';
import { detectFileLanguage, detectLanguage } from '../core/language';
import { SourceText } from '../core/text';
import type { EffectiveRule, Finding, LanguageId, ResolvedConfig } from '../core/types';
import { CheckCosts } from './check-costs';
import { ConfigProblems } from './config-problems';
import { shownInEditor } from './diagnostic-levels';
import { findingToDiagnostic, type PresentationSettings } from './diagnostics';
import type { FolderConfigs } from './folder-config';
import { DocumentWorkerClient, type CheckOutcome } from './document-worker-client';
import type { WorkerMemory } from './document-worker-protocol';
import { appendEdits, applyContentChanges, type TreeEdit } from './incremental';
import { STATUS_NOTIFICATION, type StatusParams } from '../../../shared/protocol';
import type { Settings } from './settings';
import type { SettingsProvider } from './settings-provider';
import { uriToPath, type WorkspaceFolders } from './workspace-folders';

/** What was last published for a document: hover, code actions and fix-all read it. */
export interface ShownResult {
  version: number;
  findings: Finding[];
  text: SourceText;
  /** Lines on which a comment starts (an end-of-line suppression cannot go there). */
  commentLines: Set<number>;
  /** The settings the findings were shown with (levels, docs links), for publishing them again. */
  presentation: PresentationSettings;
}

interface OpenDocument {
  uri: string;
  document: TextDocument;
  /** File-system path for file: URIs. */
  path?: string;
  /** The language from the editor (`languageId`), used when the name says nothing. */
  editorLanguage: string;
  /** Edits since the text of the last check was sent: the worker mirrors them onto its tree. */
  edits: TreeEdit[] | 'reset';
  /** What the worker parsed it as: a .h file may turn out to be C++, and then stays C++. */
  treeLanguage?: LanguageId;
  cancelTimer?: () => void;
  /** Checks of one document run one after another. */
  queue: Promise<void>;
  shown?: ShownResult;
  /** Settings or configuration changed: check again even if the version did not. */
  stale: boolean;
  closed: boolean;
  /** The rules that apply, kept until the configuration, the path or the language changes. */
  rules?: { config: ResolvedConfig; relativePath: string; language: LanguageId; rules: EffectiveRule[] };
}

/** Where a document's rules come from; `workspaceRoot` is where its configuration's `extends` may read. */
type Target =
  | { kind: 'check'; config: ResolvedConfig; workspaceRoot: string; relativePath: string; language: LanguageId; settings: Settings }
  | { kind: 'skip'; reason?: string };

const EDITOR_LANGUAGES: Record<string, LanguageId> = {
  c: 'c',
  cpp: 'cpp',
  'cuda-cpp': 'cpp',
  arduino: 'cpp',
  python: 'python',
  java: 'java',
  kotlin: 'kotlin',
  typescript: 'typescript',
  typescriptreact: 'typescript',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  dotenv: 'dotenv',
  shellscript: 'shell',
  properties: 'kconfig',
  kconfig: 'kconfig',
  yaml: 'yaml',
  json: 'json',
  jsonc: 'json',
};

/** How long no document is open before the document worker is replaced by a fresh one (its memory released). */
const RELEASE_WORKER_AFTER_MS = 2000;

export class DocumentChecker {
  private readonly open = new Map<string, OpenDocument>();
  /** Unsuppressed findings published per URI, for the status bar count. */
  private readonly counts = new Map<string, number>();
  private checking = 0;
  private lastStatus = '';
  /** Per URI, the reasons for not checking it that were already logged. */
  private readonly skippedNotes = new Map<string, Set<string>>();
  private readonly worker: DocumentWorkerClient;
  private releaseTimer?: NodeJS.Timeout;
  readonly costs = new CheckCosts();
  readonly configProblems: ConfigProblems;

  constructor(
    private readonly connection: Connection,
    private readonly settings: SettingsProvider,
    private readonly configs: FolderConfigs,
    private readonly folders: WorkspaceFolders,
  ) {
    this.configProblems = new ConfigProblems(connection, (uri) => this.republish(uri));
    this.worker = new DocumentWorkerClient(undefined, (line) => connection.console.warn(line));
    this.worker.warmUp();
  }

  /** Ends the document worker (the server is shutting down). */
  shutdown(): void {
    clearTimeout(this.releaseTimer);
    this.worker.dispose();
  }

  // -------------------------------------------------------------------------------------------------
  // Document lifecycle

  didOpen(uri: string, languageId: string, version: number, text: string): void {
    clearTimeout(this.releaseTimer);
    const previous = this.open.get(uri);
    if (previous) this.dispose(previous);
    const open: OpenDocument = {
      uri,
      document: TextDocument.create(uri, languageId, version, text),
      path: uriToPath(uri),
      editorLanguage: languageId,
      edits: 'reset',
      queue: Promise.resolve(),
      stale: false,
      closed: false,
    };
    this.open.set(uri, open);
    if (uri.startsWith('file:') && !open.path) {
      // One line whatever the URI holds (JSON escapes control characters): no stack trace, no multi-line log.
      const shown = JSON.stringify(uri);
      this.connection.console.warn(
        `medsec: ${shown} is not a valid file URI; it is checked as an unsaved document, with the ruleSet setting alone`,
      );
    }
    this.schedule(open, 'now');
  }

  didChange(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): void {
    const open = this.open.get(uri);
    if (!open) return;
    const { document, edits } = applyContentChanges(open.document, changes, version);
    open.document = document;
    open.edits = appendEdits(open.edits, edits);
    this.schedule(open, 'change');
  }

  didSave(uri: string): void {
    const open = this.open.get(uri);
    if (open) this.schedule(open, 'save');
  }

  didClose(uri: string): void {
    const open = this.open.get(uri);
    if (!open) return;
    this.open.delete(uri);
    this.dispose(open);
    this.skippedNotes.delete(uri);
    this.settings.forget(uri);
    this.publish(uri, []);
    if (this.open.size === 0) this.releaseWorkerSoon();
  }

  /**
   * With nothing open for a moment, the worker's memory (trees, models, parsers) goes back to the system.
   * Not at once: an editor closes a preview tab just before opening the next file.
   */
  private releaseWorkerSoon(): void {
    clearTimeout(this.releaseTimer);
    this.releaseTimer = setTimeout(() => {
      if (this.open.size === 0) this.worker.releaseIdle();
    }, RELEASE_WORKER_AFTER_MS);
    this.releaseTimer.unref();
  }

  /** Re-checks every open document (settings or a configuration file changed). */
  recheckAll(): void {
    for (const open of this.open.values()) {
      open.stale = true;
      open.rules = undefined;
      this.schedule(open, 'now');
    }
  }

  isOpen(uri: string): boolean {
    return this.open.has(uri);
  }

  documentOf(uri: string): TextDocument | undefined {
    return this.open.get(uri)?.document;
  }

  /** The last published result, if it belongs to the document's current version. */
  currentResult(uri: string): ShownResult | undefined {
    const open = this.open.get(uri);
    return open?.shown && open.shown.version === open.document.version ? open.shown : undefined;
  }

  /** Checks now (no debounce) and returns the result for the current version (for fix-all). */
  async resultNow(uri: string): Promise<ShownResult | undefined> {
    const open = this.open.get(uri);
    if (!open) return undefined;
    if (!this.currentResult(uri)) await this.enqueue(open);
    return this.currentResult(uri);
  }

  /** The language a document is checked as (its file name first, then the editor's language id). */
  languageOf(uri: string): LanguageId | undefined {
    const open = this.open.get(uri);
    return open && this.languageOfOpen(open);
  }

  private languageOfOpen(open: OpenDocument): LanguageId | undefined {
    return (
      open.treeLanguage ??
      detectLanguage(nameOf(open), firstLine(open.document)) ??
      EDITOR_LANGUAGES[open.editorLanguage] ??
      detectFileLanguage(nameOf(open))
    );
  }

  stats(): { openDocuments: number; trees: number; worker?: WorkerMemory } {
    return {
      openDocuments: this.open.size,
      trees: this.worker.treesHeld().filter((uri) => this.open.has(uri)).length,
      worker: this.worker.workerMemory(),
    };
  }

  /** Records findings published by a workspace scan, for the status count. */
  noteCount(uri: string, findings: number): void {
    if (findings > 0) this.counts.set(uri, findings);
    else this.counts.delete(uri);
    this.sendStatus();
  }

  // -------------------------------------------------------------------------------------------------
  // Scheduling

  private schedule(open: OpenDocument, reason: 'now' | 'change' | 'save'): void {
    void this.settings.get(open.uri).then((settings) => {
      if (open.closed) return;
      if (reason === 'change' && settings.run === 'onSave') return;
      open.cancelTimer?.();
      const run = () => {
        open.cancelTimer = undefined;
        void this.enqueue(open);
      };
      const delay = reason === 'change' ? settings.debounceMs : 0;
      if (delay > 0) {
        const timer = setTimeout(run, delay);
        open.cancelTimer = () => clearTimeout(timer);
      } else {
        const immediate = setImmediate(run);
        open.cancelTimer = () => clearImmediate(immediate);
      }
    });
  }

  private enqueue(open: OpenDocument): Promise<void> {
    open.queue = open.queue.then(() => this.check(open)).catch((error) => this.logFailure(open, error));
    return open.queue;
  }

  // -------------------------------------------------------------------------------------------------
  // Checking

  private async check(open: OpenDocument): Promise<void> {
    if (open.closed) return;
    const version = open.document.version;
    if (open.shown?.version === version && !open.stale) return; // already checked this version
    const started = performance.now();
    this.checking++;
    this.sendStatus();
    try {
      const settings = await this.settings.get(open.uri);
      if (open.closed || open.document.version !== version) return; // a newer check is scheduled
      open.stale = false;
      const target = this.targetOf(open, settings);
      const input = target.kind === 'check' ? this.inputOf(open, target) : undefined;
      const rules = target.kind === 'check' ? this.rulesOf(open, target) : [];
      if (target.kind === 'skip' || !input || rules.length === 0) {
        if (target.kind === 'skip' && target.reason) this.noteSkipped(open.uri, target.reason);
        this.dropTree(open);
        this.show(open, version, [], new SourceText(input?.text ?? ''), settings);
        return;
      }
      const edits = open.edits;
      open.edits = [];
      const { config, workspaceRoot } = target;
      const outcome = await this.worker.check({ document: open.uri, input, edits, config, workspaceRoot });
      // Edits that arrived meanwhile are in open.edits, relative to the text the worker just parsed.
      if (open.closed || open.document.version !== version) return;
      this.showOutcome(open, version, input.text, outcome, settings, started);
    } finally {
      this.checking--;
      this.sendStatus();
    }
  }

  private inputOf(open: OpenDocument, target: Extract<Target, { kind: 'check' }>): CheckInput {
    return {
      path: open.path ?? open.uri,
      relativePath: target.relativePath,
      text: open.document.getText(),
      language: target.language,
      testCode: target.config.testCodeFor(target.relativePath),
    };
  }

  private showOutcome(open: OpenDocument, version: number, text: string, outcome: CheckOutcome, settings: Settings, started: number): void {
    if (outcome.kind === 'failed') throw new Error(outcome.message);
    if (outcome.kind === 'stopped') {
      this.noteSkipped(open.uri, outcome.reason);
      this.show(open, version, [], new SourceText(text), settings);
      return;
    }
    const { result, language, commentLines, parseMs, rulesMs, ruleCosts } = outcome.reply;
    open.treeLanguage = language;
    if (result.notAnalysed) this.noteSkipped(open.uri, result.notAnalysed);
    for (const failure of result.ruleFailures) {
      this.connection.console.error(`medsec: rule ${failure.ruleId} failed on ${open.uri}: ${failure.error}`);
    }
    const shown = result.findings.filter((finding) => shownInEditor(finding, settings));
    this.show(open, version, shown, new SourceText(text), settings, new Set(commentLines));
    for (const [ruleId, ms] of ruleCosts) this.costs.addRule(ruleId, ms);
    this.costs.addCheck(parseMs, rulesMs, performance.now() - started);
  }

  /** The rules that apply to the document, worked out again only when its configuration, path or language changed. */
  private rulesOf(open: OpenDocument, target: Extract<Target, { kind: 'check' }>): EffectiveRule[] {
    const known = open.rules;
    if (known && known.config === target.config && known.relativePath === target.relativePath && known.language === target.language) {
      return known.rules;
    }
    const rules = target.config.rulesFor(target.relativePath).filter((effective) => ruleReads(effective, target.language));
    open.rules = { config: target.config, relativePath: target.relativePath, language: target.language, rules };
    return rules;
  }

  private noteSkipped(uri: string, reason: string): void {
    let reasons = this.skippedNotes.get(uri);
    if (!reasons) this.skippedNotes.set(uri, (reasons = new Set()));
    if (reasons.has(reason)) return;
    reasons.add(reason);
    this.connection.console.info(`medsec: not checking ${uri}: ${reason}`);
  }

  private targetOf(open: OpenDocument, settings: Settings): Target {
    if (!settings.enable) return { kind: 'skip' };
    const file = open.path;
    const name = nameOf(open);
    const detected = this.languageOfOpen(open);
    if (!detected) return { kind: 'skip' };
    let config: ResolvedConfig;
    let relativePath: string;
    let workspaceRoot: string;
    const folder = file ? this.folders.folderOf(file) : undefined;
    if (file) {
      // The nearest .medsec.json up to the workspace folder (core/nested-config.ts), as the CLI finds it.
      const governing = this.configs.forFile(file, folder ?? path.dirname(file), settings);
      if (!governing.loaded.ok) {
        if (folder) this.configProblems.report(governing.folder, governing.loaded.error);
        return { kind: 'skip', reason: `the configuration is invalid: ${governing.loaded.error.message}` };
      }
      if (folder) this.configProblems.clear(governing.folder);
      if (governing.ignored) return { kind: 'skip' };
      config = governing.loaded.config;
      relativePath = path.relative(config.root, file).split(path.sep).join('/');
      if (relativePath.startsWith('..')) relativePath = path.basename(file);
      workspaceRoot = folder ?? config.root;
    } else {
      config = this.configs.builtin(settings.ruleSet);
      relativePath = path.posix.basename(name); // the preset alone: no ignore globs
      workspaceRoot = config.root;
    }
    const limit = settings.maxFileSize > 0 ? settings.maxFileSize : config.maxFileSize;
    // UTF-16 length is close enough to the byte size for a size guard, and costs nothing to compute.
    const size = open.document.getText().length;
    if (size > limit) return { kind: 'skip', reason: `it is larger than the ${limit}-byte limit (maxFileSize)` };
    return { kind: 'check', config, workspaceRoot, relativePath, language: detected, settings };
  }

  private show(
    open: OpenDocument,
    version: number,
    findings: Finding[],
    text: SourceText,
    presentation: PresentationSettings,
    commentLines = new Set<number>(),
  ): void {
    open.shown = { version, findings, text, commentLines, presentation };
    this.publish(
      open.uri,
      findings.map((finding) => findingToDiagnostic(finding, text, version, presentation)),
      version,
    );
  }

  // -------------------------------------------------------------------------------------------------
  // Publishing

  /** Publishes `diagnostics` plus any configuration error located in this file. */
  publish(uri: string, diagnostics: Diagnostic[], version?: number): void {
    const all = [...diagnostics, ...this.configProblems.diagnosticsFor(uri)];
    void this.connection.sendDiagnostics({ uri, version, diagnostics: all });
    this.noteCount(uri, diagnostics.length);
  }

  /** Publishes again what is known for `uri` (a configuration error appeared or went away there). */
  private republish(uri: string): void {
    const open = this.open.get(uri);
    const shown = open?.shown;
    if (open && shown) this.show(open, shown.version, shown.findings, shown.text, shown.presentation, shown.commentLines);
    else this.publish(uri, []);
  }

  private sendStatus(): void {
    let findings = 0;
    for (const count of this.counts.values()) findings += count;
    const status: StatusParams = this.configProblems.hasErrors()
      ? { state: 'error', findings, message: this.configProblems.firstMessage() }
      : { state: this.checking > 0 ? 'checking' : 'idle', findings };
    const key = JSON.stringify(status);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    void this.connection.sendNotification(STATUS_NOTIFICATION, status);
  }

  /** One line: the user reads the reason in the output channel; a stack trace says nothing to them. */
  private logFailure(open: OpenDocument, error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error);
    this.connection.console.error(`medsec: checking ${open.uri} failed; the file is skipped: ${detail}`);
  }

  /** The worker frees the document's tree; the next check parses in full. */
  private dropTree(open: OpenDocument): void {
    open.edits = 'reset';
    open.treeLanguage = undefined;
    this.worker.forget(open.uri);
  }

  private dispose(open: OpenDocument): void {
    open.closed = true;
    open.cancelTimer?.();
    open.shown = undefined;
    // Messages to the worker are handled in order: a check in flight finishes before its tree is freed.
    this.dropTree(open);
  }
}

/** The document's file name, for its language; a URI with malformed escapes (`%E0%A4%A`) is taken as it is. */
function nameOf(open: OpenDocument): string {
  if (open.path) return open.path;
  const withoutQuery = open.uri.replace(/[?#].*$/, '');
  try {
    return decodeURIComponent(withoutQuery);
  } catch {
    return withoutQuery;
  }
}

function firstLine(document: TextDocument): string {
  return document.getText({ start: { line: 0, character: 0 }, end: { line: 0, character: 200 } });
}
