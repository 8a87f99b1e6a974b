/**
 * User regular expressions run on every file of a scan, so one with catastrophic backtracking would hang
 * the linter. Each is checked with recheck (a ReDoS analyser) when the rule loads and refused, with the
 * attack string, when recheck finds super-linear backtracking or cannot prove it safe in time.
 */
import type { Diagnostics } from 'recheck';

/**
 * recheck's budget is wall time, and a shared CI machine can be slow: a budget a simple regex can overrun
 * there would refuse a user's rule on one run and accept it on the next. Proofs take milliseconds; this only
 * bounds the rare pattern that recheck cannot decide, once per load (the result is cached).
 */
const CHECK_TIMEOUT_MS = 10_000;
const cache = new Map<string, string | undefined>();

/** Why `source` is unsafe or invalid, or undefined when it is a safe JavaScript regex. */
export function regexProblem(source: string, flags = ''): string | undefined {
  const key = `${flags}/${source}`;
  if (cache.has(key)) return cache.get(key);
  let problem: string | undefined;
  try {
    new RegExp(source, flags);
  } catch (error) {
    problem = `invalid regular expression /${source}/: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
  problem ??= describe(source, runRecheck(source, flags));
  cache.set(key, problem);
  return problem;
}

function runRecheck(source: string, flags: string): Diagnostics {
  // The default synchronous backend starts a worker from a file next to recheck's own, which a bundle
  // does not have; the pure-JS backend runs in-process and works everywhere.
  process.env.RECHECK_SYNC_BACKEND ??= 'pure';
  // Loaded on first use: recheck is large (about 30 MB once loaded) and most projects have no custom rules.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous lazy load; import() would make callers async
  const { checkSync } = require('recheck') as typeof import('recheck');
  return checkSync(source, flags, { timeout: CHECK_TIMEOUT_MS });
}

function describe(source: string, result: Diagnostics): string | undefined {
  if (result.status === 'safe') return undefined;
  if (result.status === 'vulnerable') {
    const attack = result.attack.pattern;
    return (
      `the regular expression /${source}/ can backtrack catastrophically (${result.complexity.summary} time on input such as ${attack}); ` +
      'remove nested or adjacent repetition that can match the same text (e.g. write (a+)+ as a+, and bound wildcards ' +
      'such as .* as .{0,80})'
    );
  }
  const why =
    result.error.kind === 'timeout'
      ? `could not be proven safe within ${CHECK_TIMEOUT_MS} ms`
      : `could not be analysed (${result.error.kind})`;
  return `the regular expression /${source}/ ${why}; simplify it`;
}
