/** Where each rule's documentation is published: the one place that knows the URL scheme. */
export const DOCS_BASE_URL = 'https://github.com/medsec-dev/medsec/blob/main/docs/rules/';

/** The project's home page, for SARIF `tool.driver.informationUri`. */
export const HOMEPAGE_URL = 'https://github.com/medsec-dev/medsec';

export function ruleDocsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${encodeURIComponent(ruleId)}.md`;
}
