/**
 * A settings object that holds a credential, serialised whole into storage: `prefs.edit().putString("settings",
 * moshi.adapter(AppSettings::class.java).toJson(settings))`, `gson.toJson(account)`, `Json.encodeToString(config)`.
 * The stored text is the JSON of every field, the API key or password among them.
 *
 * The evidence is the class: the one the serialiser is given (`AppSettings::class.java`, `Account.class`,
 * `AppSettings.serializer()`), or the one the serialised value is built from or declared as in the function
 * (`AppSettings(...)`, `settings: AppSettings`); and a field of that class that holds text and is named for a
 * credential or key unambiguously (`apiKey: String`, `private String password;`; never `keyAlias`, `token` alone or a
 * number). A class declared in this file is read here; one declared in another file of the project answers through
 * the fact `credential-classes`, which every Java and Kotlin file provides for the classes it declares.
 */
import type { Call, ClassDef, Expr } from '../../server/src/core/model/types';
import type { ProjectCondition, RuleContext } from '../../server/src/core/types';
import { classifySensitiveName, type SensitiveReference } from '../_shared/secret-references';

/** Project fact: the names of the classes that hold a credential field, as `Class` and `Class.field`. */
export const CREDENTIAL_CLASSES = 'credential-classes';

const JVM = new Set(['java', 'kotlin']);
/** Calls that turn an object into its JSON text (Moshi, Gson, Jackson, kotlinx.serialization). */
const SERIALISERS = /^(?:toJson|encodeToString|writeValueAsString)$/;
/** Types that hold a credential's text. */
const TEXT_TYPES = /^(?:String|CharSequence|CharArray|ByteArray|char\[\]|byte\[\])\??$/;
/** Kotlin constructor properties and class properties: `val apiKey: String`. */
const KOTLIN_FIELD = /\b(?:val|var)\s+(\w+)\s*:\s*([\w.[\]]+\??)/g;
/** Modifiers a Java field declaration may start with. */
const JAVA_MODIFIERS = new Set(['private', 'protected', 'public', 'final', 'static', 'transient', 'volatile']);

export interface SerialisedCredential {
  value: Expr;
  className: string;
  /** The credential field, when the class is declared in this file: its name and what it holds. */
  field?: { name: string; label: string };
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
    return field ? { value, className, field: { name: field.name, label: field.label } } : undefined;
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

/** The first field of a class that holds text and is named for a credential or key unambiguously. */
function credentialField(ctx: RuleContext, cls: ClassDef): (SensitiveReference & { name: string }) | undefined {
  for (const [name, type] of fieldsOf(ctx, cls)) {
    if (!TEXT_TYPES.test(type)) continue;
    const reference = classifySensitiveName(name);
    if (reference && !reference.bare && reference.kind !== 'patient') return { ...reference, name };
  }
  return undefined;
}

/** A class's fields as [name, type]: constructor and body properties, outside its methods (whose locals are no fields). */
function fieldsOf(ctx: RuleContext, cls: ClassDef): [string, string][] {
  const content = ctx.text.content;
  const methods = cls.methods.filter((m) => m.start >= cls.start && m.end <= cls.end).sort((a, b) => a.start - b.start);
  const pieces: string[] = [];
  let at = cls.start;
  for (const method of methods) {
    if (method.start > at) pieces.push(content.slice(at, method.start));
    at = Math.max(at, method.end);
  }
  pieces.push(content.slice(at, cls.end));
  const text = pieces.join('\n');
  if (ctx.language === 'kotlin') return [...text.matchAll(KOTLIN_FIELD)].map((m) => [m[1], m[2]]);
  return text.split('\n').flatMap((line) => javaField(line) ?? []);
}

/** `private String apiKey;`, `public final char[] password = …` as [name, type]: modifiers, a type, a name. */
function javaField(line: string): [[string, string]] | undefined {
  const end = line.search(/[;=]/);
  if (end < 0) return undefined;
  const words = line.slice(0, end).trim().split(/\s+/);
  if (words.length < 2 || !words.slice(0, -2).every((word) => JAVA_MODIFIERS.has(word))) return undefined;
  const [type, name] = words.slice(-2);
  return /^\w+$/.test(name) && /^[\w.[\]]+$/.test(type) ? [[name, type]] : undefined;
}
