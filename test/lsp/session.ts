/**
 * Test harness for the language server: spawns `node server/out/server.js --stdio` and speaks LSP to it
 * with vscode-languageserver-protocol, the way an editor would. Answers `workspace/configuration` from
 * `session.settings`, records `workspace/applyEdit`, diagnostics, messages and status notifications.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { afterAll, beforeAll } from 'vitest';
import {
  ApplyWorkspaceEditRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  WorkDoneProgressCancelNotification,
  WorkDoneProgressCreateRequest,
  type ApplyWorkspaceEditParams,
  type Diagnostic,
  type FileEvent,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ShowMessageParams,
  type TextDocumentContentChangeEvent,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import type { StatusParams } from '../../shared/protocol';

export const REPO = path.resolve(__dirname, '../..');
export const SERVER_JS = path.join(REPO, 'server/out/server.js');

/**
 * Builds the bundle when it is missing or older than the sources (several test files may ask at once, so
 * a lock folder lets one build while the others wait).
 */
let built = false;

export function ensureServerBuilt(): void {
  if (built) return;
  built = true;
  const newestSource = Math.max(
    ...['server/src', 'rules', 'schema', 'scripts/build.mjs'].map((entry) => newestMtime(path.join(REPO, entry))),
  );
  const isFresh = () => fs.existsSync(SERVER_JS) && fs.statSync(SERVER_JS).mtimeMs >= newestSource;
  if (isFresh()) return;
  const lock = path.join(REPO, 'server/out/.build-lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (isFresh()) return;
      // A lock left by a killed run is stale after two minutes.
      if (Date.now() > deadline || Date.now() - fs.statSync(lock).mtimeMs > 120_000) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (isFresh()) return;
    const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, encoding: 'utf8' });
    if (result.status !== 0 && !fs.existsSync(SERVER_JS)) throw new Error(`build failed:\n${result.stderr}`);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

export function fileUri(file: string): string {
  return pathToFileURL(file).href;
}

export interface SessionOptions {
  /** Workspace folders (absolute paths). */
  folders?: string[];
  settings?: Record<string, unknown>;
  /** Default: `{ trustedWorkspace: true }`, as the VS Code client sends in a trusted workspace. */
  initializationOptions?: Record<string, unknown>;
  /** Advertise progress support (window/workDoneProgress). */
  workDoneProgress?: boolean;
  /** Extra environment variables for the server process (test hooks). */
  env?: Record<string, string>;
}

export class LspSession {
  readonly child: ChildProcess;
  readonly connection: ProtocolConnection;
  /** What `workspace/configuration` answers for `medsec`; tests may change it, then call settingsChanged(). */
  settings: Record<string, unknown>;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly diagnosticLog: PublishDiagnosticsParams[] = [];
  readonly appliedEdits: ApplyWorkspaceEditParams[] = [];
  readonly shownMessages: ShowMessageParams[] = [];
  readonly logs: string[] = [];
  readonly statuses: StatusParams[] = [];
  readonly progressTokens: (string | number)[] = [];
  /** Cancel every progress the server creates, right away (as a user clicking Cancel would). */
  cancelProgress = false;
  stderr = '';
  private readonly waiters: { check: () => boolean; resolve: () => void }[] = [];
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();

