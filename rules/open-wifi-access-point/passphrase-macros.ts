/**
 * Passphrases defined in another header of the project: `WiFi.softAP(ssid, AP_MODE_PASSWORD)` where
 * `globals.h` says `#define AP_MODE_PASSWORD ""`. The per-file data-flow layer stops at a name the file does not
 * define, so every C/C++ file provides the string constants it defines (a `#define` or a file-level `const`),
 * split by whether they could open an access point (empty, null, under WPA2's 8 characters) or not; the
 * softAP call reports a finding that stands only when the project defines the name short, and never when any
 * file of the project defines it as a real passphrase (an `#ifndef` default overridden by the product's config).
 */
import type { Binding, Expr } from '../../server/src/core/model/types';
import type { Origin } from '../../server/src/core/flow/value-flow';
import type { ProjectCondition, RuleContext } from '../../server/src/core/types';

/** Names of string constants whose value leaves an access point open. */
export const OPEN_CONSTANT = 'open-passphrase-constant';
/** Names of string constants long enough for WPA2, or not literal: they answer a finding. */
export const REAL_CONSTANT = 'passphrase-constant';

const WPA2_MIN = 8;
const CONSTANT_NAME = /^[A-Za-z_]\w{0,80}$/;

/** Provides the project's string constants (see the file comment); cheap: the model's bindings, nothing else. */
export function providePassphraseConstants(ctx: RuleContext): void {
  const open: string[] = [];
  const real: string[] = [];
  for (const b of ctx.model.bindings) {
    if (!isFileConstant(b) || !CONSTANT_NAME.test(b.name)) continue;
    const opens = opensAccessPoint(b.value);
    if (opens === undefined) continue;
    (opens ? open : real).push(b.name);
  }
  if (open.length) ctx.provide(OPEN_CONSTANT, open);
  if (real.length) ctx.provide(REAL_CONSTANT, real);
}

/** `#define NAME "…"` anywhere, or a `const` string at file level (not a local of some function). */
function isFileConstant(b: Binding): boolean {
  return b.kind === 'define' || (b.kind === 'declaration' && b.constant && !b.fn);
}

/** true: empty, null or short; false: a string WPA2 accepts; undefined: not a string constant. */
function opensAccessPoint(value: Expr): boolean | undefined {
  if (value.kind === 'null' || (value.kind === 'name' && /^(?:NULL|nullptr)$/.test(value.value ?? ''))) return true;
  if (value.kind !== 'string' || value.value === undefined) return undefined;
  return value.value.length < WPA2_MIN;
}

/**
 * A passphrase origin that is a bare name this file does not define: the condition under which another
 * file's definition opens the access point, and the name for the message.
 */
export function constantElsewhere(origin: Origin): { name: string; when: ProjectCondition; unless: ProjectCondition } | undefined {
  if (origin.kind !== 'unknown' || origin.expr.kind !== 'name') return undefined;
  const name = origin.expr.text.trim();
  if (!CONSTANT_NAME.test(name) || /^(?:NULL|nullptr)$/.test(name)) return undefined;
  return { name, when: { fact: OPEN_CONSTANT, anyOf: [name] }, unless: { fact: REAL_CONSTANT, anyOf: [name] } };
}
