/**
 * `medsec.scanWorkspace`: discovers and checks every file of every workspace folder with the engine,
 * publishes diagnostics for each file with findings (the Problems panel), reports `$/progress`, and stops
 * when the user cancels the progress.
 */
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import type { Connection } from 'vscode-languageserver';
import { checkFile } from '../core/check';
import { discoverFiles, ruleReads, type DiscoveredFile } from '../core/discover';
import type { NestedConfigs } from '../core/nested-config';
import { decodeSource, looksBinary, SourceText } from '../core/text';
import { SEVERITIES, type EffectiveRule, type Finding, type Severity } from '../core/types';
import type { TestCodeClass } from '../core/test-code';
import { shownInEditor } from './diagnostic-levels';
import { findingToDiagnostic } from './diagnostics';
import type { FileOutcome } from '../core/file-outcome';
import type { DocumentChecker } from './document-checker';
import type { FolderConfigs } from './folder-config';
import type { ScanSummary } from './protocol';
import { scanSummaryLine } from './server-log';
import type { Settings } from './settings';
import type { SettingsProvider } from './settings-provider';
import { pathToUri, uriToPath, type WorkspaceFolders } from './workspace-folders';
import { checkOffThread } from './workspace-scan-workers';

function emptySummary(): ScanSummary {
  return {
    folders: 0,
    files: 0,
    filesWithFindings: 0,
    findings: 0,
    skipped: 0,
    configErrors: [],
    cancelled: false,
    durationMs: 0,
    bySeverity: Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>,
  };
}

type FileChecks = { rules: EffectiveRule[]; testCode: TestCodeClass; budgetMs: number };

interface FolderWork {
  /** The folder's configurations: its own and the nested ones (core/nested-config.ts). */
  configs: NestedConfigs;
  settings: Settings;
  files: DiscoveredFile[];
}

/** What checking `file` takes: the rules that read its language, its test-code class and its time budget. */
function checksOf(folder: FolderWork, file: DiscoveredFile): FileChecks {
  const rules = folder.configs.rulesFor(file.path).filter((effective) => ruleReads(effective, file.language));
  const budgetMs = (folder.configs.ofFile(file.path) ?? folder.configs.root).fileBudgetMs;
  return { rules, testCode: folder.configs.testCodeFor(file.path), budgetMs };
}

export class WorkspaceScanner {
  /** URIs the last scan published findings for (cleared by the next scan when they have none). */
  private published = new Set<string>();
  private running: Promise<ScanSummary> | undefined;
  /** The folders the last finished scan checked, so a file can be checked again when its editor closes. */
  private scanned: FolderWork[] = [];

  constructor(
    private readonly connection: Connection,
    private readonly folders: WorkspaceFolders,
    private readonly settings: SettingsProvider,
    private readonly configs: FolderConfigs,
    private readonly checker: DocumentChecker,
  ) {}

  /** A scan already under way is joined rather than started twice. */
  scan(): Promise<ScanSummary> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /**
   * Closing a document clears its live results; a file the last scan checked shows what is on disk again, as
   * a scan would, rather than dropping out of Problems until the next scan.
   */
  async documentClosed(uri: string): Promise<void> {
    const filePath = uriToPath(uri);
    for (const folder of this.scanned) {
      const file = folder.files.find((candidate) => candidate.path === filePath);
      if (!file) continue;
      const checks = checksOf(folder, file);
      if (checks.rules.length) await this.scanFile(file, checks, folder.settings, emptySummary(), this.published);
      return;
    }
  }