  private constructor(readonly options: SessionOptions) {
    this.settings = { debounceMs: 0, ...options.settings };
    this.child = spawn(process.execPath, [SERVER_JS, '--stdio'], {
      cwd: REPO,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    this.child.stderr?.on('data', (chunk) => (this.stderr += String(chunk)));
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      this.diagnosticLog.push(params);
      this.wake();
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => this.settings));
    this.connection.onRequest(ApplyWorkspaceEditRequest.type, (params) => {
      this.appliedEdits.push(params);
      this.wake();
      return { applied: true };
    });
    this.connection.onRequest(RegistrationRequest.type, () => undefined);
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, (params) => {
      this.progressTokens.push(params.token);
      this.wake();
      this.connection.onProgress(WorkDoneProgress.type, params.token, (value) => {
        // Cancel once the progress is shown, as a user clicking its Cancel button would.
        if (value.kind === 'begin' && this.cancelProgress)
          void this.connection.sendNotification(WorkDoneProgressCancelNotification.type, { token: params.token });
      });
    });
    this.connection.onNotification(ShowMessageNotification.type, (params) => {
      this.shownMessages.push(params);
      this.wake();
    });
    this.connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params.message);
      this.wake();
    });
    this.connection.onNotification('medsec/status', (params: StatusParams) => {
      this.statuses.push(params);
      this.wake();
    });
    this.connection.listen();
  }

  static async start(options: SessionOptions = {}): Promise<LspSession> {
    const session = new LspSession(options);
    const folders = options.folders ?? [];
    await session.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folders[0] ? fileUri(folders[0]) : null,
      workspaceFolders: folders.map((folder) => ({ uri: fileUri(folder), name: path.basename(folder) })),
      capabilities: {
        workspace: {
          configuration: true,
          workspaceEdit: { documentChanges: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceFolders: true,
        },
        window: { workDoneProgress: options.workDoneProgress ?? false },
        textDocument: { publishDiagnostics: { versionSupport: true } },
      },
      // What the VS Code client sends (Workspace Trust); tests of other clients pass their own, possibly {}.
      initializationOptions: options.initializationOptions ?? { trustedWorkspace: true },
    });
    await session.connection.sendNotification(InitializedNotification.type, {});
    return session;
  }

  // ------------------------------------------------------------------------------------------------
  // Documents

  async open(file: string, text: string, languageId = 'plaintext'): Promise<string> {
    const uri = file.includes(':') && !path.isAbsolute(file) ? file : fileUri(file);
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    this.diagnostics.delete(uri);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Sends incremental changes; returns the new version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    let text = this.texts.get(uri) ?? '';
    for (const change of changes)
      text = 'range' in change && change.range ? applyTextEdits(text, [{ range: change.range, newText: change.text }]) : change.text;
    this.texts.set(uri, text);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes,
    });
    return version;
  }

  /** Applies LSP text edits to the document as an editor would (one incremental change per edit, last first). */
  async applyEdits(uri: string, edits: TextEdit[]): Promise<number> {
    const sorted = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
    return this.change(
      uri,
      sorted.map((edit) => ({ range: edit.range, text: edit.newText })),
    );
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  text(uri: string): string {
    return this.texts.get(uri) ?? '';
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  async settingsChanged(): Promise<void> {
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { medsec: this.settings } });
  }

  async watchedFilesChanged(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  // ------------------------------------------------------------------------------------------------
  // Waiting

  /** Resolves when `check` holds (checked after every message from the server). */
  waitFor(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`timed out waiting for ${what}; server stderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      const waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** The diagnostics published for the document's current version. */
  async diagnosticsFor(uri: string, version = this.version(uri)): Promise<Diagnostic[]> {
    await this.waitFor(`diagnostics for ${uri} v${version}`, () => this.diagnostics.get(uri)?.version === version);
    return this.diagnostics.get(uri)!.diagnostics;
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.check()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((resolve) => setTimeout(resolve, 2000))]);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // the server is gone already
    }
    this.connection.dispose();
    if (this.child.exitCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.child.kill();
          resolve();
        }, 2000);
        this.child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** Applies LSP edits (ranges relative to the original text) to a string. */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => Math.min(text.length, (lineStarts[p.line] ?? text.length) + p.character);
  const sorted = edits
    .map((edit) => ({ start: offset(edit.range.start), end: offset(edit.range.end), text: edit.newText }))
    .sort((a, b) => b.start - a.start);
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

/**
 * One server over a fresh temporary workspace for a whole test file (with `medsecJson` as its `.medsec.json`,
 * if given): started before the first test, stopped and cleaned up after the last. Read `session` and `workspace` inside tests (they are set by then).
 */
export function useSharedSession(prefix: string, medsecJson?: string): { readonly session: LspSession; readonly workspace: string } {
  let session: LspSession | undefined;
  let workspace = '';
  beforeAll(async () => {
    ensureServerBuilt();
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), `medsec-lsp-${prefix}-`));
    if (medsecJson) fs.writeFileSync(path.join(workspace, '.medsec.json'), medsecJson);
    session = await LspSession.start({ folders: [workspace] });
  }, 180_000);
  afterAll(async () => {
    await session?.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  });
  return {
    get session() {
      return session!;
    },
    get workspace() {
      return workspace;
    },
  };
}

/** Turns on weak-hash (an audit rule of medsec:strict), which the samples of several tests use. */
export const WEAK_HASH_ON = '{ "rules": { "weak-hash": "medium" } }\n';
