/**
 * open-wifi-access-point: a Wi-Fi access point anyone in range can join, in front of the device's web, update or
 * command interface.
 */
import { findOpenAccessPoints, providePortalMembers, servedInterface } from './detect';
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
    const hits = findOpenAccessPoints(ctx);
    if (!hits.length) return;
    const served = servedInterface(ctx);
    for (const hit of hits) {
      const behind = hit.portal ? 'the configuration portal that sets its Wi-Fi and device settings' : served;
      if (!behind) continue;
      const risk = hit.elsewhere
        ? `: the access point then starts open or with a passphrase guessed offline in minutes, which opens ${behind} served on it to anyone within radio range`
        : hit.short
          ? `, under the 8 characters WPA2 requires: depending on the library the access point then starts open (WiFiManager) or not at all, and a passphrase that short is guessed offline in minutes, which opens ${behind} served on it to anyone within radio range`
          : `, so anyone within radio range can join without a password, reach ${behind} served on it, and read everything sent over the air`;
      ctx.report({
        span: hit.span,
        message: `Open access point: ${hit.how}${risk}. ${ADVICE}`,
        ...(hit.elsewhere ? { when: hit.elsewhere.when, unless: hit.elsewhere.unless } : {}),
        ...(hit.member ? { when: hit.member } : {}),
      });
    }
  },
});

const ADVICE =
  'Give the access point a WPA2 passphrase of at least 8 characters that is unique per device (printed on its label, or generated and stored in NVS).';
