/**
 * sensitive-data-backup-allowed: an Android app that holds health data and lets the platform back up all of
 * its data.
 */
import { findSensitiveBackup } from './detect';
import { provideAppStorage, provideHealthApis } from './health-apis';
import { provideOpenBackupRules } from './backup-rules';
import { runDetectors } from '../_shared/detectors';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'sensitive-data-backup-allowed',
    title: 'Android app with health data allows unrestricted backup',
    severity: 'medium',
    confidence: 'medium',
    // `android-xml`: the backup-rule files a manifest names (backup-rules.ts).
    languages: ['android-manifest', 'android-xml', 'java', 'kotlin'],
    cwe: [530, 312],
    fda: ['app1.E.1', '524b.b2'],
    sees: 'Android apps with health data whose backups take every database and preference',
    iec62443: ['CR 4.1'],
    fix: 'suggestion',
    presets: ['recommended'],
    docs,
  },
  check(ctx) {
    if (ctx.language === 'java' || ctx.language === 'kotlin') {
      provideHealthApis(ctx);
      provideAppStorage(ctx);
    } else if (ctx.language === 'android-xml') provideOpenBackupRules(ctx);
    else runDetectors(ctx, { 'android-manifest': findSensitiveBackup });
  },
});
