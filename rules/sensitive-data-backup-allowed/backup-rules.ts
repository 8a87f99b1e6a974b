/**
 * Backup rules that limit nothing. `android:fullBackupContent` and `android:dataExtractionRules` name an XML resource
 * (`@xml/backup_rules`) that says what a backup takes; Android Studio creates both files for every new app with their
 * `<include>` and `<exclude>` entries commented out, and a file with neither entry backs up everything, as if the
 * manifest named no rules. Each `res/xml` file of that kind that excludes nothing provides its resource name as a
 * fact; the manifest of the same module reads it.
 */
import type { RuleContext } from '../../server/src/core/types';
import { elementsOf } from '../_shared/android-xml';

export const OPEN_BACKUP_RULES = 'backup-rules-limit-nothing';

const RULES_ROOTS = new Set(['full-backup-content', 'data-extraction-rules']);
const LIMITS = new Set(['include', 'exclude']);

/** A backup-rules resource with no `<include>` and no `<exclude>`: provides its name (`backup_rules`). */
export function provideOpenBackupRules(ctx: RuleContext): void {
  const elements = elementsOf(ctx);
  if (!RULES_ROOTS.has(elements[0]?.name ?? '') || elements.some((e) => LIMITS.has(e.name))) return;
  const file = ctx.path.slice(ctx.path.lastIndexOf('/') + 1);
  const name = file.toLowerCase().endsWith('.xml') ? file.slice(0, -4) : undefined;
  if (name) ctx.provide(OPEN_BACKUP_RULES, [name]);
}

/** The resource name an attribute value refers to: `@xml/backup_rules` → `backup_rules`. */
export function xmlResourceName(value: string): string | undefined {
  return /^@xml\/([\w.]+)$/.exec(value.trim())?.[1];
}
