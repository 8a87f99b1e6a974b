/**
 * tls-verification-disabled for Python, beyond a literal: a verify switch given a value that is False.
 * - In the file: `verify=VERIFY_TLS` or `verify=self.verify` whose every definition the data-flow layer finds is
 *   the literal False (a module constant, a local, a field set in another method).
 * - Across files: `AsyncClient(verify=settings.certificate_verify)`, where a settings class of another file says
 *   `certificate_verify: bool = False`. The per-file flow stops at the attribute, so every Python file provides
 *   the boolean values it gives names outside a function's locals (class fields, module constants, attributes
 *   such as `self.x` or `cfg.x`, keyword arguments, dictionary entries); the switch reports a finding that stands
 *   only when the project gives the name False and never True. A pydantic `BaseSettings` field (or any default)
 *   that an environment variable may override is still False by default: a deployment that does not set the
 *   variable talks to any server, and the device should be secure as shipped, so it is reported (at medium
 *   confidence: the deployment's environment is not in the scan). Test code provides nothing: it is not what ships.
 */
import type { Binding, Expr } from '../../server/src/core/model/types';
import type { Origin } from '../../server/src/core/flow/value-flow';
import type { ProjectCondition, RuleContext } from '../../server/src/core/types';
import { isFalseLiteral } from '../_shared/syntax';

/** Names the project gives the literal False outside a function's locals. */
const SET_FALSE = 'python-setting-false';
/** Names the project gives the literal True anywhere a setting can be given a value: they answer a finding. */
const SET_TRUE = 'python-setting-true';

const SETTING_NAME = /^[A-Za-z_]\w{0,80}$/;

/** Provides the boolean values this file gives settings (see the file comment); only the model, nothing more. */
export function provideSettingValues(ctx: RuleContext): void {
  if (ctx.inTestCode) return;
  const off = new Set<string>();
  const on = new Set<string>();
  for (const b of ctx.model.bindings) {
    const value = booleanOf(b.value);
    if (value === undefined || !SETTING_NAME.test(b.name) || !givesSetting(ctx, b, value)) continue;
    (value ? on : off).add(b.name);
  }
  for (const call of ctx.model.calls)
    for (const arg of call.named) if (booleanOf(arg.value) === true && SETTING_NAME.test(arg.key)) on.add(arg.key);
  if (off.size) ctx.provide(SET_FALSE, [...off]);
  if (on.size) ctx.provide(SET_TRUE, [...on]);
}

function booleanOf(expr: Expr): boolean | undefined {
  if (expr.kind !== 'boolean') return undefined;
  return !isFalseLiteral(expr);
}

/**
 * Whether a binding gives a setting a value, rather than a local of a function: a class field or module constant
 * (outside any function), an attribute (`self.verify`, `cfg.verify`). A dictionary entry counts for True only
 * (`Settings(**{"verify": True})` overrides; an entry set False is not a default anyone reads as the attribute).
 */
function givesSetting(ctx: RuleContext, b: Binding, value: boolean): boolean {
  if (b.kind === 'default') return false;
  if (b.kind === 'property') return value;
  return !b.fn || ctx.text.content.slice(b.targetSpan.start, b.targetSpan.end).includes('.');
}

/** What a verify switch's value is, when it is False without being the literal itself. */
export type FalseValue =
  | { kind: 'local'; through: string; parameterDefault?: Binding }
  | { kind: 'setting'; name: string; when: ProjectCondition; unless: ProjectCondition };

/**
 * A switch's value that is False: every origin in the file is the literal False (`through` names the first name
 * it passed), or its one origin is an attribute or name another file defines (the setting's conditions).
 * Only a plain name or attribute is followed: `not settings.insecure` or `a or b` is another value.
 */
export function falseValueOf(ctx: RuleContext, value: Expr): FalseValue | undefined {
  if (value.kind !== 'name') return undefined;
  const origins = ctx.flow.origins(value);
  if (origins.length && origins.every((o) => o.kind === 'literal' && isFalseLiteral(o.expr))) {
    // `def fetch(url, verify=False)`: the default is what callers that say nothing get; the finding goes there.
    const first = origins[0];
    const at = first.kind === 'literal' ? first.expr.start : -1;
    const parameterDefault = ctx.model.bindings.find((b) => b.kind === 'default' && b.value.start === at);
    return { kind: 'local', through: origins[0].steps[0]?.label ?? value.text, parameterDefault };
  }
  return origins.length === 1 ? settingElsewhere(origins[0]) : undefined;
}

function settingElsewhere(origin: Origin): FalseValue | undefined {
  if (origin.kind !== 'unknown' || origin.expr.kind !== 'name') return undefined;
  const name = (origin.expr.value ?? origin.expr.text).split('.').pop()!.trim();
  if (!SETTING_NAME.test(name)) return undefined;
  return { kind: 'setting', name, when: { fact: SET_FALSE, anyOf: [name] }, unless: { fact: SET_TRUE, anyOf: [name] } };
}
