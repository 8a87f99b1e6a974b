/**
 * cleartext-traffic-permitted: an Android app that lets its HTTP stack send cleartext: `cleartextTrafficPermitted`
 * in the network security configuration (for every host or for named domains), or `usesCleartextTraffic` in
 * the manifest of an app without one.
 */
import type { LanguageId, RuleContext } from '../../server/src/core/types';
import { findManifestCleartext, findNetworkConfigCleartext } from './detect';
import { runDetectors, type Detector } from '../_shared/detectors';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'cleartext-traffic-permitted',
    title: 'Android app permits cleartext HTTP traffic',
    severity: 'high',
    confidence: 'high',
    languages: ['android-manifest', 'android-xml'],
    cwe: [319],
    fda: ['app1.E.1', 'app1.A.2', '524b.b2'],
    sees: 'Android apps that permit cleartext HTTP (network security configuration, manifest)',
    iec62443: ['CR 4.1', 'CR 3.1'],
    fix: 'suggestion',
    presets: ['recommended'],
    docs,
  },
  check(ctx: RuleContext) {
    runDetectors(ctx, DETECTORS);
  },
});

const DETECTORS: Partial<Record<LanguageId, Detector>> = {
  'android-manifest': findManifestCleartext,
  'android-xml': findNetworkConfigCleartext,
};
