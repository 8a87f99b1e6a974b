/**
 * The server's side of the protocol that the VS Code client does not use: which commands the server runs,
 * the `medsec/stats` request and the fix-all code action kind. What the client and the server share is in
 * shared/protocol.ts.
 */
import { COMMANDS } from '../../../shared/protocol';

/** Commands the server itself executes (listed in `executeCommandProvider`; the others are the client's). */
export const SERVER_COMMANDS: string[] = [COMMANDS.scanWorkspace, COMMANDS.applySuppression, COMMANDS.applyRuleOff];

/** Request `medsec/stats`: the server's memory and document counts (benchmarks and diagnostics). */
export const STATS_REQUEST = 'medsec/stats';
export interface StatsParams {
  /** Collect garbage first (only when the server runs with `node --expose-gc`), so heapUsed is live data. */
  gc?: boolean;
  /** Start counting check costs afresh after this answer. */
  resetCosts?: boolean;
}
/** Mean milliseconds per check since the last reset, and the rules that took longest. */
export interface CheckCostSummary {
  checks: number;
  /** Parsing (incremental where a tree was kept) and building the code model. */
  parseMs: number;
  /** Running the rules and turning reports into findings. */
  rulesMs: number;
  /** The whole check, from reading the settings to publishing. */
  totalMs: number;
  /** Slowest first, by total time. */
  rules: { ruleId: string; runs: number; totalMs: number; meanMs: number }[];
}
export interface StatsResult {
  rss: number;
  heapUsed: number;
  /** The JS heap's reserved size (heapUsed plus free space V8 has not returned). */
  heapTotal?: number;
  /** Memory outside the JS heap: WebAssembly memory (tree-sitter) and buffers. */
  external?: number;
  arrayBuffers?: number;
  openDocuments: number;
  /** Tree-sitter trees held (one per open tree-sitter document at most). */
  trees: number;
  /** The document worker's memory as of its last check; absent while no worker runs. */
  worker?: { heapUsed: number; heapTotal: number; arrayBuffers: number };
  /** V8's heap growing percent in force (0: V8's default; see lsp/heap-policy.ts). */
  heapGrowingPercent?: number;
  costs?: CheckCostSummary;
}

export const FIX_ALL_KIND = 'source.fixAll.medsec';

/** What `medsec.scanWorkspace` returns: in shared/protocol.ts, since the VS Code client shows it. */
export type { ScanSummary } from '../../../shared/protocol';
