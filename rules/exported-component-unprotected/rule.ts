/**
 * exported-component-unprotected: a service or broadcast receiver of an Android app that any other app can
 * start, bind or send intents to, with no permission guarding it.
 */
import type { RuleContext } from '../../server/src/core/types';
import { findExportedComponents, type ExportedComponent } from './detect';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'exported-component-unprotected',
    title: 'Android service or receiver exported to every app without a permission',
    severity: 'high',
    confidence: 'medium',
    languages: ['android-manifest'],
    cwe: [926, 306],
    fda: ['app1.B.4', 'app1.A.1', '524b.b2'],
    sees: 'Android services and receivers that any app can start or send to, without a permission',
    iec62443: ['CR 2.1', 'CR 1.2'],
    fix: 'none',
    presets: ['recommended'],
    docs,
  },
  check(ctx: RuleContext) {
    for (const component of findExportedComponents(ctx)) {
      ctx.report({
        span: component.span,
        message: messageOf(component),
        // A dose or device command that any app can send is a direct path to the therapy.
        ...(component.commands.length ? { severity: 'critical' as const } : {}),
      });
    }
  },
});

const REACH: Readonly<Record<string, string>> = {
  service: 'any app on the phone can start or bind it and send it commands',
  'broadcast receiver': 'any app on the phone can send it broadcasts with whatever data it likes',
};

function messageOf(component: ExportedComponent): string {
  const how = component.explicit ? 'is exported' : 'is exported by its intent filter (the default before Android 12)';
  const actions = component.actions.length
    ? ` for ${component.actions
        .slice(0, 3)
        .map((a) => `\`${a}\``)
        .join(', ')}${component.actions.length > 3 ? ` and ${component.actions.length - 3} more` : ''}`
    : '';
  const guard = component.weakPermission
    ? `its permission \`${component.weakPermission}\` is declared at a level any app is granted, so`
    : 'no permission guards it, so';
  const stake = component.commands.length
    ? ` Its action \`${component.commands[0]}\` is a therapy or device command: any app can drive the therapy through it.`
    : '';
  return `The ${component.kind} \`${component.name}\` ${how}${actions}, and ${guard} ${REACH[component.kind]}.${stake} Set \`android:exported="false"\` if only this app uses it, or require a permission with \`android:protectionLevel="signature"\` for your own apps; treat what arrives as untrusted input.`;
}
