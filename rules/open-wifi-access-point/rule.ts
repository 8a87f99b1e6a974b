/**
 * open-wifi-access-point: a Wi-Fi access point anyone in range can join, in front of the device's web, update or
 * command interface.
 */
import { findOpenAccessPoints, providePortalMembers, provideServerMembers, servedByMember, servedInterface } from './detect';
import type { ProjectCondition } from '../../server/src/core/types';
import { providePassphraseConstants } from './passphrase-macros';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'open-wifi-access-point',
    title: 'Open Wi-Fi access point in front of a device interface',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp'],
    cwe: [306, 319],
    fda: ['app1.A.1', 'app1.B.4', 'app1.E.1', '524b.b2'],
    sees: 'Wi-Fi access points without a passphrase in front of a web, update or command interface',
    iec62443: ['CR 1.1', 'CR 4.1', 'CR 7.7'],
    fix: 'none',
    presets: ['recommended'],
    docs,
  },
  check(ctx) {
    providePassphraseConstants(ctx);
    providePortalMembers(ctx);
    provideServerMembers(ctx);
    const hits = findOpenAccessPoints(ctx);
    if (!hits.length) return;
    const served = servedInterface(ctx);
    // A server member the class's header declares: the finding stands when the project says it is one.
    const viaMember = served ? undefined : servedByMember(ctx);
    for (const hit of hits) {
      const behind = hit.portal ? 'the configuration portal that sets its Wi-Fi and device settings' : (served ?? viaMember?.label);
      if (!behind) continue;
      const when: ProjectCondition[] = [];
      if (hit.elsewhere) when.push(hit.elsewhere.when);
      if (hit.member) when.push(hit.member);
      if (!hit.portal && !served && viaMember) when.push(viaMember.when);
      const risk = hit.elsewhere
        ? `: the access point then starts open or with a passphrase guessed offline in minutes, which opens ${behind} served on it to anyone within radio range`
        : hit.short
          ? `, under the 8 characters WPA2 requires: depending on the library the access point then starts open (WiFiManager) or not at all, and a passphrase that short is guessed offline in minutes, which opens ${behind} served on it to anyone within radio range`
          : `, so anyone within radio range can join without a password, reach ${behind} served on it, and read everything sent over the air`;
      ctx.report({
        span: hit.span,
        message: `Open access point: ${hit.how}${risk}. ${ADVICE}`,
        ...(hit.elsewhere ? { unless: hit.elsewhere.unless } : {}),
        ...(when.length ? { when: when.length === 1 ? when[0] : when } : {}),
      });
    }
  },
});

const ADVICE =
  'Give the access point a WPA2 passphrase of at least 8 characters that is unique per device (printed on its label, or generated and stored in NVS).';
