/**
 * What the language server's main thread and its document worker say to each other. The worker owns the
 * engine's work on open documents (parse, code model, rules) so the main thread's event loop stays free to
 * answer requests while a pathological document is analysed. Everything here crosses the thread boundary
 * by structured clone: plain data only.
 */
import type { CheckInput } from '../core/check';
import type { ConfigSetup } from '../core/pool/protocol';
import type { FileResult, LanguageId } from '../core/types';
import type { TreeEdit } from './incremental';

/** The worker's progress, shared with the scan pool's workers (core/pool/worker-progress.ts). */
export { WorkerProgress } from '../core/pool/worker-progress';

/** A configuration the worker rebuilds once and then refers to by `configId`. */
export interface WorkerConfig extends ConfigSetup {
  /** Where its `extends` may read (the workspace folder), as on the main thread. */
  workspaceRoot: string;
  /** The main thread's `ruleSetSignature([config])`: a worker that rebuilds other rules refuses to check. */
  ruleSet: string;
}

export interface CheckRequest {
  /** The document (its URI), whose tree the worker keeps between checks; absent for a one-off check. */
  document?: string;
  configId: number;
  input: CheckInput;
  /** Edits since the text of the document's previous check, for re-parsing its kept tree incrementally. */
  edits: TreeEdit[] | 'reset';
}

export type ToDocumentWorker =
  | { type: 'config'; configId: number; config: WorkerConfig }
  | { type: 'check'; id: number; request: CheckRequest }
  /** The document closed: free its tree. */
  | { type: 'forget'; document: string };

export interface CheckReply {
  result: FileResult;
  /** What the file was parsed as (a .h file may turn out to be C++). */
  language: LanguageId;
  /** Lines on which a comment starts. */
  commentLines: number[];
  parseMs: number;
  rulesMs: number;
  ruleCosts: [ruleId: string, ms: number][];
  /** The documents whose trees the worker keeps after this check (`medsec/stats`). */
  trees: string[];
  /** The worker's JS heap and buffers after this check, in bytes (`medsec/stats`). */
  memory: WorkerMemory;
}

export interface WorkerMemory {
  heapUsed: number;
  heapTotal: number;
  /** ArrayBuffers; not tree-sitter's WebAssembly memory, which process.memoryUsage() does not count. */
  arrayBuffers: number;
}

export type FromDocumentWorker =
  | { type: 'done'; id: number; reply: CheckReply }
  /** The check threw (a bug, or a configuration the worker cannot rebuild): the document is not checked. */
  | { type: 'failed'; id: number; message: string };
