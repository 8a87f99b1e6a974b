/**
 * What the extension shows, kept free of the `vscode` module so it can be unit-tested: the status bar
 * text, the arguments of "suppress with justification", and where a rule's docs are opened.
 */
import { DOCS_BASE_URL, type StatusParams, type SuppressionKind } from '../../shared/protocol';

export interface StatusBarView { text: string; tooltip: string; isError: boolean }

export function statusBarView(status: StatusParams | undefined, trusted: boolean): StatusBarView {
  const restricted = trusted ? '' : ' Restricted mode: built-in rules only (the workspace is not trusted).';
  if (!status) return { text: '$(shield) medsec', tooltip: `medsec is starting.${restricted}`, isError: false };
  const count = `${status.findings} finding${status.findings === 1 ? '' : 's'}`;
  switch (status.state) {
    case 'checking':
      return {
        text: `$(sync~spin) medsec: ${status.findings}`,
        tooltip: `medsec is checking… (${count} so far).${restricted}`,
        isError: false,
      };
    case 'error':
      return {
        text: '$(error) medsec',
        tooltip: `medsec: ${status.message ?? 'the last check failed; see the medsec output channel'}.${restricted}`,
        isError: true,
      };
    default:
      return {
        text: `$(shield) medsec: ${status.findings}`,
        tooltip: `medsec: ${count} in the workspace${status.message ? ` (${status.message})` : ''}. ` +
          `Click to open the Problems panel.${restricted}`,
        isError: false,
      };
  }
}

/** A "Suppress <rule>" code action's command arguments, as shared/protocol.ts documents them. */
export interface SuppressTarget { uri: string; line: number; ruleId: string; kind: SuppressionKind; version?: number }

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
