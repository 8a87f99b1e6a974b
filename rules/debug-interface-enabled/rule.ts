/**
 * debug-interface-enabled: debug and test access left on in what ships: JTAG, ROM download mode and GDB stubs
 * in ESP-IDF/Zephyr configuration, the Zephyr shell in a product configuration, debuggable Android builds and
 * WebView debugging, Flask/Django debug mode, the Node inspector in production start scripts, and NXP FreeMASTER's
 * memory access without a password.
 */
import type { LanguageId, RuleContext } from '../../server/src/core/types';
import { findPythonDebugMode, findWebViewDebugging } from './code';
import type { DebugHit } from './config';
import { findDotenvInspect, findKconfigDebugInterfaces, findManifestDebuggable, findPackageJsonInspect } from './config';
import { findSelectedDebugInterfaces, provideSymbolsOn } from './kconfig-select';
import { findFreemasterAccess } from './freemaster';
import { runDetectors } from '../_shared/detectors';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';
import { isConfigBackup } from '../_shared/firmware-config';

export default defineRule({
  meta: {
    id: 'debug-interface-enabled',
    title: 'Debug or test interface enabled in a release configuration',
    severity: 'high',
    confidence: 'high',
    languages: ['kconfig', 'text', 'android-manifest', 'java', 'kotlin', 'python', 'json', 'dotenv', 'c', 'cpp'],
    cwe: [1191, 489, 1244, 215],
    fda: ['app1.D.5', '524b.b2'],
    sees: 'JTAG, UART download modes, GDB stubs, debug consoles and debuggable builds enabled in release configuration',
    iec62443: ['EDR 2.13', 'CR 7.7'],
    fix: 'suggestion',
    presets: ['recommended'],
    // C and C++: only FreeMASTER's configuration header (freemaster.ts) is read.
    needs: (_, language) => (language === 'c' || language === 'cpp' ? ['FMSTR_USE_'] : undefined),
    docs,
  },
  check(ctx) {
    // A backup of an earlier configuration (`sdkconfig.old`) configures no build.
    if (ctx.language === 'kconfig' && isConfigBackup(ctx.path)) return;
    if (ctx.language === 'kconfig') provideSymbolsOn(ctx);
    runDetectors(ctx, DETECTORS);
  },
});

const DETECTORS: Partial<Record<LanguageId, (ctx: RuleContext) => DebugHit[]>> = {
  kconfig: findKconfigDebugInterfaces,
  // Kconfig definition files (`Kconfig`, `Kconfig.projbuild`) have no extension the engine knows: they are text.
  text: findSelectedDebugInterfaces,
  'android-manifest': findManifestDebuggable,
  java: findWebViewDebugging,
  kotlin: findWebViewDebugging,
  python: findPythonDebugMode,
  json: findPackageJsonInspect,
  dotenv: findDotenvInspect,
  c: findFreemasterAccess,
  cpp: findFreemasterAccess,
};
