/**
 * `android:allowBackup="true"` in the manifest of an app that holds health data, with nothing limiting what
 * the backup takes (no `android:fullBackupContent`, no `android:dataExtractionRules`).
 *
 * The evidence that the app holds health data is in the manifest itself: a Health Connect permission
 * (`android.permission.health.*`) or a body-sensor permission, which the platform grants only to read health
 * measurements; failing that, the app's code (health-apis.ts): then the finding stands when a Java or Kotlin file of
 * the same module uses a health platform's API or a medical Bluetooth profile, and one keeps preferences, a database
 * or files on the device (an app that only shows what a sensor sends leaves nothing for a backup to take). Only an explicit `"true"` is reported: a manifest without the attribute may be a flavour or
 * library manifest that the main manifest's value overrides in the merge, so its absence proves nothing here.
 */
import type { RuleContext } from '../../server/src/core/types';
import type { Detection } from '../_shared/detectors';
import { attributeOf, elementsOf, isDebugSourceSet, isTrue, type XmlElement } from '../_shared/android-xml';
import { APP_STORAGE, HEALTH_API, HEALTH_EVIDENCE, STORAGE_KINDS } from './health-apis';
import { OPEN_BACKUP_RULES, xmlResourceName } from './backup-rules';

const HEALTH_PERMISSION = /^android\.permission\.(?:health\.[A-Z_]+|BODY_SENSORS(?:_BACKGROUND)?)$/;
const BACKUP_RULES = ['android:fullBackupContent', 'android:dataExtractionRules'];

export function findSensitiveBackup(ctx: RuleContext): Detection[] {
  const elements = elementsOf(ctx);
  if (isDebugSourceSet(ctx.path) || elements[0]?.name !== 'manifest') return [];
  const evidence = healthPermissions(elements);
  const hits: Detection[] = [];
  for (const application of elements.filter((e) => e.name === 'application')) {
    if (!isTrue(application, 'android:allowBackup')) continue;
    const rules = backupRules(application);
    if (rules === 'limits') continue;
    const attribute = attributeOf(application, 'android:allowBackup')!;
    const shown = evidence
      .slice(0, 2)
      .map((p) => `\`${p}\``)
      .join(', ');
    const holds = evidence.length
      ? `it requests ${shown}${evidence.length > 2 ? ` and ${evidence.length - 2} more` : ''}`
      : "its code reads health data: another file of the module uses a health platform's API or a medical Bluetooth profile, and the module keeps preferences, a database or files";
    // From code, the evidence is the module's: it reads health data and keeps something on the device. Named
    // rules count only when the module's own rule files exclude nothing (any one of them: each Android version
    // reads one of the two).
    const when = [
      ...(evidence.length
        ? []
        : [
            { fact: HEALTH_API, anyOf: HEALTH_EVIDENCE },
            { fact: APP_STORAGE, anyOf: STORAGE_KINDS },
          ]),
      ...(rules.length ? [{ fact: OPEN_BACKUP_RULES, anyOf: rules }] : []),
    ];
    const named = rules.map((r) => `\`@xml/${r}\``).join(', ');
    hits.push({
      ...(when.length ? { when } : {}),
      span: attribute.span,
      message: `\`android:allowBackup="true"\` with ${rules.length ? `backup rules that exclude nothing (${named}: a rule file with no \`<include>\` or \`<exclude>\`, as Android Studio's template leaves it, backs up everything)` : 'no backup rules'} in an app that holds health data (${holds}): Android copies every database, preference and file of the app into cloud backups and device-to-device transfers, where the app's own protections no longer apply, and restores them onto another device. Set it to "false", or name what may leave the device with \`android:dataExtractionRules\` (and \`android:fullBackupContent\` for Android 11 and lower), excluding readings and credentials.`,
      fix: { title: 'Set android:allowBackup="false"', safety: 'suggestion', edits: [{ span: attribute.valueSpan, newText: 'false' }] },
    });
  }
  return hits;
}

/**
 * Backup rules say what leaves the device; so does a backup agent unless `fullBackupOnly` hands it back to Auto
 * Backup (with an agent, Android backs up only what the agent writes). Returns `'limits'` when the manifest
 * decides it, else the `res/xml` rule files it names (none: no rules at all), which limit only when they
 * include or exclude something (backup-rules.ts).
 */
function backupRules(application: XmlElement): 'limits' | string[] {
  if (attributeOf(application, 'android:backupAgent') && !isTrue(application, 'android:fullBackupOnly')) return 'limits';
  const named: string[] = [];
  for (const attribute of BACKUP_RULES.map((name) => attributeOf(application, name))) {
    if (!attribute) continue;
    const resource = xmlResourceName(attribute.value);
    // `fullBackupContent="false"` turns Auto Backup off; a placeholder or another reference cannot be read here.
    if (!resource) return 'limits';
    named.push(resource);
  }
  return named;
}

function healthPermissions(elements: readonly XmlElement[]): string[] {
  return elements
    .filter((e) => /^uses-permission(?:-sdk-23)?$/.test(e.name))
    .map((e) => attributeOf(e, 'android:name')?.value.trim() ?? '')
    .filter((name) => HEALTH_PERMISSION.test(name));
}
