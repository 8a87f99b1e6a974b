/**
 * non-literal-format-string: C/C++ printf-family calls whose format comes from outside the program: data read
 * or received at run time (`recv` into the buffer, `fgets`, `argv`, NVS), or handed in by a caller
 * (`printf(msg)` in `void show(const char *msg)`). A format that is a literal, whatever path it takes (a
 * `#define`, a constant, a local, a copy into a buffer, a helper's parameter), never fires.
 */
import type { Call, Expr } from '../../server/src/core/model/types';
import type { Fix } from '../../server/src/core/types';
import { formatEvidence, type FormatEvidence } from './evidence';
import { VA_LIST_SINKS, WIDE_SINKS, isConstantFormat, sinkFormatIndex } from './sinks';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'non-literal-format-string',
    title: 'Format string that comes from outside the program',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp'],
    cwe: [134],
    fda: ['app1.D.8', 'app1.D.11', '524b.b2'],
    sees: 'format strings that are not literals',
    iec62443: ['CR 3.5', 'SI-2'],
    fix: 'safe',
    presets: ['recommended'],
    // Every format sink of FORMAT_SINKS (sinks.ts) holds `print`, `warn`, `err`, `log` or `shell_`.
    needs: ['print', 'warn', 'err', 'log', 'shell_'],
    docs,
  },
  check(ctx) {
    const definedHere = new Set(ctx.model.functions.map((f) => f.name));
    for (const call of ctx.model.calls) {
      const index = sinkFormatIndex(call);
      if (index === undefined || definedHere.has(call.name)) continue;
      const format = call.args[index];
      if (!format || isConstantFormat(format, ctx.model)) continue;
      // A `log_msg(const char *fmt, ...)` wrapper handing its own format to vprintf: its callers are checked instead.
      if (VA_LIST_SINKS.has(call.name) && call.fn?.params.includes(format.text)) continue;
      const evidence = formatEvidence(ctx, format, call);
      if (!evidence) continue;
      const onlyFormat = call.args.length === index + 1;
      const fix: Fix | undefined =
        onlyFormat && !WIDE_SINKS.has(call.name)
          ? {
              title: 'Use a literal "%s" format',
              safety: 'safe',
              edits: [{ span: { start: format.start, end: format.start }, newText: '"%s", ' }],
            }
          : undefined;
      ctx.report({
        span: call,
        message: messageFor(call, format, evidence),
        fixes: fix ? [fix] : undefined,
        confidence: evidence.kind === 'source' ? 'high' : 'medium',
      });
    }
  },
});

function messageFor(call: Call, format: Expr, evidence: FormatEvidence): string {
  const shown = format.text.length > 40 ? `${format.text.slice(0, 37)}...` : format.text;
  const index = call.args.indexOf(format);
  const advice =
    index === call.args.length - 1
      ? `Pass the text as an argument to a literal format: \`${call.name}(${call.args
          .slice(0, index)
          .map((a) => `${a.text}, `)
          .join('')}"%s", ${shown})\`.`
      : 'Use a literal format that matches the arguments, chosen in code rather than taken from data.';
  return `\`${call.callee}\` uses \`${shown}\` as its format string, and that text ${evidence.where}: \`%s\`/\`%n\` in it reads or writes memory it should not, crashing or taking over the device. ${advice}`;
}
