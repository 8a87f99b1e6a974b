/**
 * non-literal-format-string: printf-family calls whose format argument is not fixed at build time
 * (`printf(buf)`, `ESP_LOGI(TAG, msg)`, `syslog(LOG_ERR, reason)`), and Java/Kotlin `String.format` with a
 * format built from variables.
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { Confidence, Fix, Rule, RuleContext } from '../../server/src/core/types';
import { VA_LIST_SINKS, WIDE_SINKS, isConstantFormat, sinkFormatIndex } from './sinks';

interface FormatHit { call: Call; format: Expr; confidence: Confidence; fixable: boolean }

/** Whether the call's function declares a C variadic parameter list (`const char *fmt, ...`). */
function isVariadicWrapper(ctx: RuleContext, call: Call): boolean {
  const fn = call.fn;
  if (!fn?.body) return false;
  return /\.\.\.\s*\)\s*$/.test(ctx.text.content.slice(fn.start, fn.body.start));
}

function findNativeHits(ctx: RuleContext): FormatHit[] {
  const hits: FormatHit[] = [];
  const definedHere = new Set(ctx.model.functions.map((f) => f.name));
  for (const call of ctx.model.calls) {
    const index = sinkFormatIndex(call);
    if (index === undefined || definedHere.has(call.name)) continue;
    const format = call.args[index];
    if (!format || isConstantFormat(format, ctx.model)) continue;
    const isParameter = !!call.fn?.params.includes(format.text);
    // A `log_msg(const char *fmt, ...)` wrapper handing its own format to vprintf: check its callers instead.
    if (VA_LIST_SINKS.has(call.name) && isParameter) continue;
    const onlyFormat = call.args.length === index + 1;
    if (onlyFormat) {
      hits.push({ call, format, confidence: 'high', fixable: !WIDE_SINKS.has(call.name) });
    } else if (/^[A-Za-z_]\w*$/.test(format.text) && !(isParameter && isVariadicWrapper(ctx, call))) {
      // A plain variable used as the format of a call with arguments. Member and table lookups
      // (`msgs[i].fmt`) with arguments are usually tables of literal formats: not reported.
      hits.push({ call, format, confidence: 'medium', fixable: false });
    }
  }
  return hits;
}

function findJvmHits(ctx: RuleContext): FormatHit[] {
  const hits: FormatHit[] = [];
  for (const call of ctx.model.calls) {
    const isFormat = call.callee === 'String.format' || call.callee === 'java.lang.String.format'
      || /^System\.(?:out|err)\.(?:printf|format)$/.test(call.callee);
    if (!isFormat || !call.args.length) continue;
    const localeFirst = call.args.length > 1 && /(?:^|\.)(?:Locale\b|locale$)/.test(call.args[0].text);
    const index = localeFirst ? 1 : 0;
    const format = call.args[index];
    if (!format || isConstantFormat(format, ctx.model)) continue;
    if (format.kind === 'call') continue; // formats fetched from resources or helpers: not judged
    hits.push({ call, format, confidence: 'medium', fixable: call.args.length === index + 1 });
  }
  return hits;
}

function messageFor(ctx: RuleContext, hit: FormatHit): string {
  const shown = hit.format.text.length > 40 ? `${hit.format.text.slice(0, 37)}...` : hit.format.text;
  if (ctx.language === 'java' || ctx.language === 'kotlin') {
    return `\`${hit.call.callee}\` uses \`${shown}\` as its format: a \`%\` in that data makes the call throw or print the wrong argument, which can crash a screen or corrupt a report or log. Keep the format a literal and pass the data as an argument (\`"%s"\`).`;
  }
  const index = hit.call.args.indexOf(hit.format);
  const advice = index === hit.call.args.length - 1
    ? `Pass the data as an argument to a literal format: \`${hit.call.name}(${hit.call.args.slice(0, index).map((a) => `${a.text}, `).join('')}"%s", ${shown})\`.`
    : 'Use a literal format that matches the arguments, chosen in code rather than taken from data.';
  return `\`${hit.call.callee}\` uses \`${shown}\` as its format string: \`%s\`/\`%n\` in that data (a device name, a BLE or network message) reads or writes memory it should not, crashing or taking over the device. ${advice}`;
}

