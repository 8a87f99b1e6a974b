/**
 * Apps that permit cleartext by default: before Android 9 (an app targeting API 27 or lower), cleartext HTTP is
 * allowed unless the app says otherwise, with `android:usesCleartextTraffic="false"` or a network security
 * configuration. The target comes from the module's Gradle build (`targetSdkVersion 26` in Groovy,
 * `targetSdk = 26` in the Kotlin DSL), which overrides the manifest's `<uses-sdk android:targetSdkVersion>`. The
 * build file provides the fact; the manifest's finding stands when its project (the module folder holding both)
 * targets an old API. Only application modules count: a library's manifest is merged into an app that decides.
 */
import type { Expr } from '../../server/src/core/model/types';
import type { Fix, ProjectCondition, RuleContext } from '../../server/src/core/types';
import type { Detection } from '../_shared/detectors';
import { attributeOf, elementsOf, isDebugSourceSet, type XmlElement } from '../_shared/android-xml';

export const TARGET_SDK = 'target-sdk';
/** API 28 (Android 9) made cleartext opt-in. */
const FIRST_CLEARTEXT_OFF = 28;
const LEGACY: ProjectCondition = { fact: TARGET_SDK, anyOf: range(1, FIRST_CLEARTEXT_OFF - 1) };
const MODERN: ProjectCondition = { fact: TARGET_SDK, anyOf: range(FIRST_CLEARTEXT_OFF, 99) };

function range(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
}

const GROOVY_BUILD = /(?:^|\/)build\.gradle$/;
const KOTLIN_BUILD = /(?:^|\/)build\.gradle\.kts$/;
/** `apply plugin: 'com.android.application'`, `id 'com.android.application'`, `id("com.android.application")`, `alias(libs.plugins.android.application)`. */
const APPLICATION_PLUGIN = /com\.android\.application|plugins\.android\.application\b/;
/** A Groovy DSL line that sets the target: `targetSdkVersion 26`, `targetSdk = 26`, `targetSdkVersion(26)`. Linear. */
const GROOVY_TARGET = /^[ \t]*targetSdk(?:Version)?(?:[ \t]*[=(][ \t]*|[ \t]+)(\d{1,3})(?:[ \t]*\))?[ \t]*(?:\/\/.*)?$/gm;

/** Provides the API levels an application module's Gradle build targets. */
export function provideTargetSdk(ctx: RuleContext): void {
  const groovy = GROOVY_BUILD.test(ctx.path);
  if (!(groovy || KOTLIN_BUILD.test(ctx.path)) || !APPLICATION_PLUGIN.test(ctx.text.content)) return;
  const levels = groovy ? [...ctx.text.content.matchAll(GROOVY_TARGET)].map((m) => m[1]) : kotlinTargets(ctx);
  if (levels.length) ctx.provide(TARGET_SDK, [...new Set(levels.map((l) => String(Number(l))))]);
}

/** `targetSdk = 26` and `targetSdkVersion(26)` in the Kotlin DSL, the value followed to its literal. */
function kotlinTargets(ctx: RuleContext): string[] {
  const values: Expr[] = [];
  for (const b of ctx.model.bindings) if (/^targetSdk(?:Version)?$/.test(b.name) && b.kind !== 'property') values.push(b.value);
  for (const c of ctx.model.calls) if (/^targetSdk(?:Version)?$/.test(c.name) && c.args.length === 1) values.push(c.args[0]);
  const levels: string[] = [];
  for (const value of values) {
    for (const origin of ctx.flow.origins(value)) {
      if (origin.kind === 'literal' && origin.expr.kind === 'number' && /^\d{1,3}$/.test(origin.expr.text)) levels.push(origin.expr.text);
    }
  }
  return levels;
}

/**
 * The `<application>` of an app that uses the network (INTERNET permission) and says nothing about cleartext:
 * no `usesCleartextTraffic`, no network security configuration. Reported when the manifest's own `<uses-sdk>`
 * targets an old API (unless the build targets a newer one), or else when the build does.
 */
export function findDefaultCleartext(ctx: RuleContext, risk: string): Detection[] {
  const elements = elementsOf(ctx);
  if (isDebugSourceSet(ctx.path) || elements[0]?.name !== 'manifest' || !usesInternet(elements)) return [];
  const application = elements.find((e) => e.name === 'application');
  if (!application || SAYS_CLEARTEXT.some((name) => attributeOf(application, name))) return [];
  const declared = declaredTarget(elements);
  if (declared !== undefined && declared >= FIRST_CLEARTEXT_OFF) return [];
  const condition = declared !== undefined ? { unless: MODERN } : { when: LEGACY };
  const target =
    declared !== undefined ? `targets API ${declared} (\`<uses-sdk>\`)` : "targets API 27 or lower (its module's Gradle build)";
  return [
    {
      span: application.span,
      message: `The app ${target} and its \`<application>\` says nothing about cleartext, so Android permits plain HTTP to every host by default: ${risk}. Set \`android:usesCleartextTraffic="false"\` (or name a network security configuration that forbids cleartext), and raise the target to API 28 or later.`,
      fix: forbidFix(ctx, application),
      ...condition,
    },
  ];
}

const SAYS_CLEARTEXT = ['android:usesCleartextTraffic', 'android:networkSecurityConfig'];

function usesInternet(elements: readonly XmlElement[]): boolean {
  return elements.some(
    (e) => e.name === 'uses-permission' && attributeOf(e, 'android:name')?.value.trim() === 'android.permission.INTERNET',
  );
}

function declaredTarget(elements: readonly XmlElement[]): number | undefined {
  const value = elements.find((e) => e.name === 'uses-sdk')?.attributes.find((a) => a.name === 'android:targetSdkVersion')?.value;
  return value && /^\s*\d{1,3}\s*$/.test(value) ? Number(value) : undefined;
}

/** Inserts the attribute right after `<application`: the platform then refuses cleartext unless a configuration allows it. */
function forbidFix(ctx: RuleContext, application: XmlElement): Fix | undefined {
  const at = application.span.start + '<application'.length;
  if (ctx.text.content.slice(application.span.start, at) !== '<application') return undefined;
  return {
    title: 'Add android:usesCleartextTraffic="false"',
    safety: 'suggestion',
    edits: [{ span: { start: at, end: at }, newText: ' android:usesCleartextTraffic="false"' }],
  };
}
