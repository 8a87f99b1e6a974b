/**
 * banned-unsafe-function: calls to the C string and formatting functions that cannot bound what they write
 * (`gets`, `strcpy`, `strcat`, `sprintf`, `vsprintf`, their wide and Windows variants) and scanf-family `%s`
 * conversions without a field width. Matched on the call itself, so identifiers that merely contain the name
 * (`my_strcpy_safe`), the bounded `_s` variants, comments and other namespaces' functions (`fmt::sprintf`,
 * Qt's `str.sprintf`) are not findings.
 */
import type { Call } from '../../server/src/core/model/types';
import type { Confidence, Fix, Rule, RuleContext } from '../../server/src/core/types';
import {
  BANNED_FUNCTIONS, SCANF_FORMAT_INDEX, bannedCallName, isLocalCharArray, unboundedScanfConversions,
} from './table';

const FORMATTERS = new Set(['sprintf', 'vsprintf']);
const IMPACT = 'a longer input from a sensor, BLE characteristic, serial frame or network message overwrites adjacent memory (stack, therapy state, return address)';

/** Replaces the last segment of the callee (`std::sprintf` → `std::snprintf`). */
function renameCallee(call: Call, newName: string) {
  return { span: { start: call.calleeSpan.end - call.name.length, end: call.calleeSpan.end }, newText: newName };
}

/** The fix for a call whose destination is a char array declared in the same function or file, if any. */
function boundedFix(ctx: RuleContext, call: Call, name: string): Fix | undefined {
  const dst = call.args[0];
  if (!isLocalCharArray(dst, call, ctx.model, ctx.text.content)) return undefined;
  const size = `sizeof ${dst.text}`;
  switch (name) {
    case 'sprintf':
    case 'vsprintf':
      if (call.args.length < 2) return undefined;
      return {
        title: `Bound the write with ${name === 'sprintf' ? 'snprintf' : 'vsnprintf'}(${dst.text}, ${size}, ...)`,
        safety: 'safe',
        edits: [renameCallee(call, name === 'sprintf' ? 'snprintf' : 'vsnprintf'), { span: { start: dst.end, end: dst.end }, newText: `, ${size}` }],
      };
    case 'gets':
      if (call.args.length !== 1) return undefined;
      return {
        title: `Read with fgets(${dst.text}, ${size}, stdin)`,
        safety: 'suggestion',
        edits: [renameCallee(call, 'fgets'), { span: { start: dst.end, end: dst.end }, newText: `, ${size}, stdin` }],
      };
    case 'strcpy':
      if (call.args.length !== 2) return undefined;
      return {
        title: `Copy with snprintf(${dst.text}, ${size}, "%s", ...)`,
        safety: 'suggestion',
        edits: [renameCallee(call, 'snprintf'), { span: { start: dst.end, end: dst.end }, newText: `, ${size}, "%s"` }],
      };
    default:
      return undefined;
  }
}

function findBannedCalls(ctx: RuleContext): void {
  const definedHere = new Set(ctx.model.functions.map((f) => f.name));
  for (const call of ctx.model.calls) {
    const name = bannedCallName(call);
    if (!name || definedHere.has(name)) continue;
    const banned = Object.prototype.hasOwnProperty.call(BANNED_FUNCTIONS, name) ? BANNED_FUNCTIONS[name] : undefined;
    if (banned) {
      const fix = boundedFix(ctx, call, name);
      // A string literal copied into a buffer is a bounded copy in practice; still banned, less likely exploitable.
      const copiesLiteral = !FORMATTERS.has(name) && !banned.inherentlyUnsafe && call.args[1]?.kind === 'string';
      const confidence: Confidence = copiesLiteral ? 'medium' : 'high';
      ctx.report({
        span: call,
        message: `\`${name}\` ${banned.why}: ${IMPACT}. Use ${banned.replacement}.`,
        fixes: fix ? [fix] : undefined,
        confidence,
      });
      continue;
    }
    const formatIndex = Object.prototype.hasOwnProperty.call(SCANF_FORMAT_INDEX, name) ? SCANF_FORMAT_INDEX[name] : undefined;
    const format = formatIndex === undefined ? undefined : call.args[formatIndex];
    if (format?.kind !== 'string' || format.value === undefined) continue;
    const unbounded = unboundedScanfConversions(format.value);
    if (!unbounded.length) continue;
    ctx.report({
      span: call,
      message: `\`${name}\` with \`${unbounded[0]}\` and no field width writes a word of any length into the buffer: ${IMPACT}. Give every \`%s\`/\`%[\` a width one less than the buffer (\`%31s\` for \`char buf[32]\`).`,
    });
  }
}

