import type { LanguageId, RuleContext } from '../../server/src/core/types';
import {
  findJvmCleartextServices,
  findKconfigCleartextServices,
  findNativeCleartextServices,
  findNodeCleartextServices,
  findPythonCleartextServices,
  KCONFIG_NEEDS,
  NATIVE_NEEDS,
  type CleartextServiceFinding,
} from './detect';
import { runDetectors } from '../_shared/detectors';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';
import { isConfigBackup } from '../_shared/firmware-config';

export default defineRule({
  meta: {
    id: 'cleartext-service-enabled',
    title: 'Telnet, FTP or unauthenticated management service enabled',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript', 'kconfig'],
    cwe: [319, 306],
    fda: ['app1.E.1', 'app1.B.4', 'app1.A.1', '524b.b2'],
    sees: 'Telnet, FTP and unauthenticated management services switched on',
    iec62443: ['CR 4.1', 'CR 7.7', 'CR 2.1'],
    fix: 'suggestion',
    presets: ['recommended'],
    // C, C++ and Kconfig (detect.ts); the other languages' services are found through imports and calls.
    needs: (_, language) => (language === 'c' || language === 'cpp' ? NATIVE_NEEDS : language === 'kconfig' ? KCONFIG_NEEDS : undefined),
    docs,
  },
  check(ctx) {
    // A backup of an earlier configuration (`sdkconfig.old`) configures no build.
    if (ctx.language === 'kconfig' && isConfigBackup(ctx.path)) return;
    runDetectors(ctx, DETECTORS);
  },
});

const DETECTORS: Partial<Record<LanguageId, (ctx: RuleContext) => CleartextServiceFinding[]>> = {
  c: findNativeCleartextServices,
  cpp: findNativeCleartextServices,
  python: findPythonCleartextServices,
  java: findJvmCleartextServices,
  kotlin: findJvmCleartextServices,
  typescript: findNodeCleartextServices,
  javascript: findNodeCleartextServices,
  kconfig: findKconfigCleartextServices,
};
