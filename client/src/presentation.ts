/**
 * What the extension shows, kept free of the `vscode` module so it can be unit-tested: the status bar
 * text and menu, the scan summary, where the configuration is looked for, the arguments of "suppress with justification",
 * and where a rule's docs are opened.
 */
import { COMMANDS, DOCS_BASE_URL, SEVERITY_NAMES, type ScanSummary, type StatusParams, type SuppressionKind } from '../../shared/protocol';

export interface StatusBarView {
  text: string;
  tooltip: string;
  isError: boolean;
}

/**
 * The status item: the finding count, a spinner while checking, an error state for a broken configuration,
 * and "Restricted Mode" in the text itself (not only the tooltip) when the workspace is not trusted.
 */
export function statusBarView(status: StatusParams | undefined, trusted: boolean): StatusBarView {
  const restrictedText = trusted ? '' : ' $(workspace-untrusted) Restricted Mode';
  const restricted = trusted ? '' : ' Restricted Mode: built-in rules only (the workspace is not trusted).';
  const click = ' Click for medsec actions.';
  if (!status) return { text: `$(shield) medsec${restrictedText}`, tooltip: `medsec is starting.${restricted}${click}`, isError: false };
  const count = `${status.findings} finding${status.findings === 1 ? '' : 's'}`;
  switch (status.state) {
    case 'checking':
      return {
        text: `$(sync~spin) medsec: ${status.findings}${restrictedText}`,
        tooltip: `medsec is checking… (${count} so far).${restricted}${click}`,
        isError: false,
      };
    case 'error':
      return {
        text: `$(error) medsec${restrictedText}`,
        tooltip: `medsec: ${status.message ?? 'the last check failed; see the medsec output channel'}.${restricted}${click}`,
        isError: true,
      };
    default:
      return {
        text: `$(shield) medsec: ${status.findings}${restrictedText}`,
        tooltip: `medsec: ${count} in the workspace${status.message ? ` (${status.message})` : ''}.${restricted}${click}`,
        isError: false,
      };
  }
}

/** What the status item's menu offers, in order: each entry runs a command. */
export const STATUS_MENU: readonly { label: string; description: string; command: string }[] = [
  { label: '$(warning) Show Problems', description: 'the Problems panel', command: 'workbench.actions.view.problems' },
  { label: '$(output) Show Output', description: "the server's log", command: COMMANDS.showOutput },
  { label: '$(search) Scan Workspace', description: 'check every file', command: COMMANDS.scanWorkspace },
  { label: '$(gear) Open Configuration', description: 'the .medsec.json that applies here', command: COMMANDS.openConfiguration },
];

/** The notification after Scan Workspace: counts by severity (those that occur), files, and what went wrong. */
export function scanSummaryMessage(summary: ScanSummary): string {
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const bySeverity = SEVERITY_NAMES.filter((severity) => summary.bySeverity[severity] > 0)
    .map((severity) => `${summary.bySeverity[severity]} ${severity}`)
    .join(', ');
  const found =
    summary.findings === 0
      ? `no findings in ${plural(summary.files, 'file')}`
      : `${plural(summary.findings, 'finding')} (${bySeverity}) in ${summary.filesWithFindings} of ${plural(summary.files, 'file')}`;
  const start = summary.cancelled ? `medsec: scan cancelled; so far ${found}` : `medsec: ${found}`;
  const errors = summary.configErrors.length
    ? `. ${plural(summary.configErrors.length, 'configuration error')}: nothing under ${summary.configErrors.length === 1 ? 'it' : 'them'} ` +
      'was checked (see the Problems panel)'
    : '';
  return `${start}${errors}.`;
}

/**
 * Where the configuration that applies to a file may be, nearest first: `.medsec.json` in the file's folder
 * and each folder above it up to the workspace folder (paths are URI paths, with forward slashes).
 */
export function configCandidates(filePath: string | undefined, folderPath: string): string[] {
  const folder = folderPath.replace(/\/+$/, '');
  const candidates: string[] = [];
  if (filePath?.startsWith(`${folder}/`)) {
    for (let dir = filePath.slice(0, filePath.lastIndexOf('/')); dir.length > folder.length; dir = dir.slice(0, dir.lastIndexOf('/'))) {
      candidates.push(`${dir}/${CONFIG_FILE_NAME}`);
    }
  }
  candidates.push(`${folder}/${CONFIG_FILE_NAME}`);
  return candidates;
}

export const CONFIG_FILE_NAME = '.medsec.json';

/** What "Open Configuration" writes when the folder has no configuration and the user asks for one. */
export const CONFIG_TEMPLATE = `{
  // medsec configuration, checked against its schema as you type. See the README's "Configuration" section.
  "extends": ["medsec:recommended"],
  "rules": {},
  "ignore": []
}
`;

/** A "Suppress <rule>" code action's command arguments, as shared/protocol.ts documents them. */
export interface SuppressTarget {
  uri: string;
  line: number;
  ruleId: string;
  kind: SuppressionKind;
  version?: number;
}

/**
 * Reads `medsec.suppress` arguments: (uri, line, ruleId, kind, version?) as the server sends them, and
 * also (uri, version, line, ruleId, kind), the order first agreed on. Undefined when they make no sense.
 */
export function suppressTarget(args: readonly unknown[]): SuppressTarget | undefined {
  const [uri] = args;
  const [line, ruleId, kind, version] = typeof args[2] === 'number' ? [args[2], args[3], args[4], args[1]] : args.slice(1);
  if (typeof uri !== 'string' || typeof line !== 'number' || typeof ruleId !== 'string') return undefined;
  if (kind !== 'same-line' && kind !== 'next-line') return undefined;
  return { uri, line, ruleId, kind, ...(typeof version === 'number' ? { version } : {}) };
}

/**
 * The bundled documentation page for a rule docs URL (or a bare rule id), relative to the extension
 * folder; undefined for any other URL, which is then opened in the browser.
 */
export function bundledRuleDoc(urlOrRuleId: string): string | undefined {
  let ruleId: string | undefined;
  if (/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(urlOrRuleId)) ruleId = urlOrRuleId;
  else if (urlOrRuleId.startsWith(DOCS_BASE_URL)) {
    const match = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.md(?:#.*)?$/.exec(urlOrRuleId.slice(DOCS_BASE_URL.length));
    ruleId = match?.[1];
  }
  return ruleId ? `docs/rules/${ruleId}.md` : undefined;
}