export default {
  meta: {
    id: 'banned-unsafe-function',
    title: 'Banned unbounded C string or formatting function',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp'],
    cwe: [242, 676, 120],
    fda: ['app1.D.8', 'app1.D.11', '524b.b2'],
    iec62443: ['CR 3.5', 'SI-2'],
    fix: 'safe',
    presets: ['recommended'],
    docs: {
      summary: [
        'Finds calls to C functions that write into a buffer without knowing its size:',
        '`gets`, `strcpy`, `strcat`, `sprintf`, `vsprintf`, `stpcpy`, the wide and multibyte variants (`wcscpy`, `wcscat`, `_mbscpy`, `_getws`),',
        'the Windows `lstrcpy`/`lstrcat`/`StrCpy`/`StrCat` families, and `scanf`/`sscanf`/`fscanf` formats with a `%s` or `%[` that has no field width.',
        'Each message names the bounded replacement (`fgets`, `strlcpy`, `strlcat`, `snprintf`, `vsnprintf`, `%31s`).',
        '',
        'Only the functions themselves are matched, plain or as `std::`/`::` names: identifiers that contain the name (`my_strcpy_safe`),',
        'the bounded `_s` variants, methods (`str.sprintf` in Qt), other namespaces (`fmt::sprintf`), comments and strings are not, nor is',
        'a file that defines its own function of that name. `gets` is always high confidence; a copy whose source is a string literal is',
        'reported with medium confidence, since its length is fixed.',
      ].join('\n'),
      risk: 'Device firmware copies and formats data that arrives from outside: BLE characteristics, serial and USB frames, network messages, barcode or RFID readers, files on removable media. An unbounded copy of such data is the classic stack or heap overflow: at best the device resets or corrupts its therapy state; at worst an attacker in radio range runs code on it. FDA expects external data to be well-formed and range-checked and parsing code to be written and reviewed carefully (Appendix 1 D.8 and D.11); IEC 62443-4-1 SI-2 expects a secure coding standard, and every such standard bans these functions.',
      fix: 'Use the bounded form and pass the real size of the destination: `snprintf(buf, sizeof buf, fmt, ...)`, `vsnprintf`, `fgets(buf, sizeof buf, stdin)`, `strlcpy`/`strlcat` (or `snprintf(dst, sizeof dst, "%s", src)` where the C library has no `strlcpy`), and a field width in scanf formats (`%31s` for `char buf[32]`). Check the return value for truncation where a truncated string would be misread (a device name, a file path, a command).',
      examples: [
        {
          language: 'c',
          bad: 'void set_label(const char *name) {\n    char label[32];\n    sprintf(label, "PUMP-%s", name);\n    display_show(label);\n}\n',
          good: 'void set_label(const char *name) {\n    char label[32];\n    snprintf(label, sizeof label, "PUMP-%s", name);\n    display_show(label);\n}\n',
        },
        {
          language: 'cpp',
          bad: 'void read_serial(char *out) {\n    char line[64];\n    gets(line);\n    std::strcpy(out, line);\n}\n',
          good: 'void read_serial(char *out, size_t out_len) {\n    char line[64];\n    if (fgets(line, sizeof line, stdin)) snprintf(out, out_len, "%s", line);\n}\n',
        },
      ],
      fixSafety: [
        'Only calls whose destination is a `char` array declared in the same function or at file scope get a fix, because only then is',
        '`sizeof dst` the buffer size (a parameter `char buf[32]` is a pointer). `sprintf`/`vsprintf` → `snprintf`/`vsnprintf` with',
        '`sizeof dst` is safe: output that fits is identical, and output that did not fit is truncated instead of overflowing.',
        '`gets(buf)` → `fgets(buf, sizeof buf, stdin)` is a suggestion: `fgets` keeps the newline, which callers must strip.',
        '`strcpy(dst, src)` → `snprintf(dst, sizeof dst, "%s", src)` is a suggestion: it needs `<stdio.h>` and truncates silently where',
        'the code may need to reject an over-long input instead. `strcat`, the wide and Windows variants and scanf widths get no fix:',
        'the right count depends on how much of the buffer is already used or on the buffer size, which the rule cannot always see.',
      ].join('\n'),
      references: [
        { title: 'CWE-242: Use of Inherently Dangerous Function', url: 'https://cwe.mitre.org/data/definitions/242.html' },
        { title: 'CWE-120: Classic Buffer Overflow', url: 'https://cwe.mitre.org/data/definitions/120.html' },
        { title: 'SEI CERT C: STR31-C. Guarantee that storage for strings has sufficient space', url: 'https://wiki.sei.cmu.edu/confluence/display/c/STR31-C.+Guarantee+that+storage+for+strings+has+sufficient+space+for+character+data+and+the+null+terminator' },
        { title: 'Microsoft SDL: banned function calls (banned.h)', url: 'https://github.com/microsoft/ChakraCore/blob/master/lib/Common/banned.h' },
      ],
    },
  },
  check(ctx) {
    findBannedCalls(ctx);
  },
} satisfies Rule;