  private async run(): Promise<ScanSummary> {
    const started = performance.now();
    const summary = emptySummary();
    const progress = await this.connection.window.createWorkDoneProgress();
    progress.begin('medsec: scanning the workspace', 0, 'finding files', true);
    try {
      const work = await this.discover(summary);
      const total = work.reduce((sum, folder) => sum + folder.files.length, 0);
      const nowPublished = new Set<string>();
      const cancelled = () => progress.token.isCancellationRequested;
      let done = 0;
      let lastReport = 0;
      const tick = (file: DiscoveredFile) => {
        const percentage = Math.floor((++done / Math.max(1, total)) * 100);
        if (percentage === lastReport) return;
        lastReport = percentage;
        progress.report(percentage, `${done}/${total} ${file.relativePath}`);
      };
      for (const folder of work) {
        if (cancelled()) break;
        const withRules: DiscoveredFile[] = [];
        for (const file of folder.files) {
          if (checksOf(folder, file).rules.length) withRules.push(file);
          else tick(file);
        }
        const record = async (file: DiscoveredFile, outcome: FileOutcome) => {
          await this.record(file, outcome, folder.settings, summary, nowPublished);
          tick(file);
        };
        const left = await checkOffThread(withRules, folder.configs, cancelled, record);
        for (const file of left) {
          if (cancelled()) break;
          await this.scanFile(file, checksOf(folder, file), folder.settings, summary, nowPublished);
          tick(file);
          // Let edits, requests and the cancel notification through between files.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
      summary.cancelled = progress.token.isCancellationRequested;
      if (!summary.cancelled) {
        for (const uri of this.published) {
          if (!nowPublished.has(uri) && !this.checker.isOpen(uri)) this.checker.publish(uri, []);
        }
        this.published = nowPublished;
        this.scanned = work;
      } else {
        for (const uri of nowPublished) this.published.add(uri);
      }
    } finally {
      progress.done();
    }
    summary.durationMs = Math.round(performance.now() - started);
    this.connection.console.info(scanSummaryLine(summary));
    return summary;
  }

  private async discover(summary: ScanSummary): Promise<FolderWork[]> {
    const work: FolderWork[] = [];
    for (const root of this.folders.all()) {
      const settings = await this.settings.get(pathToUri(root));
      if (!settings.enable) continue;
      const loaded = this.configs.get(root, settings);
      if (!loaded.ok) {
        this.checker.configProblems.report(root, loaded.error);
        summary.configErrors.push(loaded.error.message);
        continue;
      }
      this.checker.configProblems.clear(root);
      try {
        const configs = this.configs.nestedIn(root, loaded.config, settings);
        const discovery = await discoverFiles(root, [], loaded.config, configs);
        this.reportBrokenNested(root, configs, settings, summary);
        summary.folders++;
        summary.skipped += discovery.skipped.length;
        work.push({ configs, settings, files: discovery.files });
      } catch (error) {
        this.connection.console.error(
          `medsec: cannot list the files of ${root}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return work;
  }

  /** A broken nested `.medsec.json` is reported like a root one; discovery left its folder out. */
  private reportBrokenNested(root: string, configs: NestedConfigs, settings: Settings, summary: ScanSummary): void {
    for (const folder of configs.broken()) {
      const loaded = this.configs.get(folder, settings, root);
      if (loaded.ok) continue;
      this.checker.configProblems.report(folder, loaded.error);
      summary.configErrors.push(loaded.error.message);
    }
  }

  private async scanFile(
    file: DiscoveredFile,
    { rules, testCode, budgetMs }: FileChecks,
    settings: Settings,
    summary: ScanSummary,
    published: Set<string>,
  ): Promise<void> {
    let findings: Finding[];
    let text: SourceText;
    try {
      const bytes = await fs.promises.readFile(file.path);
      if (looksBinary(bytes)) {
        summary.skipped++;
        return;
      }
      const decoded = decodeSource(bytes);
      text = new SourceText(decoded.text);
      const result = await checkFile(
        {
          path: file.path,
          relativePath: file.relativePath,
          text: decoded.text,
          language: file.language,
          invalidUtf8: decoded.invalidUtf8,
          testCode,
        },
        rules,
        budgetMs,
      );
      findings = result.findings.filter((finding) => shownInEditor(finding, settings));
    } catch (error) {
      summary.skipped++;
      this.connection.console.error(
        `medsec: scanning ${file.relativePath} failed; skipped: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    this.publish(file, findings, text, settings, summary, published);
  }

  /** A worker's outcome for a file: counted, and its findings published with the file's text for positions. */
  private async record(
    file: DiscoveredFile,
    outcome: FileOutcome,
    settings: Settings,
    summary: ScanSummary,
    published: Set<string>,
  ): Promise<void> {
    if (outcome.kind === 'skipped') {
      summary.skipped++;
      return;
    }
    const findings = outcome.result.findings.filter((finding) => shownInEditor(finding, settings));
    if (!findings.length) {
      summary.files++;
      return;
    }
    try {
      const text = new SourceText(decodeSource(await fs.promises.readFile(file.path)).text);
      this.publish(file, findings, text, settings, summary, published);
    } catch (error) {
      summary.skipped++;
      this.connection.console.error(
        `medsec: scanning ${file.relativePath} failed; skipped: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private publish(
    file: DiscoveredFile,
    findings: Finding[],
    text: SourceText,
    settings: Settings,
    summary: ScanSummary,
    published: Set<string>,
  ): void {
    summary.files++;
    if (!findings.length) return;
    summary.filesWithFindings++;
    summary.findings += findings.length;
    for (const finding of findings) summary.bySeverity[finding.severity]++;
    const uri = pathToUri(file.path);
    published.add(uri);
    // An open document's live results are newer than the file on disk.
    if (!this.checker.isOpen(uri))
      this.checker.publish(
        uri,
        findings.map((finding) => findingToDiagnostic(finding, text, 0, settings)),
      );
  }
}
