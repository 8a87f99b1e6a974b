/**
 * The field of a type that holds a credential's text, for a value stored whole: a C struct written byte for byte
 * (stored-structs.ts) and a JVM settings object serialised to JSON (serialized-objects.ts). Either way the stored
 * bytes are every field, the secret's text among them.
 *
 * A field counts when it holds text and is named for a credential or key unambiguously (`api_secret`, `apiKey`,
 * `wifi_password`; never `token` alone or a patient identifier): in C and C++ a character array (`char
 * api_secret[100]`, not `char *password`, whose stored bytes are an address), on the JVM a string, character or
 * byte array. Fields come from the model's declarations inside the type, outside its methods; a Kotlin class's
 * constructor properties (`class AppSettings(val apiKey: String)`) are read from its header.
 */
import type { ClassDef, Variable } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { classifySensitiveName } from '../_shared/secret-references';

export interface CredentialField {
  name: string;
  /** What the field holds, as the message says it (`an API key`). */
  label: string;
}

const CHARACTER_TYPES = /^(?:(?:un)?signed\s+)?char$|^u?int8_t$|^byte$/;
/** JVM types that hold a credential's text. */
const JVM_TEXT_TYPES = /^(?:String|CharSequence|CharArray|ByteArray|char\[\]|byte\[\])\??$/;
/** Kotlin constructor properties: `val apiKey: String`. */
const KOTLIN_PROPERTY = /\b(?:val|var)\s+(\w+)\s*:\s*([\w.[\]]+\??)/g;

/** The first field of `cls` that holds text and is named for a credential or key unambiguously. */
export function credentialField(ctx: RuleContext, cls: ClassDef): CredentialField | undefined {
  for (const [name, holdsText] of fieldsOf(ctx, cls)) {
    if (!holdsText) continue;
    const reference = classifySensitiveName(name);
    if (reference && !reference.bare && reference.kind !== 'patient') return { name, label: reference.label };
  }
  return undefined;
}

/** A type's fields as [name, holds text]. */
function fieldsOf(ctx: RuleContext, cls: ClassDef): [string, boolean][] {
  const declared = ctx.model.variables.filter((v) => v.start > cls.start && v.end < cls.end && !insideMethod(cls, v));
  if (ctx.language === 'c' || ctx.language === 'cpp') return declared.map((v) => [v.name, isCharacterArray(ctx, v)]);
  const fields = declared.map((v): [string, boolean] => [v.name, JVM_TEXT_TYPES.test(v.type?.trim() ?? '')]);
  return ctx.language === 'kotlin' ? [...constructorProperties(ctx, cls), ...fields] : fields;
}

/** A method's local is no field (a struct's fields inside a function are: C has no methods). */
function insideMethod(cls: ClassDef, v: Variable): boolean {
  return cls.methods.some((m) => v.start >= m.start && v.end <= m.end);
}

/** `char api_secret[100];`: a character type, and the declarator is an array. */
function isCharacterArray(ctx: RuleContext, field: Variable): boolean {
  const after = field.start + field.name.length;
  return CHARACTER_TYPES.test(field.type?.trim() ?? '') && /^\s*\[/.test(ctx.text.content.slice(after, after + 8));
}

/** `class AppSettings(val apiKey: String, …)`: the properties of the primary constructor, before the body. */
function constructorProperties(ctx: RuleContext, cls: ClassDef): [string, boolean][] {
  const text = ctx.text.content.slice(cls.start, cls.end);
  const body = text.indexOf('{');
  const header = body < 0 ? text : text.slice(0, body);
  return [...header.matchAll(KOTLIN_PROPERTY)].map((m): [string, boolean] => [m[1], JVM_TEXT_TYPES.test(m[2])]);
}
