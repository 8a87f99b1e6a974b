import type { LanguageId, RuleContext } from '../../server/src/core/types';
import {
  ANDROID_NEEDS,
  findAndroidBleWeaknesses,
  findKconfigBleWeaknesses,
  findNativeBleWeaknesses,
  NATIVE_NEEDS,
  type BleFinding,
} from './detect';
import { runDetectors } from '../_shared/detectors';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';
import { isConfigBackup, isDevelopmentConfigPath } from '../_shared/firmware-config';
import { isKconfigDefinition, provideDefinitionSymbols, provideFragmentSymbols } from '../_shared/kconfig/facts';
import { provideSymbolValues } from '../_shared/kconfig/values';

/** What the rule sees of most of the controls it maps to (meta.sees). */
const OPEN_AND_UNPAIRED = 'BLE characteristics writable without authentication, pairing without MITM protection';

export default defineRule({
  meta: {
    id: 'ble-unauthenticated-access',
    title: 'BLE characteristic writable without authentication, or pairing without MITM protection',
    severity: 'high',
    confidence: 'medium',
    // `text`: Kconfig definition files (`Kconfig.projbuild`), whose defaults NimBLE's pairing settings may come from.
    languages: ['c', 'cpp', 'java', 'kotlin', 'kconfig', 'text'],
    cwe: [306, 287],
    fda: ['app1.A.1', 'app1.B.4', 'app1.B.1', '524b.b2'],
    sees: {
      'app1.A.1': OPEN_AND_UNPAIRED,
      'app1.B.4': 'BLE characteristics writable without authentication',
      'app1.B.1': OPEN_AND_UNPAIRED,
    },
    iec62443: ['CR 1.2', 'CR 2.1', 'CR 1.1'],
    fix: 'suggestion',
    presets: ['recommended'],
    // Configuration and Kconfig files provide symbol facts from any file, so they always run.
    needs: (_, language) =>
      language === 'c' || language === 'cpp' ? NATIVE_NEEDS : language === 'java' || language === 'kotlin' ? ANDROID_NEEDS : undefined,
    docs,
  },
  check(ctx) {
    // A backup of an earlier configuration (`sdkconfig.old`) configures no build.
    if (ctx.language === 'kconfig' && isConfigBackup(ctx.path)) return;
    if (ctx.language === 'text' && !isKconfigDefinition(ctx)) return;
    runDetectors(ctx, DETECTORS);
    provideKconfigFacts(ctx);
  },
});

const DETECTORS: Partial<Record<LanguageId, (ctx: RuleContext) => BleFinding[]>> = {
  c: findNativeBleWeaknesses,
  cpp: findNativeBleWeaknesses,
  java: findAndroidBleWeaknesses,
  kotlin: findAndroidBleWeaknesses,
  kconfig: findKconfigBleWeaknesses,
};

/** What a configuration or Kconfig file says about symbols, for NimBLE settings taken from them (nimble-io-capability.ts). */
function provideKconfigFacts(ctx: RuleContext): void {
  if (ctx.language === 'kconfig') provideFragmentSymbols(ctx, isDevelopmentConfigPath);
  else if (ctx.language === 'text') provideDefinitionSymbols(ctx);
  else return;
  provideSymbolValues(ctx, isDevelopmentConfigPath);
}