export default {
  meta: {
    id: 'non-literal-format-string',
    title: 'Format string that is not a literal',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp', 'java', 'kotlin'],
    cwe: [134],
    fda: ['app1.D.8', 'app1.D.11', '524b.b2'],
    iec62443: ['CR 3.5', 'SI-2'],
    fix: 'safe',
    presets: ['recommended'],
    docs: {
      summary: [
        'Finds printf-style calls whose format argument is not fixed when the firmware is built:',
        '- **C/C++**: `printf`, `fprintf`, `sprintf`, `snprintf`, the `v*` forms, `syslog`, `printk`, `dprintf`, `err`/`warn`, ESP-IDF `ESP_LOGx(tag, fmt)`',
        '  and `ets_printf`, Zephyr `LOG_INF`/`LOG_ERR`/... and `shell_print`, Nordic `NRF_LOG_*`, Arduino `Serial.printf`, Android `__android_log_print`.',
        '  A call whose only format-position argument is a variable (`printf(buf)`, `ESP_LOGI(TAG, msg)`) is high confidence; a plain variable used',
        '  as the format of a call with further arguments is medium.',
        '- **Java/Kotlin** (medium): `String.format` and `System.out.printf` with a format held in a variable or built by concatenation.',
        '',
        'Not reported: string literals (also concatenated with `PRIu32`-style macros), upper-case macro names, names bound only to literals in the',
        'same file (`#define FMT "..."`, `static const char fmt[] = "..."`, `static final String FMT = "..."`), literal ternaries, gettext/`F()`/`PSTR()`',
        'wrappers around literals, Android `getString(...)` resources, and a variadic wrapper (`log_msg(const char *fmt, ...)`) forwarding its own',
        '`fmt` to `vprintf`/`vsnprintf` (compile it with `__attribute__((format(printf, 1, 2)))` so its callers are checked).',
        'Formats looked up from tables (`msgs[i].fmt`) and passed with arguments are not reported.',
      ].join('\n'),
      risk: 'A format string taken from data lets whoever controls that data drive the formatter: `%x` and `%s` leak stack memory (keys, patient data) and `%s` on a bad pointer crashes the device; `%n` writes memory and is a known route to code execution. On a device the data is often a BLE device name, a network message, a file name from removable media or an error text from a peer: all reachable by an attacker in range. FDA expects external data to be well-formed and range-checked and parsing code to be reviewed with static analysis (Appendix 1 D.8 and D.11).',
      fix: 'Keep the format a literal and pass the data as an argument: `printf("%s", buf)`, `ESP_LOGI(TAG, "%s", msg)`, `syslog(LOG_ERR, "%s", reason)`, `String.format("%s: %d", name, dose)`. Mark your own variadic logging wrappers with `__attribute__((format(printf, n, m)))` and build with `-Wformat -Wformat-security` so the compiler checks their callers.',
      examples: [
        {
          language: 'c',
          bad: 'void show_peer(const char *peer_name) {\n    ESP_LOGI(TAG, peer_name);\n}\n',
          good: 'void show_peer(const char *peer_name) {\n    ESP_LOGI(TAG, "%s", peer_name);\n}\n',
        },
        {
          language: 'java',
          bad: 'class Label {\n    String render(String patient, int dose) {\n        return String.format("Patient " + patient + " dose %d", dose);\n    }\n}\n',
          good: 'class Label {\n    String render(String patient, int dose) {\n        return String.format("Patient %s dose %d", patient, dose);\n    }\n}\n',
        },
      ],
      fixSafety: [
        'When the format is the last argument (`printf(buf)`, `fprintf(f, buf)`, `ESP_LOGI(TAG, msg)`, `String.format(text)`), the fix inserts',
        '`"%s", ` before it. It is safe: the text is printed as it is, and only the interpretation of `%` sequences in it, which is the',
        'weakness, goes away (a message that relied on `%%` to print a percent sign now prints both characters). Calls with further',
        'arguments and wide-character calls get no fix: the right literal format depends on what the arguments are.',
      ].join('\n'),
      references: [
        { title: 'CWE-134: Use of Externally-Controlled Format String', url: 'https://cwe.mitre.org/data/definitions/134.html' },
        { title: 'SEI CERT C: FIO30-C. Exclude user input from format strings', url: 'https://wiki.sei.cmu.edu/confluence/display/c/FIO30-C.+Exclude+user+input+from+format+strings' },
        { title: 'GCC: -Wformat-security and the format function attribute', url: 'https://gcc.gnu.org/onlinedocs/gcc/Warning-Options.html' },
        { title: 'OWASP: Format string attack', url: 'https://owasp.org/www-community/attacks/Format_string_attack' },
      ],
    },
  },
  check(ctx) {
    const jvm = ctx.language === 'java' || ctx.language === 'kotlin';
    for (const hit of jvm ? findJvmHits(ctx) : findNativeHits(ctx)) {
      const fix: Fix | undefined = hit.fixable
        ? { title: 'Use a literal "%s" format', safety: 'safe', edits: [{ span: { start: hit.format.start, end: hit.format.start }, newText: '"%s", ' }] }
        : undefined;
      ctx.report({ span: hit.call, message: messageFor(ctx, hit), fixes: fix ? [fix] : undefined, confidence: hit.confidence });
    }
  },
} satisfies Rule;
