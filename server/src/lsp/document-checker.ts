/**
 * Checks open documents as they change: keeps the tree-sitter trees of the documents checked last between
 * edits (re-parsing incrementally), debounces, never publishes results for a version that is no longer
 * current, and frees a tree when its document closes or has not been checked for a while.
 */
import * as path from 'path';
import { performance } from 'perf_hooks';
import type { Connection, Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Tree } from 'web-tree-sitter';
import { parseFile, runRules, type CheckInput } from '../core/check';
import { FileBudget } from '../core/file-budget';
import { ruleReads } from '../core/discover';
import { detectFileLanguage, detectLanguage } from '../core/language';
import { SourceText } from '../core/text';
import type { EffectiveRule, Finding, LanguageId, ResolvedConfig } from '../core/types';
import { CheckCosts } from './check-costs';
import { ConfigProblems } from './config-problems';
import { shownInEditor } from './diagnostic-levels';
import { findingToDiagnostic, type PresentationSettings } from './diagnostics';
import type { FolderConfigs } from './folder-config';
import { applyContentChanges } from './incremental';
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
  tree?: Tree;
  /** What the tree was parsed as: a .h file may turn out to be C++, and then stays C++. */
  treeLanguage?: LanguageId;
  cancelTimer?: () => void;
  /** Checks of one document run one after another. */
  queue: Promise<void>;
  shown?: ShownResult;
  /** Settings or configuration changed: check again even if the version did not. */
  stale: boolean;
  closed: boolean;
  /** A check is under way: its tree must not be freed to make room for another document's. */
  checking: boolean;
  /** The rules that apply, kept until the configuration, the path or the language changes. */
  rules?: { config: ResolvedConfig; relativePath: string; language: LanguageId; rules: EffectiveRule[] };
}

/**
 * Trees are kept only for re-parsing the documents being edited. A tree lives in tree-sitter's WebAssembly
 * memory, which grows to the largest amount ever in use and is never given back to the system, so holding
 * the trees of every open document (hundreds, after "open all") would fix the server's size at its peak.
 * The documents checked most recently keep theirs, within a count and a total text size; any other
 * document is parsed in full on its next edit (about 30 ms for 5,000 lines) and then keeps its tree again.
 */
const MAX_KEPT_TREES = 8;
const MAX_KEPT_TREE_TEXT = 2_000_000;

/** Where a document's rules come from. */
type Target =
  | { kind: 'check'; config: ResolvedConfig; relativePath: string; language: LanguageId; settings: Settings }
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

export class DocumentChecker {
  private readonly open = new Map<string, OpenDocument>();
  /** Unsuppressed findings published per URI, for the status bar count. */
  private readonly counts = new Map<string, number>();
  private checking = 0;
  private lastStatus = '';
  /** Per URI, the reasons for not checking it that were already logged. */
  private readonly skippedNotes = new Map<string, Set<string>>();
  /** Documents that hold a tree, least recently checked first. */
  private readonly treeHolders = new Set<OpenDocument>();
  readonly costs = new CheckCosts();
  readonly configProblems: ConfigProblems;

  constructor(
    private readonly connection: Connection,
    private readonly settings: SettingsProvider,
    private readonly configs: FolderConfigs,
    private readonly folders: WorkspaceFolders,
  ) {
    this.configProblems = new ConfigProblems(connection, (uri) => this.republish(uri));
  }

  // -------------------------------------------------------------------------------------------------
  // Document lifecycle

  didOpen(uri: string, languageId: string, version: number, text: string): void {
    const previous = this.open.get(uri);
    if (previous) this.dispose(previous);
    const open: OpenDocument = {
      uri,
      document: TextDocument.create(uri, languageId, version, text),
      path: uriToPath(uri),
      editorLanguage: languageId,
      queue: Promise.resolve(),
      stale: false,
      closed: false,
      checking: false,
    };
    this.open.set(uri, open);
    this.schedule(open, 'now');
  }

