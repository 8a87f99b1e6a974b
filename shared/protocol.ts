/**
 * What the VS Code client and the language server agree on, and all that crosses between them: command
 * ids, the custom notification and initialization options, the workspace scan's summary, where rule
 * documentation is published, and the check a suppression's justification must pass (the client asks for
 * it, the server inserts it). Any other editor integration uses exactly these strings. Imports only shared/,
 * so either side can bundle it.
 */
import { assessJustification, GOOD_JUSTIFICATION, type JustificationPolicy } from './justification';

export { DEFAULT_JUSTIFICATION_POLICY, type JustificationPolicy } from './justification';

export const COMMANDS = {
  /**
   * Server: scan every workspace folder, publish diagnostics for every file with findings; returns a
   * ScanSummary (server/src/lsp/protocol.ts).
   */
  scanWorkspace: 'medsec.scanWorkspace',
  /** Server: (uri, version, line, ruleId, kind, justification) inserts a suppression comment. */
  applySuppression: 'medsec.applySuppression',
  /** Client: (uri, line, ruleId, kind, version?) asks for a justification, then runs applySuppression. */
  suppress: 'medsec.suppress',
  /**
   * Server: (uri, ruleId, scope, justification) adds a `suppressions` entry for the file or its folder to the
   * `.medsec.json` that governs it (creating one in the workspace folder when there is none); returns
   * `{ configUri }`.
   */
  applyRuleOff: 'medsec.applyRuleOff',
  /** Client: (uri, ruleId, scope) asks for a justification, then runs applyRuleOff. */
  turnOffRule: 'medsec.turnOffRule',
  /** Client: (url) opens a rule's documentation. */
  showRuleDocs: 'medsec.showRuleDocs',
  /** Client: opens the rule reference. */
  openRuleReference: 'medsec.openRuleReference',
  /** Client: shows the `medsec` output channel (the server's log). */
  showOutput: 'medsec.showOutput',
  /** Client: stops and starts the language server. */
  restartServer: 'medsec.restartServer',
  /** Client: the status item's menu (problems, output, scan, configuration). */
  showMenu: 'medsec.showMenu',
  /** Client: opens the `.medsec.json` that applies to the active file (offers to create one). */
  openConfiguration: 'medsec.openConfiguration',
} as const;

/**
 * A `command:` link that opens a rule's bundled documentation (offline, the installed version's), for
 * clients that run command links (`InitializationOptions.commandLinks`): the Problems panel's code link and
 * the hover's documentation link.
 */
export function ruleDocsCommandUri(ruleId: string): string {
  return `command:${COMMANDS.showRuleDocs}?${encodeURIComponent(JSON.stringify([ruleId]))}`;
}

export type SuppressionKind = 'same-line' | 'next-line';

/** What "Turn off <rule>" covers: the file, or every file in the file's folder and below. */
export type RuleOffScope = 'file' | 'folder';

/** Notification `medsec/status`, for the client's status bar. */
export const STATUS_NOTIFICATION = 'medsec/status';
export interface StatusParams {
  state: 'idle' | 'checking' | 'error';
  /** Unsuppressed findings currently published across all files. */
  findings: number;
  message?: string;
}

/** The severities, highest first (core/types.ts `SEVERITIES`, repeated here so that this module imports nothing). */
export const SEVERITY_NAMES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type SeverityName = (typeof SEVERITY_NAMES)[number];

/** What `medsec.scanWorkspace` returns; the VS Code client turns it into the summary notification. */
export interface ScanSummary {
  folders: number;
  files: number;
  filesWithFindings: number;
  findings: number;
  bySeverity: Record<SeverityName, number>;
  skipped: number;
  /** Configuration errors (a folder's or a nested `.medsec.json`): what they cover was not scanned. */
  configErrors: string[];
  cancelled: boolean;
  durationMs: number;
}

/** `initializationOptions` the client may send. */
export interface InitializationOptions {
  /**
   * VS Code Workspace Trust: false runs built-in rules only and reads no workspace `extends` files. A client
   * that leaves it out gets an untrusted workspace unless the `medsec.trustedWorkspace` setting is true.
   */
  trustedWorkspace?: boolean;
  /** The client runs `command:` links from diagnostics and hovers (VS Code does): docs links open the bundled pages. */
  commandLinks?: boolean;
}

/** Where each rule's documentation is published: the one place that knows the URL scheme. */
export const DOCS_BASE_URL = 'https://github.com/medsec-dev/medsec/blob/main/docs/rules/';

/** The project's home page, for SARIF `tool.driver.informationUri`. */
export const HOMEPAGE_URL = 'https://github.com/medsec-dev/medsec';

export function ruleDocsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${encodeURIComponent(ruleId)}.md`;
}

/**
 * Why the text typed as a suppression's justification cannot be used, or undefined when it can. The text
 * may end with `(reviewed-by: NAME)` and `(until YYYY-MM-DD)`; it is judged by the same rule the engine
 * applies to suppression comments (shared/justification.ts), with the default policy unless one is given.
 */
export function justificationProblem(justification: unknown, policy?: JustificationPolicy): string | undefined {
  if (typeof justification !== 'string' || justification.trim() === '') {
    return 'a suppression needs a justification: say why this finding is acceptable (it is the assessment the FDA guidance asks for)';
  }
  if (/[\r\n]/.test(justification)) return 'the justification must fit on one line';
  if (/\*\/|-->/.test(justification)) return 'the justification must not contain "*/" or "-->", which would end the comment';
  const { problems } = assessJustification(justification, policy);
  return problems.length ? `this suppression would be ignored because ${problems.join(' and ')}. ${GOOD_JUSTIFICATION}` : undefined;
}
