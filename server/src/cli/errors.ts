/** Exit codes and the errors that map to them; the README documents the codes, and CI scripts rely on them. */
export { UsageError } from '../core/errors';

export const EXIT = {
  /** Nothing at or above --fail-on. */
  ok: 0,
  /** Findings at or above --fail-on (or `medsec docs --check` found stale docs). */
  findings: 1,
  /** A usage or configuration error: one line on stderr says what to do. */
  usage: 2,
  /** medsec itself failed: a bug to report. */
  internal: 3,
} as const;