  didChange(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): void {
    const open = this.open.get(uri);
    if (!open) return;
    const { document, treeStillValid } = applyContentChanges(open.document, changes, version, open.tree);
    open.document = document;
    if (!treeStillValid) this.dropTree(open);
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

  stats(): { openDocuments: number; trees: number } {
    let trees = 0;
    for (const open of this.open.values()) if (open.tree) trees++;
    return { openDocuments: this.open.size, trees };
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
    open.checking = true;
    this.sendStatus();
    try {
      const settings = await this.settings.get(open.uri);
      if (open.closed || open.document.version !== version) return; // a newer check is scheduled
      open.stale = false;
      const target = this.targetOf(open, settings);
      if (target.kind === 'skip') {
        if (target.reason) this.noteSkipped(open.uri, target.reason);
        this.dropTree(open);
        this.show(open, version, [], new SourceText(''), settings);
        return;
      }
      const input: CheckInput = {
        path: open.path ?? open.uri,
        relativePath: target.relativePath,
        text: open.document.getText(),
        language: target.language,
        testCode: target.config.testCodeFor(target.relativePath),
      };
      const rules = this.rulesOf(open, target);
      if (rules.length === 0) {
        this.dropTree(open);
        this.show(open, version, [], new SourceText(input.text), settings);
        return;
      }
      const previous = open.tree && open.treeLanguage === target.language ? open.tree : undefined;
      if (open.tree && !previous) this.dropTree(open);
      const parseStarted = performance.now();
      const budget = new FileBudget(target.config.fileBudgetMs);
      const parsed = await parseFile(input, previous, budget);
      if (open.closed || open.document.version !== version) {
        // Edits arrived while parsing: they were applied to `previous`, which stays the document's tree.
        parsed.tree?.delete();
        return;
      }
      if (parsed.tree !== previous) previous?.delete();
      open.tree = parsed.tree;
      open.treeLanguage = parsed.tree ? parsed.language : undefined;
      const rulesStarted = performance.now();
      const result = runRules(input, parsed, rules, this.costs.addRule, budget);
      if (result.notAnalysed) this.noteSkipped(open.uri, result.notAnalysed);
      const rulesEnded = performance.now();
      for (const failure of result.ruleFailures) {
        this.connection.console.error(`medsec: rule ${failure.ruleId} failed on ${open.uri}: ${failure.error}`);
      }
      const shown = result.findings.filter((finding) => shownInEditor(finding, settings));
      const commentLines = new Set(parsed.model.comments.map((comment) => parsed.text.positionAt(comment.start).line));
      this.show(open, version, shown, parsed.text, settings, commentLines);
      this.costs.addCheck(rulesStarted - parseStarted, rulesEnded - rulesStarted, performance.now() - started);
    } finally {
      this.checking--;
      open.checking = false;
      if (open.tree && !open.closed) this.keepTree(open);
      this.sendStatus();
    }
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

  /** Marks the document's tree as the most recently used and frees the trees of documents left behind. */
  private keepTree(open: OpenDocument): void {
    this.treeHolders.delete(open);
    this.treeHolders.add(open);
    let count = 0;
    let text = 0;
    for (const holder of this.treeHolders) {
      count++;
      text += holder.document.getText().length;
    }
    for (const holder of this.treeHolders) {
      if (count <= MAX_KEPT_TREES && text <= MAX_KEPT_TREE_TEXT) break;
      if (holder === open) break; // the document just checked always keeps its tree
      if (holder.checking) continue;
      count--;
      text -= holder.document.getText().length;
      this.dropTree(holder);
    }
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
    } else {
      config = this.configs.builtin(settings.ruleSet);
      relativePath = path.posix.basename(name); // the preset alone: no ignore globs
    }
    const limit = settings.maxFileSize > 0 ? settings.maxFileSize : config.maxFileSize;
    // UTF-16 length is close enough to the byte size for a size guard, and costs nothing to compute.
    const size = open.document.getText().length;
    if (size > limit) return { kind: 'skip', reason: `it is larger than the ${limit}-byte limit (maxFileSize)` };
    return { kind: 'check', config, relativePath, language: detected, settings };
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

  private logFailure(open: OpenDocument, error: unknown): void {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.connection.console.error(`medsec: checking ${open.uri} failed; the file is skipped: ${detail}`);
  }

  private dropTree(open: OpenDocument): void {
    open.tree?.delete();
    open.tree = undefined;
    open.treeLanguage = undefined;
    this.treeHolders.delete(open);
  }

  private dispose(open: OpenDocument): void {
    open.closed = true;
    open.cancelTimer?.();
    open.shown = undefined;
    // A check in flight may still hold the tree: free it once the queue is done with it.
    void open.queue.then(() => this.dropTree(open));
  }
}

function nameOf(open: OpenDocument): string {
  return open.path ?? decodeURIComponent(open.uri.replace(/[?#].*$/, ''));
}

function firstLine(document: TextDocument): string {
  return document.getText({ start: { line: 0, character: 0 }, end: { line: 0, character: 200 } });
}
