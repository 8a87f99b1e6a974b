/**
 * How far V8 lets the JS heap grow past its live data after a full collection. With V8's default (up to
 * four times while allocation is fast, given back only slowly) 200 edits of a 5,000-line file took the
 * server to 300 MB and opening every file of a 300k-line workspace to 500 MB, with under 100 MB live.
 * Growing by 20% keeps it near live size (295 MB after opening that workspace) at the price of more full
 * collections: about +5 ms p95 per edit of the 5,000-line C file (bench/lsp-latency.mjs). The
 * MEDSEC_HEAP_GROWING_PERCENT environment variable sets another value (0: V8's default).
 */
import * as v8 from 'v8';

const DEFAULT_PERCENT = 20;

/** Applies the policy; returns the percentage in force. V8 reads it whenever it sets the next heap limit. */
export function applyHeapPolicy(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.MEDSEC_HEAP_GROWING_PERCENT);
  const percent = env.MEDSEC_HEAP_GROWING_PERCENT !== undefined && Number.isInteger(value) && value >= 0 ? value : DEFAULT_PERCENT;
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
  return percent;
}

/**
 * The document worker's young generation, in MB. V8 grows it to 48 MB (two 16 MB semi-spaces that stay
 * committed) on a thread that allocates as fast as a check does, and never shrinks it while documents are
 * open. 12 MB (4 MB semi-spaces) took the server from 353 to 296 MB RSS with every file of a 300k-line
 * workspace open (bench/lsp-latency.mjs, load 27-32 both), for the same CPU per edit of the 5,000-line C
 * file (9.7 ms) and about 20% more per edit of the 1,000-line TypeScript file (42 -> 50 ms), whose parser
 * leaves the most garbage: objects that outlive a smaller nursery are promoted and collected with the old
 * generation.
 */
export const DOCUMENT_WORKER_YOUNG_GENERATION_MB = 12;
