/**
 * What checking one discovered file comes to, in-process or on a worker thread: its result, or the reason
 * it was skipped. Plain data, so it crosses the thread boundary by structured clone.
 */
import type { FileResult, SkippedFile } from './types';

export type FileOutcome = { kind: 'checked'; result: FileResult } | { kind: 'skipped'; skipped: SkippedFile };
