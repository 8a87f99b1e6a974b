/**
 * weakened-trust-anchors: an Android network security configuration that trusts user-installed CAs in a
 * release build, or lets its CAs override the app's certificate pins.
 */
import { findWeakenedTrustAnchors } from './detect';
import { runDetectors } from '../_shared/detectors';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'weakened-trust-anchors',
    title: 'Android app trusts user-installed CAs or lets CAs override its pins',
    severity: 'high',
    confidence: 'high',
    languages: ['android-xml'],
    cwe: [295],
    fda: ['app1.A.2', 'app1.E.1', '524b.b2'],
    sees: 'Android apps that trust user-installed CAs or let CAs override their pins',
    iec62443: ['CR 1.9', 'CR 3.1'],
    fix: 'none',
    presets: ['recommended'],
    docs,
  },
  check(ctx) {
    runDetectors(ctx, { 'android-xml': findWeakenedTrustAnchors });
  },
});
