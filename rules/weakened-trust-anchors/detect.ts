/**
 * Trust anchors of an Android network security configuration that weaken TLS in a release build:
 * `<certificates src="user"/>` under `<base-config>` or a `<domain-config>` (any CA the user, a profile or
 * malware talks the user into installing can then intercept the app's TLS), and `overridePins="true"` where
 * the file pins certificates (a CA of that source then passes without matching the pins). The same elements
 * under `<debug-overrides>` apply only to debuggable builds and are the documented way to test with a proxy.
 */
import type { RuleContext } from '../../server/src/core/types';
import type { Detection } from '../_shared/detectors';
import { attributeOf, elementsOf, hasAncestor, isDebugSourceSet, isTrue, type XmlElement } from '../_shared/android-xml';

export function findWeakenedTrustAnchors(ctx: RuleContext): Detection[] {
  const elements = elementsOf(ctx);
  if (isDebugSourceSet(ctx.path) || elements[0]?.name !== 'network-security-config') return [];
  const pinned = elements.some((e) => e.name === 'pin-set');
  const hits: Detection[] = [];
  elements.forEach((element, index) => {
    if (element.name !== 'certificates' || hasAncestor(elements, index, 'debug-overrides')) return;
    const scope = scopeOf(elements, index);
    const source = attributeOf(element, 'src');
    if (source?.value.trim() === 'user') {
      hits.push({
        span: source.span,
        message: `\`<certificates src="user"/>\` in ${scope} trusts every CA installed on the phone by its user or a device-management profile: whoever gets one installed (a clinic Wi-Fi portal, a "VPN" app, malware) can read and change the app's TLS traffic. Trust only the system store or a CA bundled in the app (\`src="@raw/..."\`); keep user CAs under \`<debug-overrides>\` for testing.`,
      });
    }
    const override = attributeOf(element, 'overridePins');
    if (pinned && override && isTrue(element, 'overridePins')) {
      const what = source?.value.trim() === 'user' ? 'user-installed CAs' : `CAs of \`src="${source?.value ?? 'system'}"\``;
      hits.push({
        span: override.span,
        message: `\`overridePins="true"\` in ${scope} lets ${what} pass without matching the certificate pins of this file, so the pinning protects nothing against a CA of that source. Remove \`overridePins\` (or move the anchor under \`<debug-overrides>\`).`,
      });
    }
  });
  return hits;
}

/** `<base-config>` or the domain rule (with its first domain) the trust anchor belongs to. */
function scopeOf(elements: readonly XmlElement[], index: number): string {
  for (let p = elements[index].parent; p >= 0; p = elements[p].parent) {
    if (elements[p].name === 'base-config') return '`<base-config>` (every host)';
    if (elements[p].name === 'domain-config') {
      const domain = elements.find((e) => e.parent === p && e.name === 'domain' && e.text);
      return domain ? `the domain rule for \`${domain.text}\`` : 'a domain rule';
    }
  }
  return 'the configuration';
}
