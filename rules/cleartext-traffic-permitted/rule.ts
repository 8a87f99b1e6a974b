/**
 * cleartext-traffic-permitted: an Android app that lets its HTTP stack send cleartext: `cleartextTrafficPermitted`
 * in the network security configuration (for every host or for named domains), or `usesCleartextTraffic` in
 * the manifest of an app without one, or an app that targets API 27 or lower (its Gradle build says so) and says
 * nothing, for which cleartext is the platform's default.
 */
import type { LanguageId, RuleContext } from '../../server/src/core/types';
import { findManifestCleartext, findNetworkConfigCleartext, RISK } from './detect';
import { findDefaultCleartext, provideTargetSdk } from './target-sdk';
import { runDetectors, type Detector } from '../_shared/detectors';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'cleartext-traffic-permitted',
    title: 'Android app permits cleartext HTTP traffic',
    severity: 'high',
    confidence: 'high',
    languages: ['android-manifest', 'android-xml', 'text', 'kotlin'],
    cwe: [319],
    fda: ['app1.E.1', 'app1.A.2', '524b.b2'],
    sees: 'Android apps that permit cleartext HTTP (network security configuration, manifest, a target below API 28)',
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
  'android-manifest': (ctx) => [...findManifestCleartext(ctx), ...findDefaultCleartext(ctx, RISK)],
  'android-xml': findNetworkConfigCleartext,
  // Gradle builds (`build.gradle` is read as text, `build.gradle.kts` as Kotlin) only provide the app's target API.
  text: buildTarget,
  kotlin: buildTarget,
};

function buildTarget(ctx: RuleContext): [] {
  provideTargetSdk(ctx);
  return [];
}
