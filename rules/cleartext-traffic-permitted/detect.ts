/**
 * Where an Android app allows cleartext HTTP. The network security configuration decides on Android 7.0 and
 * later: `cleartextTrafficPermitted="true"` on `<base-config>` (every host without a domain rule of its own) or
 * on a `<domain-config>` (its domains and their subdomains where `includeSubdomains` says so). The manifest's
 * `usesCleartextTraffic="true"` decides only where no configuration is named, so it is reported only then.
 * Files of a debug-only source set never reach a release build, and loopback hosts cross no network.
 */
import type { Fix, RuleContext } from '../../server/src/core/types';
import type { Detection } from '../_shared/detectors';
import {
  attributeOf,
  childrenOf,
  elementsOf,
  hasAncestor,
  isDebugSourceSet,
  isLoopbackHost,
  isTrue,
  type XmlAttribute,
  type XmlElement,
} from '../_shared/android-xml';

export const RISK =
  'anyone on the same Wi-Fi, hotspot or network path can read and change what the app sends and receives (readings, settings, tokens)';

function falseFix(attribute: XmlAttribute): Fix {
  return {
    title: `Set ${attribute.name}="false"`,
    safety: 'suggestion',
    edits: [{ span: attribute.valueSpan, newText: 'false' }],
  };
}

export function findManifestCleartext(ctx: RuleContext): Detection[] {
  if (isDebugSourceSet(ctx.path)) return [];
  const hits: Detection[] = [];
  for (const element of elementsOf(ctx)) {
    if (element.name !== 'application' || !isTrue(element, 'android:usesCleartextTraffic')) continue;
    // With a network security configuration, Android 7.0 and later ignore the attribute: the configuration decides.
    if (attributeOf(element, 'android:networkSecurityConfig')) continue;
    const attribute = attributeOf(element, 'android:usesCleartextTraffic')!;
    hits.push({
      span: attribute.span,
      message: `\`android:usesCleartextTraffic="true"\` lets the app send plain HTTP to any host: ${RISK}. Use HTTPS; if one local host really needs HTTP, allow only that domain in a network security configuration.`,
      fix: falseFix(attribute),
    });
  }
  return hits;
}

export function findNetworkConfigCleartext(ctx: RuleContext): Detection[] {
  const elements = elementsOf(ctx);
  if (isDebugSourceSet(ctx.path) || elements[0]?.name !== 'network-security-config') return [];
  const hits: Detection[] = [];
  elements.forEach((element, index) => {
    if (!isTrue(element, 'cleartextTrafficPermitted') || hasAncestor(elements, index, 'debug-overrides')) return;
    const attribute = attributeOf(element, 'cleartextTrafficPermitted')!;
    if (element.name === 'base-config') {
      hits.push({
        span: attribute.span,
        message: `\`<base-config cleartextTrafficPermitted="true">\` lets the app send plain HTTP to every host that has no domain rule of its own: ${RISK}. Set it to "false" and allow cleartext only for the local hosts that need it in a \`<domain-config>\`.`,
        fix: falseFix(attribute),
      });
    } else if (element.name === 'domain-config') {
      const domains = domainsOf(elements, index);
      const remote = domains.filter((d) => !isLoopbackHost(d.text));
      if (domains.length && !remote.length) return;
      hits.push({
        span: attribute.span,
        message: `\`cleartextTrafficPermitted="true"\` lets the app send plain HTTP to ${describeDomains(remote)}: ${RISK}. Serve these hosts over HTTPS and remove the exception.`,
        fix: falseFix(attribute),
      });
    }
  });
  return hits;
}

function domainsOf(elements: readonly XmlElement[], index: number): XmlElement[] {
  return childrenOf(elements, index)
    .map((i) => elements[i])
    .filter((e) => e.name === 'domain' && e.text);
}

function describeDomains(domains: readonly XmlElement[]): string {
  if (!domains.length) return 'the hosts of this domain rule';
  const names = domains.slice(0, 5).map((d) => `\`${d.text}\`${isTrue(d, 'includeSubdomains') ? ' and its subdomains' : ''}`);
  const more = domains.length > 5 ? ` and ${domains.length - 5} more` : '';
  return names.join(', ') + more;
}
