/**
 * Reading Android XML (AndroidManifest.xml, the network security configuration in `res/xml/`) through the
 * element tree of the engine's XML reader: nesting, attribute values by name, and the source sets whose
 * files only a debug build uses.
 */
import type { XmlAttribute, XmlElement } from '../../server/src/core/parse/xml';
import type { RuleContext } from '../../server/src/core/types';

export type { XmlAttribute, XmlElement };

export function elementsOf(ctx: RuleContext): readonly XmlElement[] {
  return ctx.model.elements ?? [];
}

/** The attribute named exactly `name` (with its prefix: `android:exported`). */
export function attributeOf(element: XmlElement, name: string): XmlAttribute | undefined {
  return element.attributes.find((a) => a.name === name);
}

/** Whether the attribute is written `"true"` (not a `${placeholder}` or a resource reference). */
export function isTrue(element: XmlElement, name: string): boolean {
  return attributeOf(element, name)?.value.trim().toLowerCase() === 'true';
}

/** Indexes of the direct children of the element at `index`. */
export function childrenOf(elements: readonly XmlElement[], index: number): number[] {
  const out: number[] = [];
  for (let i = index + 1; i < elements.length; i++) if (elements[i].parent === index) out.push(i);
  return out;
}

/** Whether the element at `index` lies inside an element named `name`. */
export function hasAncestor(elements: readonly XmlElement[], index: number, name: string): boolean {
  for (let p = elements[index].parent; p >= 0; p = elements[p].parent) if (elements[p].name === name) return true;
  return false;
}

/**
 * A file of a Gradle source set that only debug builds compile (`src/debug/`, `src/stagingDebug/`): what it
 * sets never reaches a release build. Release and flavour source sets (`src/main/`, `src/full/`) do.
 */
export function isDebugSourceSet(path: string): boolean {
  return /(?:^|\/)src\/(?:debug|[a-z][A-Za-z0-9]*Debug)\//.test(path.replace(/\\/g, '/'));
}

/** Host names that never leave the device or the emulator: cleartext to them crosses no network. */
export function isLoopbackHost(host: string): boolean {
  return /^(?:localhost|127(?:\.\d{1,3}){3}|\[?::1\]?|10\.0\.2\.2|10\.0\.3\.2)$/i.test(host.trim());
}
