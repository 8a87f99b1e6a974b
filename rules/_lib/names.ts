/** Identifier helpers shared by rules. */

/** Splits an identifier into lower-case words: `wifiPassword` → [wifi, password], `API_KEY` → [api, key]. */
export function identifierWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Whether a call's callee is one of `names` (matched on the full dotted callee or its last segment). */
export function calleeIs(call: { callee: string; name: string }, names: ReadonlySet<string>): boolean {
  return names.has(call.callee) || names.has(call.name);
}
