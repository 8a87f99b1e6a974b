import type { LanguageId } from '../../server/src/core/types';
import type { Detector } from '../_shared/syntax';
import { findArduinoTlsBypass } from './arduino';
import { findJvmTlsBypass } from './jvm';
import { findKconfigTlsBypass, findNativeTlsBypass, KCONFIG_NEEDS, NATIVE_NEEDS } from './native';
import { findDotenvTlsBypass, findNodeTlsBypass } from './node';
import { findPythonTlsBypass } from './python';
import { runDetectors } from '../_shared/detectors';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';
import { isConfigBackup } from '../_shared/firmware-config';

export default defineRule({
  meta: {
    id: 'tls-verification-disabled',
    title: 'TLS certificate or host-name verification disabled',
    severity: 'critical',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript', 'kconfig', 'dotenv'],
    cwe: [295, 297],
    fda: ['app1.A.2', 'app1.C.1', '524b.b2'],
    sees: {
      'app1.A.2': 'TLS certificate or host-name verification switched off',
      'app1.C.1': 'TLS with certificate verification switched off',
    },
    iec62443: ['CR 1.9', 'CR 1.8', 'CR 3.1'],
    fix: 'safe',
    presets: ['recommended'],
    // C and Kconfig (native.ts); C++ adds the Arduino clients, which provide a project fact from any file.
    needs: (_, language) => (language === 'c' ? NATIVE_NEEDS : language === 'kconfig' ? KCONFIG_NEEDS : undefined),
    docs,
  },
  check(ctx) {
    // A backup of an earlier configuration (`sdkconfig.old`) configures no build.
    if (ctx.language === 'kconfig' && isConfigBackup(ctx.path)) return;
    runDetectors(ctx, DETECTORS);
  },
});

const DETECTORS: Partial<Record<LanguageId, Detector>> = {
  c: findNativeTlsBypass,
  cpp: (ctx) => [...findNativeTlsBypass(ctx), ...findArduinoTlsBypass(ctx)],
  python: findPythonTlsBypass,
  java: findJvmTlsBypass,
  kotlin: findJvmTlsBypass,
  typescript: findNodeTlsBypass,
  javascript: findNodeTlsBypass,
  kconfig: findKconfigTlsBypass,
  dotenv: findDotenvTlsBypass,
};
