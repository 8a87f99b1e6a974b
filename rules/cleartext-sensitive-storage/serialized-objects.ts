/**
 * A settings object that holds a credential, serialised whole into storage: `prefs.edit().putString("settings",
 * moshi.adapter(AppSettings::class.java).toJson(settings))`, `gson.toJson(account)`, `Json.encodeToString(config)`.
 * The stored text is the JSON of every field, the API key or password among them.
 *
 * The evidence is the class: the one the serialiser is given (`AppSettings::class.java`, `Account.class`,
 * `AppSettings.serializer()`), or the one the serialised value is built from or declared as in the function
 * (`AppSettings(...)`, `settings: AppSettings`); and a credential field of that class (credential-fields.ts:
 * `apiKey: String`, `@SerializedName("key") private String password;`; never `keyAlias`, `token` alone or a number). A class declared in this file is read here; one declared in another file of the project answers through
 * the fact `credential-classes`, which every Java and Kotlin file provides for the classes it declares.
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { ProjectCondition, RuleContext } from '../../server/src/core/types';
import { credentialField, type CredentialField } from './credential-fields';

/** Project fact: the names of the classes that hold a credential field, as `Class` and `Class.field`. */
export const CREDENTIAL_CLASSES = 'credential-classes';

const JVM = new Set(['java', 'kotlin']);
/** Calls that turn an object into its JSON text (Moshi, Gson, Jackson, kotlinx.serialization). */
const SERIALISERS = /^(?:toJson|encodeToString|writeValueAsString)$/;

export interface SerialisedCredential {
  value: Expr;
  className: string;
  /** The credential field, when the class is declared in this file: its name and what it holds. */
  field?: CredentialField;
  when?: ProjectCondition;
}

/** Declares the classes of this file that hold a credential field. */
export function provideCredentialClasses(ctx: RuleContext): void {
  if (!JVM.has(ctx.language)) return;
  const values: string[] = [];
  for (const cls of ctx.model.classes) {
    const field = credentialField(ctx, cls);
    if (field) values.push(cls.name, `${cls.name}.${field.name}`);
  }
  if (values.length) ctx.provide(CREDENTIAL_CLASSES, values);
}

/** The object a storage call's value serialises, when its class holds a credential (here, or as a project fact). */
export function serialisedCredential(ctx: RuleContext, value: Expr): SerialisedCredential | undefined {
  if (!JVM.has(ctx.language)) return undefined;
  const serialiser = serialiserCall(ctx, value);
  if (!serialiser) return undefined;
  const className = serialisedClass(ctx, serialiser);
  if (!className) return undefined;
  const declared = ctx.model.classes.find((cls) => cls.name === className);
  if (declared) {
    const field = credentialField(ctx, declared);
    return field ? { value, className, field } : undefined;
  }
  return { value, className, when: { fact: CREDENTIAL_CLASSES, anyOf: [className] } };
}

/** The serialising call that is the value, directly or through a local (`val json = gson.toJson(s)`). */
function serialiserCall(ctx: RuleContext, value: Expr): Call | undefined {
  if (value.kind === 'call' && value.call && SERIALISERS.test(value.call.name)) return value.call;
  if (value.kind !== 'name') return undefined;
  for (const origin of ctx.flow.origins(value)) {
    if (origin.kind === 'parameter') continue;
    if (origin.expr.kind === 'call' && origin.expr.call && SERIALISERS.test(origin.expr.call.name)) return origin.expr.call;
  }
  return undefined;
}

/** The class a serialiser writes: its class literal, or the serialised value's constructor or declared type. */
function serialisedClass(ctx: RuleContext, serialiser: Call): string | undefined {
  const text = ctx.text.content.slice(serialiser.start, serialiser.end);
  const literal = /\b([A-Z]\w*)(?:::class\b|\.class\b|\.serializer\(\))/.exec(text);
  if (literal) return literal[1];
  const object = serialiser.args[serialiser.args.length - 1];
  if (!object || object.kind !== 'name') return undefined;
  for (const origin of ctx.flow.origins(object)) {
    if (origin.kind === 'parameter') return declaredType(ctx, origin.fn.start, origin.fn.end, origin.name);
    const built = origin.expr.kind === 'call' ? origin.expr.call : undefined;
    if (built && /^[A-Z]/.test(built.name) && !SERIALISERS.test(built.name)) return built.name;
  }
  return undefined;
}

/** `settings: AppSettings` (Kotlin) or `AppSettings settings` (Java) in a function's text. */
function declaredType(ctx: RuleContext, start: number, end: number, name: string): string | undefined {
  const text = ctx.text.content.slice(start, Math.min(end, start + 2000));
  const kotlin = new RegExp(`\\b${name}\\s*:\\s*([A-Z]\\w*)`).exec(text);
  if (kotlin) return kotlin[1];
  return new RegExp(`\\b([A-Z]\\w*)\\s+${name}\\b`).exec(text)?.[1];
}
