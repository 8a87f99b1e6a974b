/**
 * Where a rule's documentation link goes: a team's own site when `medsec.docs.baseUrl` is set; else the
 * bundled page (offline, and the installed version's) in a client that runs `command:` links; else, in
 * other editors, the published page.
 */
import { ruleDocsCommandUri, ruleDocsUrl } from '../../../shared/protocol';
import type { Settings } from './settings';

export function ruleDocsLink(ruleId: string, settings: Pick<Settings, 'docsBaseUrl' | 'commandLinks'>): string {
  if (settings.docsBaseUrl) return customDocsUrl(settings.docsBaseUrl, ruleId);
  return settings.commandLinks ? ruleDocsCommandUri(ruleId) : ruleDocsUrl(ruleId);
}

/** `{rule}` in the base URL is replaced by the rule id; without it, `<rule id>.md` is appended. */
export function customDocsUrl(baseUrl: string, ruleId: string): string {
  const id = encodeURIComponent(ruleId);
  if (baseUrl.includes('{rule}')) return baseUrl.split('{rule}').join(id);
  return `${baseUrl}${baseUrl.endsWith('/') ? '' : '/'}${id}.md`;
}
