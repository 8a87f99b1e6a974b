/**
 * The banned C string and formatting functions (Microsoft SDL banned list, CERT C, MISRA C Rule 21.6 family),
 * each with the bounded replacement a message names, and the helpers the fixes need.
 */
import type { Call, CodeModel, Expr } from '../../server/src/core/model/types';

export interface BannedFunction {
  /** The bounded replacement, as the message names it. */
  replacement: string;
  /** Why it is unsafe, in a few words. */
  why: string;
  /** `gets` cannot be used safely at all; the rest can with great care. */
  inherentlyUnsafe?: boolean;
}

const UNBOUNDED_COPY = 'copies until the terminating NUL with no idea how large the destination is';
const UNBOUNDED_APPEND = 'appends with no idea how much room the destination has left';
const UNBOUNDED_FORMAT = 'formats into the destination with no size limit';

export const BANNED_FUNCTIONS: Readonly<Record<string, BannedFunction>> = {
  gets: {
    replacement: '`fgets(buf, size, stdin)` with the real buffer size',
    why: 'reads a line of any length into a fixed buffer and cannot be used safely (removed in C11)',
    inherentlyUnsafe: true,
  },
  _getws: {
    replacement: '`fgetws(buf, count, stdin)`',
    why: 'reads a line of any length into a fixed buffer and cannot be used safely',
    inherentlyUnsafe: true,
  },
  strcpy: { replacement: '`strlcpy` or `snprintf(dst, size, "%s", src)`', why: UNBOUNDED_COPY },
  strcat: { replacement: '`strlcat` (or `snprintf` into the remaining space)', why: UNBOUNDED_APPEND },
  sprintf: { replacement: '`snprintf(buf, size, ...)` with the real buffer size', why: UNBOUNDED_FORMAT },
  vsprintf: { replacement: '`vsnprintf(buf, size, ...)` with the real buffer size', why: UNBOUNDED_FORMAT },
  wcscpy: { replacement: '`wcslcpy` or `swprintf(dst, count, L"%ls", src)`', why: UNBOUNDED_COPY },
  wcscat: { replacement: '`wcslcat` or `wcsncat` with the remaining count', why: UNBOUNDED_APPEND },
  stpcpy: { replacement: '`strlcpy` or `snprintf`', why: UNBOUNDED_COPY },
  _mbscpy: { replacement: '`_mbscpy_s`', why: UNBOUNDED_COPY },
  _mbscat: { replacement: '`_mbscat_s`', why: UNBOUNDED_APPEND },
  lstrcpy: { replacement: '`StringCchCopy`', why: UNBOUNDED_COPY },
  lstrcpyA: { replacement: '`StringCchCopyA`', why: UNBOUNDED_COPY },
  lstrcpyW: { replacement: '`StringCchCopyW`', why: UNBOUNDED_COPY },
  lstrcat: { replacement: '`StringCchCat`', why: UNBOUNDED_APPEND },
  lstrcatA: { replacement: '`StringCchCatA`', why: UNBOUNDED_APPEND },
  lstrcatW: { replacement: '`StringCchCatW`', why: UNBOUNDED_APPEND },
  StrCpy: { replacement: '`StringCchCopy`', why: UNBOUNDED_COPY },
  StrCpyA: { replacement: '`StringCchCopyA`', why: UNBOUNDED_COPY },
  StrCpyW: { replacement: '`StringCchCopyW`', why: UNBOUNDED_COPY },
  StrCat: { replacement: '`StringCchCat`', why: UNBOUNDED_APPEND },
  StrCatA: { replacement: '`StringCchCatA`', why: UNBOUNDED_APPEND },
  StrCatW: { replacement: '`StringCchCatW`', why: UNBOUNDED_APPEND },
};

/** scanf-family functions and the index of their format argument. */
export const SCANF_FORMAT_INDEX: Readonly<Record<string, number>> = {
  scanf: 0,
  vscanf: 0,
  fscanf: 1,
  sscanf: 1,
  vfscanf: 1,
  vsscanf: 1,
};

/**
 * The `%s` / `%[` conversions in a scanf format that store into a buffer with no field width
 * (`%s`, `%[^\n]`; not `%31s`, not the assignment-suppressed `%*s`). Returns their text, e.g. `%s`.
 */
export function unboundedScanfConversions(format: string): string[] {
  const found: string[] = [];
  const conversion = /%(%|(\*)?(\d*)(?:hh|h|ll|l|j|z|t|L|m)?([a-zA-Z[]))/g;
  for (let m = conversion.exec(format); m; m = conversion.exec(format)) {
    if (m[1] === '%' || m[2]) continue;
    const kind = m[4];
    if ((kind === 's' || kind === '[' || kind === 'S') && !m[3]) found.push(m[0]);
  }
  return found;
}

/** The name a call is matched under: plain `strcpy`, `std::strcpy` or `::strcpy`; not `fmt::sprintf` or `qs.sprintf`. */
export function bannedCallName(call: Call): string | undefined {
  if (call.receiver || call.isNew) return undefined;
  const { callee, name } = call;
  if (callee === name || callee === `std.${name}` || callee === `.${name}`) return name;
  return undefined;
}

/**
 * Whether `arg` names a `char` (or `wchar_t`) array declared in the call's own function or at file scope, so
 * that `sizeof arg` is the buffer's size. A parameter (`char buf[32]` decays to a pointer), a pointer, an
 * array of pointers or a struct member never qualifies.
 */
export function isLocalCharArray(arg: Expr | undefined, call: Call, model: CodeModel, content: string): boolean {
  if (!arg || arg.kind !== 'name' || !/^[A-Za-z_]\w*$/.test(arg.text)) return false;
  const name = arg.text;
  if (call.fn?.params.includes(name)) return false;
  const candidates = model.variables.filter((v) => v.name === name && (v.fn === call.fn || v.fn === undefined) && v.start < call.start);
  const inFunction = candidates.filter((v) => v.fn === call.fn && v.fn !== undefined);
  const chosen = inFunction.length ? inFunction : candidates.filter((v) => v.fn === undefined);
  if (chosen.length !== 1) return false;
  const variable = chosen[0];
  if (variable.type !== 'char' && variable.type !== 'wchar_t') return false;
  const declarator = content.slice(variable.start, variable.end);
  return new RegExp(`^${name}\\s*\\[[^\\]]*\\]\\s*(?:=|$)`).test(declarator);
}
