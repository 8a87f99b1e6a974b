/**
 * Components of an AndroidManifest.xml that any app on the phone can start, bind or send to: a service or
 * receiver exported explicitly (`android:exported="true"`) or by the pre-Android-12 default (an
 * `<intent-filter>` and no `android:exported`), with no permission a caller must hold.
 *
 * What is not reported, and why:
 * - a permission on the component, unless this manifest declares it at a level any app can be granted
 *   (`normal`, `dangerous`, or no `protectionLevel`, which means normal). A permission declared elsewhere (a
 *   library, another module) is taken as protecting: its level cannot be seen from here.
 * - components whose intent filters name only platform actions (`android.*`, `androidx.*`,
 *   `com.google.android.*`, Firebase): boot and package receivers, services the system or a platform
 *   library binds. They implement a platform contract; the broadcasts are protected or
 *   the binding is checked by the platform. What remains are the app's own inter-app interfaces.
 * - files of a debug-only source set.
 */
import type { RuleContext, Span } from '../../server/src/core/types';
import { attributeOf, childrenOf, elementsOf, isDebugSourceSet, type XmlElement } from '../_shared/android-xml';
import { identifierWords } from '../_shared/identifier-words';

/**
 * Services and receivers. Activities are left out: an exported activity shows a screen the user sees and acts
 * on, and the system's own UIs (tiles, complications, dream and watch-face settings, sign-in redirects) can
 * only open exported ones; on the Android apps of the real-code set nearly every exported activity was one of those.
 */
const COMPONENTS: Readonly<Record<string, string>> = {
  service: 'service',
  receiver: 'broadcast receiver',
};

/**
 * Actions the platform or its libraries define (Firebase messaging, vendor boot broadcasts): a component that
 * filters only these serves a platform contract.
 */
const PLATFORM_ACTION = /^(?:android|androidx|com\.google\.android|com\.google\.firebase)\.|^com\.htc\.intent\.action\.QUICKBOOT_POWERON$/;
const WEAK_LEVELS = new Set(['normal', 'dangerous', '']);

export interface ExportedComponent {
  /** `service`, `receiver`, ... as written. */
  element: XmlElement;
  kind: string;
  /** The class as written in `android:name` (`.sync.DataReceiver`), and its span. */
  name: string;
  span: Span;
  /** The app-defined actions of its filters. */
  actions: string[];
  /** Those of its actions that name a therapy or device command (`…SET_TEMP_BASAL`, `…PUMP_COMMAND`). */
  commands: string[];
  /** Set when the component names a permission that this manifest declares at a level any app gets. */
  weakPermission?: string;
  explicit: boolean;
}

export function findExportedComponents(ctx: RuleContext): ExportedComponent[] {
  const elements = elementsOf(ctx);
  if (isDebugSourceSet(ctx.path) || elements[0]?.name !== 'manifest') return [];
  const weak = weaklyDeclaredPermissions(elements);
  const found: ExportedComponent[] = [];
  elements.forEach((element, index) => {
    const kind = COMPONENTS[element.name];
    const name = attributeOf(element, 'android:name');
    if (!kind || !name) return;
    const exported = attributeOf(element, 'android:exported')?.value.trim().toLowerCase();
    const actions = actionsOf(elements, index);
    const filtered = childrenOf(elements, index).some((i) => elements[i].name === 'intent-filter');
    if (exported === undefined ? !filtered : exported !== 'true') return;
    if (actions.length && actions.every((a) => PLATFORM_ACTION.test(a))) return;
    const permission = attributeOf(element, 'android:permission')?.value.trim();
    if (permission && !weak.has(permission)) return;
    const own = actions.filter((a) => !PLATFORM_ACTION.test(a));
    found.push({
      element,
      kind,
      name: name.value,
      span: name.span,
      actions: own,
      commands: own.filter(namesCommand),
      weakPermission: permission,
      explicit: exported === 'true',
    });
  });
  return found;
}

/** Words of an action that name a dose or therapy change. */
const THERAPY_WORDS = new Set(['bolus', 'dose', 'dosing', 'basal', 'tbr', 'smb', 'insulin', 'infusion', 'infuse']);
const DEVICE_WORDS = new Set(['pump', 'device']);
const COMMAND_WORDS = new Set(['command', 'cmd', 'control']);

/**
 * Whether an intent action is a command to the therapy or the device: its last segment names a dose or basal
 * change (`com.example.pump.SET_TEMP_BASAL`), or a pump or device command (`…PUMP_COMMAND`). The action is the
 * interface's contract: what the component does with an intent that carries it.
 */
function namesCommand(action: string): boolean {
  const words = identifierWords(action.split('.').pop() ?? action);
  if (words.some((w) => THERAPY_WORDS.has(w))) return true;
  return words.some((w) => DEVICE_WORDS.has(w)) && words.some((w) => COMMAND_WORDS.has(w));
}

function actionsOf(elements: readonly XmlElement[], index: number): string[] {
  const actions: string[] = [];
  for (const filter of childrenOf(elements, index)) {
    if (elements[filter].name !== 'intent-filter') continue;
    for (const child of childrenOf(elements, filter)) {
      const action = elements[child].name === 'action' ? attributeOf(elements[child], 'android:name')?.value.trim() : undefined;
      if (action) actions.push(action);
    }
  }
  return actions;
}

/** Permissions this manifest declares at a level any installed app can hold. */
function weaklyDeclaredPermissions(elements: readonly XmlElement[]): Set<string> {
  const weak = new Set<string>();
  for (const element of elements) {
    if (element.name !== 'permission') continue;
    const name = attributeOf(element, 'android:name')?.value.trim();
    const level = attributeOf(element, 'android:protectionLevel')?.value.trim().toLowerCase() ?? '';
    if (name && WEAK_LEVELS.has(level)) weak.add(name);
  }
  return weak;
}
