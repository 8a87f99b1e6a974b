/**
 * non-literal-format-string: printf-family calls whose format argument is not fixed at build time
 * (`printf(buf)`, `ESP_LOGI(TAG, msg)`, `syslog(LOG_ERR, reason)`), and Java/Kotlin `String.format` with a
 * format built from variables.
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { Confidence, Fix, RuleContext } from '../../server/src/core/types';
import { VA_LIST_SINKS, WIDE_SINKS, isConstantFormat, sinkFormatIndex } from './sinks';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
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
    docs,
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
});

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
